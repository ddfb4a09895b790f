"""deploy.ps1 and comandos.bat cannot run here (no PowerShell): check what can be read from them, namely that they
offer the same verbs and options as deploy-kind.sh, fill in every placeholder of the kind config, hand Windows paths
to kind in a form Docker Desktop mounts, and are at least well-formed."""
from __future__ import annotations

import re

from conftest import KIND_DIR, ROOT

PS1 = ROOT / "deploy.ps1"
BAT = ROOT / "comandos.bat"
BASH = KIND_DIR / "deploy-kind.sh"


def options(text: str) -> set[str]:
    return set(re.findall(r"--[a-z][a-z-]+", text))


def test_same_verbs_and_options_as_the_bash_deploy():
    bash_options = {o for o in options(BASH.read_text()) if o in re.findall(r"^\s+(--[a-z-]+)\)", BASH.read_text(), re.M)}
    assert bash_options, "no options parsed from deploy-kind.sh"
    ps1 = PS1.read_text()
    for option in bash_options:
        assert f"'^{option}$'" in ps1, f"deploy.ps1 lacks {option}"
    assert "'^(up|down|status)$'" in ps1


def test_every_cluster_placeholder_is_filled():
    placeholders = set(re.findall(r"@[A-Z_]+@", (KIND_DIR / "cluster.yaml").read_text().split("kind: Cluster", 1)[1]))
    ps1 = PS1.read_text()
    bash = BASH.read_text()
    for p in placeholders:
        assert f"Replace('{p}'" in ps1, f"deploy.ps1 does not fill {p}"
        assert f"s|{p}|" in bash, f"deploy-kind.sh does not fill {p}"


def test_windows_paths_become_forward_slashes_for_kind():
    ps1 = PS1.read_text()
    # Apply the script's own -replace (a .NET regex; this one means the same in Python) to a Windows path.
    (line,) = [l for l in ps1.splitlines() if l.startswith("function ConvertTo-KindPath")]
    pattern, replacement = re.search(r"-replace '([^']*)', '([^']*)'", line).groups()
    assert re.sub(pattern, replacement, r"C:\Users\me\kafka on kind\data\kind") == "C:/Users/me/kafka on kind/data/kind"
    # The path sits in a single-quoted YAML scalar: quotes are doubled.
    assert "-replace \"'\", \"''\"" in ps1


def balance(text: str) -> dict[str, int]:
    """Bracket balance outside strings and comments (a rough well-formedness check for PowerShell)."""
    counts = {"(": 0, "{": 0, "[": 0}
    closing = {")": "(", "}": "{", "]": "["}
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("<#", i):
            i = text.index("#>", i) + 2
            continue
        if c == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if c == "'":
            i += 1
            while True:
                if text[i] == "'" and text[i + 1:i + 2] == "'":
                    i += 2
                elif text[i] == "'":
                    break
                else:
                    i += 1
        elif c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "`" else 1
        elif c in counts:
            counts[c] += 1
        elif c in closing:
            counts[closing[c]] -= 1
            assert counts[closing[c]] >= 0, f"unbalanced {c} near: {text[max(0, i - 80):i + 1]!r}"
        i += 1
    return counts


def test_powershell_is_well_formed():
    assert balance(PS1.read_text()) == {"(": 0, "{": 0, "[": 0}


def test_no_latest_and_pinned_versions_from_versions_env():
    ps1 = PS1.read_text()
    assert ":latest" not in ps1.replace("':latest' is not accepted", "")
    for pin in ("KAFKA_VERSION", "KAFKA_CLUSTER_ID", "KIND_NODE_IMAGE", "TRAEFIK_VERSION", "KAFKA_UI_VERSION"):
        assert f"$Versions.{pin}" in ps1 or f"'{pin}'" in ps1, pin


def test_comandos_bat_runs_deploy_ps1_with_all_arguments():
    bat = BAT.read_bytes()
    assert b"\r\n" in bat, "CRLF line endings for cmd.exe"
    text = bat.decode()
    assert re.search(r'-File "%~dp0deploy\.ps1" %\*', text)
    assert "-ExecutionPolicy Bypass" in text
