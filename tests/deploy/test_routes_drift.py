"""The route comparisons catch drift: each runs on a deliberately drifted copy of the real file and must complain.
(Without these, a parser that found nothing on both sides would make test_routes.py pass vacuously.)"""
from __future__ import annotations

import copy

import pytest
import yaml

import routes_table as rt
from conftest import ROOT
from test_routes import GATEWAY, README

SPEC = yaml.safe_load(rt.SPEC.read_text())


def drifted(text: str, old: str, new: str) -> str:
    assert old in text, f"the drift fixture no longer applies: {old!r} not found"
    return text.replace(old, new, 1)


def test_readme_with_a_renamed_route_is_caught():
    text = drifted(README.read_text(), "`POST /message/{t}`", "`POST /messages/{t}`")
    problems = rt.compare_readme(rt.table(), text)
    assert "README API table lacks POST /message/{t} producer" in problems
    assert any("POST /messages/{t}" in p for p in problems)


def test_readme_with_a_route_on_the_wrong_service_is_caught():
    text = drifted(README.read_text(), "| `GET /consumer/{t}/stream` | consumer |", "| `GET /consumer/{t}/stream` | producer |")
    assert rt.compare_readme(rt.table(), text) != []


def test_gateway_sending_a_prefix_elsewhere_is_caught():
    text = drifted(GATEWAY.read_text(), "location ~ ^/message(/|$)  { proxy_pass http://producer; }",
                   "location ~ ^/message(/|$)  { proxy_pass http://consumer; }")
    problems = rt.compare_prefixes(rt.table(), rt.gateway_prefixes(text), "the nginx gateway")
    assert any("sends /message/a to consumer" in p for p in problems)


def test_gateway_matching_by_plain_prefix_is_caught():
    """A prefix route for /topicality or /topics would be wrong: /topic must match whole segments only."""
    routes = rt.prefixes(rt.table())
    loose = {**routes, "/topicality": "producer"}
    problems = rt.compare_prefixes(rt.table(), loose, "a drifted router")
    assert any("sends /topicality to producer" in p for p in problems)


def test_ingress_without_a_prefix_is_caught():
    ingress = {"spec": {"rules": [{"http": {"paths": [
        {"path": p, "pathType": "Prefix", "backend": {"service": {"name": s}}}
        for p, s in rt.prefixes(rt.table()).items() if p != "/topics"]}}]}}
    problems = rt.compare_prefixes(rt.table(), rt.ingress_prefixes(ingress), "the Ingress")
    assert any("sends /topics/a to consumer" in p for p in problems)


def with_operation(path: str, method: str, operation: dict) -> dict:
    spec = copy.deepcopy(SPEC)
    spec["paths"].setdefault(path, {})[method] = operation
    return spec


def test_a_broken_table_is_refused():
    with pytest.raises(ValueError, match=r"GET /\{name\} listed twice"):  # the same route as GET /{topic}
        rt.load_table(with_operation("/{name}", "get", {"operationId": "read", "x-service": "consumer"}))
    with pytest.raises(ValueError, match="GET /x: no operationId, or x-service is not producer, consumer or each"):
        rt.load_table(with_operation("/x", "get", {"operationId": "x", "x-service": "gateway"}))
    with pytest.raises(ValueError, match="POST /y: no operationId"):
        rt.load_table(with_operation("/y", "post", {"x-service": "consumer"}))
    with pytest.raises(ValueError, match="claimed by both"):
        rt.prefixes(rt.load_table(with_operation("/topic", "get", {"operationId": "t", "x-service": "consumer"})))
