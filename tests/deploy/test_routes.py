"""The route table is written four times: the README's API table (what users read), DESIGN.md (the design's source of
truth, beside the repository when present), the Ingress, and the local nginx gateway. They must agree, both as prefix
lists and in where concrete paths end up."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, find

README = ROOT / "README.md"
DESIGN_CANDIDATES = [ROOT / "docs" / "DESIGN.md", ROOT / "DESIGN.md", ROOT.parent / "shared" / "DESIGN.md"]
GATEWAY = ROOT / "deploy" / "local" / "gateway" / "nginx.conf.template"
CATCH_ALL = "/"

# Paths whose owner every table must agree on, including the awkward ones (a topic named like a route's prefix).
SAMPLE_PATHS = ["/topic/a", "/topic", "/topics", "/topics/a", "/topics/a/messages", "/topicality", "/message/a",
                "/messages", "/producer/a", "/producers", "/consumer/a", "/consumer/a/stream", "/consumers", "/a",
                "/orders.v1", "/healthz", "/readyz", "/metrics", "/openapi.yaml", "/"]


def table_routes(document: Path, heading: str) -> dict[str, str]:
    """prefix -> service from the route table under `heading` (rows served by 'each' service are not routed)."""
    text = document.read_text()
    section = text[text.index(heading):]
    routes: dict[str, str] = {}
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[1] not in ("producer", "consumer"):
            continue
        for method_path in re.findall(r"`([A-Z]+(?:, [A-Z]+)*|[A-Z]+) (/[^`\s]*)", cells[0]):
            first = method_path[1].split("?")[0].split("/")[1]
            prefix = CATCH_ALL if first.startswith("{") else "/" + first
            assert routes.get(prefix, cells[1]) == cells[1], f"{prefix} claimed by two services in {document.name}"
            routes[prefix] = cells[1]
    assert routes, f"no routes parsed from {document}"
    return routes


def readme_routes() -> dict[str, str]:
    """The README's API table: the public contract, always in the tree."""
    return table_routes(README, "## API")


def test_readme_matches_design():
    design = next((p for p in DESIGN_CANDIDATES if p.is_file()), None)
    if design is None:
        pytest.skip(f"DESIGN.md not found in {[str(p) for p in DESIGN_CANDIDATES]}")
    assert table_routes(design, "### Routes") == readme_routes()


def ingress_routes(objects) -> dict[str, str]:
    ingress = find(objects, "Ingress", "kok", "kok")
    routes = {}
    for rule in ingress["spec"]["rules"]:
        assert "host" not in rule, "routes are by path only"
        for path in rule["http"]["paths"]:
            assert path["pathType"] == "Prefix"
            routes[path["path"]] = path["backend"]["service"]["name"]
    return routes


def gateway_routes() -> dict[str, str]:
    """prefix -> upstream from the nginx template: `location ~ ^/x(/|$)` (a whole-segment prefix) and `location /`."""
    routes = {}
    for match in re.finditer(r"location\s+(~\s+\^(/[\w.-]+)\(/\|\$\)|/)\s*\{[^}]*proxy_pass\s+http://(\w+)",
                             GATEWAY.read_text()):
        routes[match.group(2) or CATCH_ALL] = match.group(3)
    assert routes, f"no routes parsed from {GATEWAY}"
    return routes


def essential(routes: dict[str, str]) -> dict[str, str]:
    """The routes minus prefixes that only restate the catch-all's service (e.g. an explicit /consumer)."""
    return {p: s for p, s in routes.items() if p == CATCH_ALL or s != routes[CATCH_ALL]}


def owner(routes: dict[str, str], path: str) -> str:
    """Ingress 'Prefix' semantics: the longest prefix matching whole path segments wins."""
    best = max((p for p in routes if p == CATCH_ALL or path == p or path.startswith(p + "/")), key=len)
    return routes[best]


def test_ingress_matches_readme(kind_manifests):
    readme = readme_routes()
    ingress = ingress_routes(kind_manifests)
    assert essential(ingress) == essential(readme)
    for path in SAMPLE_PATHS:
        assert owner(ingress, path) == owner(readme, path), path


@pytest.mark.skipif(not GATEWAY.is_file(), reason="the local gateway config is not in this tree")
def test_local_gateway_matches_readme():
    readme = readme_routes()
    gateway = gateway_routes()
    assert essential(gateway) == essential(readme)
    for path in SAMPLE_PATHS:
        assert owner(gateway, path) == owner(readme, path), path


@pytest.mark.skipif(not GATEWAY.is_file(), reason="the local gateway config is not in this tree")
def test_ingress_matches_local_gateway(kind_manifests):
    ingress = ingress_routes(kind_manifests)
    gateway = gateway_routes()
    assert essential(ingress) == essential(gateway)
    for path in SAMPLE_PATHS:
        assert owner(ingress, path) == owner(gateway, path), path


def test_prefix_matching_is_per_path_segment(kind_manifests):
    """Kubernetes 'Prefix' is per segment; Traefik only does that with strictPrefixMatching (checked elsewhere)."""
    ingress = ingress_routes(kind_manifests)
    assert owner(ingress, "/topicality") == "consumer"
    assert owner(ingress, "/topics") == "producer"
