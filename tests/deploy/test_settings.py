"""The README's settings table names every environment variable the services read, and only those, with the right
service marked. What the services read comes from their option tables in the C++ sources (`Options::add("flag",
"ENV", ...)` and its legacy aliases); when the binaries are built and current, their --help must say the same."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

README = ROOT / "README.md"
SERVICES = ("producer", "consumer")
COMMON_SOURCES = ROOT / "services" / "common" / "src"
ENV_LITERAL = re.compile(r'"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)"')
HELP_ENV = re.compile(r"^\s+--[\w-]+ <value>\s+\[([^\]]+)\]", re.MULTILINE)


def option_sources(service: str) -> list[Path]:
    """The files that register options (they call Options::add with a flag name) for `service`."""
    files = sorted(COMMON_SOURCES.rglob("*.cpp")) + sorted((ROOT / "services" / service / "src").rglob("*.cpp"))
    return [f for f in files if re.search(r'\.add\(\s*"[a-z]', f.read_text())]


def variables_in_sources(texts: list[str]) -> set[str]:
    """Every all-capitals string literal in option-registering code: the variable names and their aliases."""
    return {name for text in texts for name in ENV_LITERAL.findall(text)}


def source_variables(service: str) -> set[str]:
    return variables_in_sources([f.read_text() for f in option_sources(service)])


def variables_in_help(text: str) -> set[str]:
    return {name.strip() for names in HELP_ENV.findall(text) for name in names.split(",")}


def readme_settings(text: str) -> dict[str, str]:
    """variable -> 'producer', 'consumer' or 'both', from the table whose header is `| variable | default | what |`."""
    start = text.index("| variable | default | what |")
    rows: dict[str, str] = {}
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        first = line.strip("|").split("|")[0]
        marked = re.search(r"\((producer|consumer)\)", first)
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", first):
            assert name not in rows, f"{name} is listed twice in the README settings table"
            rows[name] = marked.group(1) if marked else "both"
    assert rows, "no settings parsed from the README"
    return rows


def compare_settings(readme: dict[str, str], read_by: dict[str, set[str]]) -> list[str]:
    """Problems between the README table and what each service reads (empty when they agree)."""
    expected = {}
    for name in set().union(*read_by.values()):
        users = [s for s in SERVICES if name in read_by[s]]
        expected[name] = "both" if len(users) == len(SERVICES) else users[0]
    problems = [f"README settings table lacks {n} (read by {s})" for n, s in sorted(expected.items()) if n not in readme]
    problems += [f"README settings table lists {n}, which no service reads" for n in sorted(readme) if n not in expected]
    problems += [f"README marks {n} as {readme[n]}, but it is read by {expected[n]}"
                 for n in sorted(readme) if n in expected and readme[n] != expected[n]]
    return problems


def test_sources_name_the_known_variables():
    """The source parser finds what it must (so an empty parse cannot make the comparison pass)."""
    assert {"KAFKA_BOOTSTRAP_SERVERS", "KAFKAURL", "HTTP_PORT", "PRODUCE_TIMEOUT"} <= source_variables("producer")
    assert {"KAFKA_BOOTSTRAP_SERVERS", "CONSUMER_GROUP", "SSE_HEARTBEAT"} <= source_variables("consumer")
    assert "CONSUMER_GROUP" not in source_variables("producer")


def test_readme_lists_every_variable():
    read_by = {s: source_variables(s) for s in SERVICES}
    assert compare_settings(readme_settings(README.read_text()), read_by) == []


def test_a_missing_or_stale_row_is_caught():
    readme = readme_settings(README.read_text())
    read_by = {s: source_variables(s) for s in SERVICES}
    without = {n: s for n, s in readme.items() if n != "SSE_HEARTBEAT"}
    assert compare_settings(without, read_by) == ["README settings table lacks SSE_HEARTBEAT (read by consumer)"]
    stale = {**readme, "KAFKA_LINGER": "both"}
    assert compare_settings(stale, read_by) == ["README settings table lists KAFKA_LINGER, which no service reads"]
    wrong = {**readme, "PRODUCE_TIMEOUT": "both"}
    assert compare_settings(wrong, read_by) == ["README marks PRODUCE_TIMEOUT as both, but it is read by producer"]


def built_binary(service: str) -> Path | None:
    """build/<preset>/services/<service>/kok-<service>, when built after every option source last changed."""
    newest_source = max(f.stat().st_mtime for f in option_sources(service))
    candidates = [b for b in sorted((ROOT / "build").glob(f"*/services/{service}/kok-{service}")) if b.is_file()]
    current = [b for b in candidates if b.stat().st_mtime >= newest_source]
    return current[0] if current else None


@pytest.mark.parametrize("service", SERVICES)
def test_help_names_what_the_sources_register(service):
    binary = built_binary(service)
    if binary is None:
        pytest.skip(f"kok-{service} is not built (or older than its option sources): only the source check ran")
    result = subprocess.run([str(binary), "--help"], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    assert variables_in_help(result.stdout) == source_variables(service)
