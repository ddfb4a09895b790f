"""The route table (the operations of docs/openapi.yaml, each with its x-service) and the parsers and comparisons
that hold the other copies to it. The C++ route tables are built from the spec itself (services/common/src/
spec_routes.cpp), so they have no copy to compare.

Each `*_routes` function turns one copy (README table, Ingress, nginx template) into plain data; each `compare_*`
function returns a list of human-readable problems, empty when the copy agrees. The tests in test_routes.py run them on
the real files, test_routes_drift.py on deliberately drifted copies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "openapi.yaml"
CATCH_ALL = "/"
SERVICES = ("producer", "consumer")
METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"}


def shorthand(path: str) -> str:
    """The spec names the path parameter {topic}; the README, like the original project, writes {t}."""
    return re.sub(r"\{[^}]*\}", "{t}", path)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with {t} for the topic
    service: str  # producer, consumer or each
    what: str

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path


def load_table(spec: dict) -> list[Route]:
    """Every operation of the spec, in its order; each must have an operationId and x-service producer, consumer or
    each (served by both, not routed by the gateway: it falls under "/" and reaches the consumer)."""
    routes: list[Route] = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method.upper() not in METHODS:
                continue  # parameters, summary, ...
            where = f"{method.upper()} {path}"
            if not operation.get("operationId") or operation.get("x-service") not in (*SERVICES, "each"):
                raise ValueError(f"{where}: no operationId, or x-service is not producer, consumer or each")
            route = Route(method.upper(), shorthand(path), operation["x-service"], operation.get("summary", ""))
            if route.key in {r.key for r in routes}:
                raise ValueError(f"{where} listed twice")
            routes.append(route)
    return routes


def table() -> list[Route]:
    return load_table(yaml.safe_load(SPEC.read_text()))


def keyed(routes: list[Route], service: str | None = None) -> set[tuple[str, str, str]]:
    return {(r.method, r.path, r.service) for r in routes if service is None or r.service == service}


def difference(expected: set, actual: set, what: str) -> list[str]:
    problems = [f"{what} lacks {' '.join(item)}" for item in sorted(expected - actual)]
    problems += [f"{what} has {' '.join(item)}, which docs/openapi.yaml does not list"
                 for item in sorted(actual - expected)]
    return problems


# ------------------------------------------------------------------------------------------------------ README table
README_PATH = re.compile(r"^(?:([A-Z]+) )?(/\S*)$")


def readme_routes(text: str, heading: str = "## API") -> set[tuple[str, str, str]]:
    """(method, path, service) from the Markdown table under `heading`. A cell may list several backticked routes;
    one without a method (`/readyz`) takes the previous one's; a query string (`?wait=5s`) is not part of the path."""
    if heading not in text:
        raise ValueError(f"no '{heading}' section")
    found: set[tuple[str, str, str]] = set()
    in_table = False
    for line in text[text.index(heading) + len(heading):].splitlines():
        if not line.startswith("|"):
            if in_table:
                break
            continue
        in_table = True
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[1] not in (*SERVICES, "each"):
            continue  # the header and the separator row
        method = None
        for item in re.findall(r"`([^`]*)`", cells[0]):
            match = README_PATH.match(item)
            if not match:
                continue  # e.g. `Accept: application/json`, `partitions`
            method = match.group(1) or method
            if method is None:
                raise ValueError(f"README route {item!r} has no method")
            found.add((method, match.group(2).split("?")[0], cells[1]))
    if not found:
        raise ValueError(f"no routes parsed under '{heading}'")
    return found


def compare_readme(routes: list[Route], readme_text: str) -> list[str]:
    return difference(keyed(routes), readme_routes(readme_text), "README API table")


# ------------------------------------------------------------------------------------------------- reserved names
README_RESERVED = re.compile(r"^- Reserved names: (.*?) cannot be read", re.M | re.S)


