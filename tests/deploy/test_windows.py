"""deploy.ps1 and comandos.bat cannot run here (no PowerShell, no cmd.exe): check what can be read from them. deploy.ps1
is a launcher of ./deploy.sh (in WSL 2, else Git Bash), not a second implementation: it must hand every argument
through unchanged, reimplement nothing, and document the same verbs as deploy.sh. comandos.bat must get past the
default execution policy and keep a double-clicked window open on failure; the README's command must work as written.
"""
from __future__ import annotations

import re

from conftest import KIND_DIR, ROOT

PS1 = ROOT / "deploy.ps1"
BAT = ROOT / "comandos.bat"
BASH = KIND_DIR / "deploy-kind.sh"
README = ROOT / "README.md"


def bash_verbs() -> set[str]:
    (verbs,) = re.findall(r"^\s+(up(?:\|[a-z]+)+)\) verb=", BASH.read_text(), re.M)
    return set(verbs.split("|"))


def bash_options() -> set[str]:
    return set(re.findall(r"^\s+(--[a-z-]+)\)", BASH.read_text(), re.M))


def test_the_bash_deploy_has_the_verbs_and_options_the_launcher_documents():
    assert bash_verbs() == {"up", "down", "status", "doctor"}
    help_text = PS1.read_text().split("#>", 1)[0]
    for verb in bash_verbs():
        assert re.search(rf"^\s+{verb}\s", help_text, re.M), f"deploy.ps1's help lacks {verb}"
    for option in bash_options():
        assert option in help_text, f"deploy.ps1's help lacks {option}"


def test_the_launcher_hands_every_argument_to_deploy_sh_and_reimplements_nothing():
    ps1 = PS1.read_text()
    code = ps1.split("#>", 1)[1]
    # Both ways run ./deploy.sh with all arguments ("$@" inside bash, @forward = $args from PowerShell).
    runs = re.findall(r"-c 'cd \"\$1\" && shift && exec \./deploy\.sh \"\$@\"' deploy .*@forward", code)
    assert len(runs) == 2, runs
    assert "$forward = @($args" in code
    assert "wsl.exe -e bash" in code and "wslpath -a" in code and "bash.exe" in code
    # No second implementation to keep in step: no kind, kubectl or kustomize calls, no version pins.
    for word in ("kind create", "kind load", "kubectl apply", "kubectl --context", "kustomize build", "versions.env",
                 "docker build", "docker save"):
        assert word not in code, word
    # Its exit status is deploy.sh's.
    assert code.count("exit $code") == 2


def test_wsl_keeps_the_data_off_ntfs():
    bash = BASH.read_text()
    assert re.search(r'\[\[ "\$ROOT" == /mnt/\[a-z\]/\* \]\] && grep -qi microsoft /proc/version', bash)
    assert "KAFKA-1194" in bash and "KAFKA-1194" in PS1.read_text()


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


def test_comandos_bat_runs_deploy_ps1_with_all_arguments_and_keeps_a_failed_window_open():
    bat = BAT.read_bytes()
    assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b""), "CRLF line endings for cmd.exe"
    text = bat.decode()
    assert len(re.findall(r'-ExecutionPolicy Bypass -File "%~dp0deploy\.ps1" %\*', text)) == 2
    # Double-clicked, cmd runs it with /c and closes the window at the end: pause on failure then only.
    lines = [l.strip() for l in text.splitlines()]
    i = lines.index('set "rc=%ERRORLEVEL%"')
    assert lines[i + 1] == 'if "%rc%"=="0" exit /b 0'
    assert 'echo %cmdcmdline% | find /i "/c" >nul' in lines[i + 1:]
    j = lines.index('echo %cmdcmdline% | find /i "/c" >nul')
    assert lines[j + 1] == "if errorlevel 1 exit /b %rc%"
    assert "pause" in lines[j + 2:] and lines[-1] == "exit /b %rc%"


def test_readme_windows_command_works_under_the_default_execution_policy():
    readme = README.read_text()
    assert "powershell -ExecutionPolicy Bypass -File .\\deploy.ps1" in readme
    # Never the bare form, which the default policy (Restricted / RemoteSigned for downloads) blocks.
    assert not re.search(r"`\.\\deploy\.ps1", readme)
    assert "KAFKA-1194" in readme and "WSL" in readme
