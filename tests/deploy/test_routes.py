"""The route table has one source, docs/openapi.yaml: its operations and their x-service. The services build their C++
route tables from it (a mismatch stops them at startup, and their tests build the tables). The README's API table, the
Ingress and the local nginx gateway are each checked against it here: as route sets where a copy lists routes, and,
for the two path-prefix routers, as prefix lists and in where concrete paths end up."""
from __future__ import annotations

import copy

import routes_table as rt
from conftest import ROOT, find

README = ROOT / "README.md"
GATEWAY = ROOT / "deploy" / "local" / "gateway" / "nginx.conf.template"


def kok_ingress(objects: list[dict]) -> dict:
    return find(objects, "Ingress", "kok", "kok")


def test_table_parses_and_covers_both_services():
    routes = rt.table()
    assert {r.service for r in routes} == {"producer", "consumer", "each"}
    # The catch-all read of the original project and its explicit form both belong to the consumer.
    assert rt.prefixes(routes)[rt.CATCH_ALL] == "consumer"
    assert rt.prefixes(routes)["/consumer"] == "consumer"


def test_readme_api_table_matches():
    assert rt.compare_readme(rt.table(), README.read_text()) == []


def test_readme_lists_every_reserved_name():
    assert rt.compare_reserved(rt.table(), README.read_text()) == []


def test_reserved_names_come_from_the_table():
    names = rt.reserved_names(rt.table())
    assert {"topics", "consumer", "healthz", "readyz", "metrics", "openapi.yaml"} <= set(names)
    spec = rt.yaml.safe_load(rt.SPEC.read_text())
    drifted = copy.deepcopy(spec)
    drifted["paths"]["/version"] = {"get": {"operationId": "version", "x-service": "each", "summary": "the build"}}
    assert rt.compare_reserved(rt.load_table(drifted), README.read_text()) != []


def test_ingress_matches(kind_manifests):
    assert rt.compare_prefixes(rt.table(), rt.ingress_prefixes(kok_ingress(kind_manifests)), "the Ingress") == []


def test_local_gateway_matches():
    assert rt.compare_prefixes(rt.table(), rt.gateway_prefixes(GATEWAY.read_text()), "the nginx gateway") == []


def test_prefix_matching_is_per_path_segment(kind_manifests):
    """Kubernetes 'Prefix' is per segment; Traefik only does that with strictPrefixMatching (checked elsewhere)."""
    ingress = rt.ingress_prefixes(kok_ingress(kind_manifests))
    assert rt.owner(ingress, "/topicality") == "consumer"
    assert rt.owner(ingress, "/topics") == "producer"