def reserved_names(routes: list[Route]) -> list[str]:
    """Names GET /{t} cannot read: the first segment of every path that starts with a literal one, in table order."""
    names: list[str] = []
    for r in routes:
        first = r.path.split("/")[1]
        if first and not first.startswith("{") and first not in names:
            names.append(first)
    return names


def readme_reserved(text: str) -> list[str]:
    match = README_RESERVED.search(text)
    if not match:
        raise ValueError("no '- Reserved names: ... cannot be read' line in the README")
    return re.findall(r"`([^`]*)`", match.group(1))


def compare_reserved(routes: list[Route], readme_text: str) -> list[str]:
    expected, listed = reserved_names(routes), readme_reserved(readme_text)
    return [] if listed == expected else [f"README lists reserved names {listed}, docs/openapi.yaml gives {expected}"]


# ------------------------------------------------------------------------------------- prefix routing (gateways)
def prefixes(routes: list[Route]) -> dict[str, str]:
    """prefix -> service, as a path-prefix router must see the table: a route's first segment, or the catch-all
    when that segment is a parameter. Rows served by 'each' service are not routed."""
    out: dict[str, str] = {}
    for r in routes:
        if r.service == "each":
            continue
        first = r.path.split("/")[1]
        prefix = CATCH_ALL if first.startswith("{") else "/" + first
        if out.setdefault(prefix, r.service) != r.service:
            raise ValueError(f"prefix {prefix} is claimed by both services")
    return out


def ingress_prefixes(ingress: dict) -> dict[str, str]:
    """prefix -> service from one Ingress object (pathType Prefix only, no host rules)."""
    routes = {}
    for rule in ingress["spec"]["rules"]:
        assert "host" not in rule, "routes are by path only"
        for path in rule["http"]["paths"]:
            assert path["pathType"] == "Prefix", path
            routes[path["path"]] = path["backend"]["service"]["name"]
    return routes


GATEWAY_LOCATION = re.compile(r"location\s+(~\s+\^(/[\w.-]+)\(/\|\$\)|/)\s*\{[^}]*proxy_pass\s+http://(\w+)")


def gateway_prefixes(template: str) -> dict[str, str]:
    """prefix -> upstream from the nginx template: `location ~ ^/x(/|$)` (a whole-segment prefix) and `location /`."""
    routes = {m.group(2) or CATCH_ALL: m.group(3) for m in GATEWAY_LOCATION.finditer(template)}
    if not routes:
        raise ValueError("no routes parsed from the nginx template")
    return routes


def essential(routes: dict[str, str]) -> dict[str, str]:
    """The routes minus prefixes that only restate the catch-all's service (e.g. an explicit /consumer)."""
    return {p: s for p, s in routes.items() if p == CATCH_ALL or s != routes.get(CATCH_ALL)}


def owner(routes: dict[str, str], path: str) -> str | None:
    """Kubernetes 'Prefix' semantics: the longest prefix matching whole path segments wins."""
    matching = [p for p in routes if p == CATCH_ALL or path == p or path.startswith(p + "/")]
    return routes[max(matching, key=len)] if matching else None


# Concrete paths, including awkward ones (a topic named like a route's prefix, or starting like one).
AWKWARD_PATHS = ["/topic", "/topics", "/topicality", "/messages", "/producers", "/consumers", "/orders.v1", "/"]


def sample_paths(routes: list[Route]) -> list[str]:
    """Every route with its parameters filled in, plus the awkward ones."""
    return sorted({r.path.replace("{t}", "a") for r in routes} | set(AWKWARD_PATHS))


def compare_prefixes(routes: list[Route], actual: dict[str, str], what: str) -> list[str]:
    expected = prefixes(routes)
    problems = []
    if essential(actual) != essential(expected):
        problems.append(f"{what} routes prefixes {sorted(essential(actual).items())}, "
                        f"docs/openapi.yaml says {sorted(essential(expected).items())}")
    for path in sample_paths(routes):
        if owner(actual, path) != owner(expected, path):
            problems.append(f"{what} sends {path} to {owner(actual, path)}, docs/openapi.yaml to {owner(expected, path)}")
    return problems
