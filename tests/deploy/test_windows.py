"""deploy.ps1 and comandos.bat cannot run here (no PowerShell, no cmd.exe: PowerShell comes from Microsoft's own
package feeds, which this machine does not reach), so what can be read from them is checked, statically.

deploy.ps1 is a launcher of ./deploy.sh (in WSL 2, else Git Bash), not a second implementation: it must hand every
argument through, reimplement nothing, and document the same verbs and options as deploy.sh. Windows PowerShell 5.1
(what Windows ships) builds a native command's command line without escaping embedded double quotes, drops empty
arguments, and quotes an argument with a space and a trailing backslash as "...\": so no argument it hands to a native
command may have one of these forms. Every native invocation is parsed out of the script, its argument vector is put
through a model of PowerShell 5.1's command-line building and of the Microsoft C runtime's parsing (what wsl.exe -e
and bash.exe use), and must come out unchanged, for checkout paths with spaces and non-ASCII letters. comandos.bat
must get past the default execution policy and keep a double-clicked window open on failure; the README's command
must work as written.
"""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import KIND_DIR, ROOT

PS1 = ROOT / "deploy.ps1"
BAT = ROOT / "comandos.bat"
BASH = KIND_DIR / "deploy-kind.sh"
README = ROOT / "README.md"


def kind_help() -> str:
    result = subprocess.run([str(BASH), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def bash_verbs() -> set[str]:
    return set(re.findall(r"^\s+deploy-kind\.sh \[?([a-z]+)\]?", kind_help(), re.M))


def bash_options() -> set[str]:
    usage = [line for line in kind_help().splitlines() if line.lstrip().startswith("deploy-kind.sh ")]
    return {o for line in usage for o in re.findall(r"--[a-z][a-z-]*", line)} - {"--help"}


def code_of(ps1: str) -> str:
    """The script after its comment-based help."""
    return ps1.split("\n#>\n", 1)[1]


def code_only(ps1: str) -> str:
    """The script after its help, without its comments."""
    return "\n".join(strip_comment(line) for line in code_of(ps1).splitlines())


def test_the_bash_deploy_has_the_verbs_and_options_the_launcher_documents():
    assert bash_verbs() == {"up", "down", "status", "doctor"}
    assert {"--data-dir", "--http-port", "--https-port", "--with-ui", "--no-smoke", "--overlay", "--purge"} <= bash_options()
    help_text = PS1.read_text().split("#>", 1)[0]
    for verb in bash_verbs():
        assert re.search(rf"^\s+{verb}\s", help_text, re.M), f"deploy.ps1's help lacks {verb}"
    for option in bash_options():
        assert option in help_text, f"deploy.ps1's help lacks {option}"


def test_the_script_is_ascii_and_its_help_is_the_comment_block():
    raw = PS1.read_bytes()
    # Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page: only ASCII reads the same everywhere.
    assert raw.isascii(), "deploy.ps1 must stay ASCII"
    lines = raw.decode().splitlines()
    assert lines[0] == "<#" and "#>" in lines, "the help printer prints the lines between '<#' and '#>'"
    assert "[array]::IndexOf($lines, '#>')" in code_of(raw.decode())


# ------------------------------------------------------------------------------------------ native command invocations

def strip_comment(line: str) -> str:
    """A PowerShell line without its '#' comment (a '#' inside a quoted string is kept)."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#":
            return line[:i]
    return line


def ps_tokens(text: str) -> list[str]:
    """The arguments of one PowerShell command, as written: barewords, 'single-quoted' and "double-quoted" strings,
    $variables and @splats, up to the end of the statement ('}', ';', ')', '|' or a redirection)."""
    tokens, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "});|" or text.startswith("2>", i) or text.startswith("*>", i) or c == ">":
            break
        elif c == "'":
            j = i + 1
            while True:
                j = text.index("'", j)
                if text[j + 1:j + 2] == "'":
                    j += 2
                    continue
                break
            tokens.append(text[i:j + 1])
            i = j + 1
        elif c == '"':
            j = text.index('"', i + 1)
            tokens.append(text[i:j + 1])
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "});|":
                j += 1
            tokens.append(text[i:j])
            i = j
    return tokens


# wsl.exe called by name (after '&' or not); Git Bash's bash.exe through its path in $bash, with '&'.
NATIVE = re.compile(r"(?:(?:^|[{;(])\s*(?:&\s*)?(wsl\.exe)|&\s*(\$bash))(?=\s)")


def native_invocations() -> list[list[str]]:
    """Every call of wsl.exe or Git Bash in deploy.ps1's code: [program, argument tokens...]."""
    calls = []
    for line in code_of(PS1.read_text()).splitlines():
        code = strip_comment(line)
        # Messages (Write-Host, Write-Warning, Fail) mention commands inside strings: not invocations.
        outside = re.sub(r"'(?:[^']|'')*'|\"[^\"]*\"", lambda m: " " * len(m.group()), code)
        for m in NATIVE.finditer(outside):
            calls.append([m.group(1) or m.group(2)] + ps_tokens(code[m.end():]))
    return calls


def test_the_native_invocations_are_exactly_these():
    assert native_invocations() == [
        ["wsl.exe", "-e", "bash", "-l", "-c", "'command -v docker'"],
        ["wsl.exe", "--cd", "$Root", "-e", "true"],
        ["wsl.exe", "--cd", "$Root", "-e", "bash", "-l", "./deploy.sh", "@forward"],
        ["$bash", "./deploy.sh", "@forward"],
    ]


def test_no_literal_argument_of_a_native_command_contains_a_double_quote():
    for call in native_invocations():
        for token in call[1:]:
            assert '"' not in token, f"{call}: PowerShell 5.1 would not hand {token} on intact"
            # Only plain words, single-quoted literals, $Root and @forward (checked below) reach a native command.
            assert re.fullmatch(r"[\w./-]+|'[^']*'|\$Root|@forward", token), f"{call}: {token}"
    code = code_only(PS1.read_text())
    # No shell script that needs quoting inside it, no command line built as one string, nothing re-parsed by cmd.
    assert "cd \"$1\"" not in code and "Start-Process" not in code and "cmd /c" not in code.lower()


def test_what_reaches_a_native_command_through_variables_is_checked():
    code = code_of(PS1.read_text())
    # @forward is only ever the result of ConvertTo-DeployArguments, which checks every element it returns.
    assert re.findall(r"\$forward = (.*)", code) == ["ConvertTo-DeployArguments $given '/mnt/'",
                                                     "ConvertTo-DeployArguments $given '/'"]
    convert = code[code.index("function ConvertTo-DeployArguments"):]
    convert = convert[:convert.index("\n}\n")]
    assert "foreach ($a in $out) { Assert-NativeArgument $a }" in convert
    check = code[code.index("function Assert-NativeArgument"):]
    check = check[:check.index("\n}\n")]
    assert "$Value -eq ''" in check                                   # PowerShell 5.1 drops an empty argument
    assert "$Value.Contains('\"')" in check                          # and does not escape an embedded quote
    assert "$Value -match '\\s' -and $Value.EndsWith('\\')" in check  # "a b\" reads as an escaped quote
    # $Root is $PSScriptRoot: a Windows folder (no double quote can be in one; no trailing backslash but a drive root).
    assert "$Root = $PSScriptRoot" in code


def ps51_command_line(args: list[str]) -> str:
    """How Windows PowerShell 5.1 (legacy argument passing) joins arguments into a command line: an empty argument is
    dropped, one with whitespace outside double quotes is wrapped in double quotes, and nothing is escaped."""
    out = []
    for a in args:
        if a == "":
            continue
        quotes, needs, backslash = 0, False, False
        for c in a:
            if c == '"' and not backslash:
                quotes += 1
            elif c.isspace() and quotes % 2 == 0:
                needs = True
                break
            backslash = c == "\\"
        out.append(f'"{a}"' if needs else a)
    return " ".join(out)


def command_line_to_argv(line: str) -> list[str]:
    """The Microsoft C runtime's (CommandLineToArgvW's) parsing, which wsl.exe applies to the command after -e."""
    args, cur, i, n, quoted, have = [], [], 0, len(line), False, False
    while i < n:
        c = line[i]
        if c == "\\":
            j = i
            while j < n and line[j] == "\\":
                j += 1
            count = j - i
            if j < n and line[j] == '"':
                cur.append("\\" * (count // 2))
                if count % 2:
                    cur.append('"')
                    i = j + 1
                else:
                    i = j
                have = True
                continue
            cur.append("\\" * count)
            i = j
            have = True
            continue
        if c == '"':
            if quoted and line[i + 1:i + 2] == '"':
                cur.append('"')
                i += 2
                continue
            quoted = not quoted
            have = True
            i += 1
            continue
        if c in " \t" and not quoted:
            if have:
                args.append("".join(cur))
                cur, have = [], False
            i += 1
            continue
        cur.append(c)
        have = True
        i += 1
    if have:
        args.append("".join(cur))
    return args


def through_powershell_51(args: list[str]) -> list[str]:
    return command_line_to_argv(ps51_command_line(args))


def test_the_model_reproduces_the_old_launchers_failure():
    # The launcher before: bash -c 'cd "$1" && ...' deploy <path>. PowerShell 5.1 loses the inner quotes.
    old = ["-e", "bash", "-c", 'cd "$1" && shift && exec ./deploy.sh "$@"', "deploy", "/mnt/c/Users/Jane Doe/kafka", "up"]
    assert through_powershell_51(old) != old
    assert through_powershell_51(["--data-dir", ""]) == ["--data-dir"]
    assert through_powershell_51(["C:\\Users\\Jane Doe\\"]) != ["C:\\Users\\Jane Doe\\"]


CHECKOUTS = ["C:\\src\\kafka-on-kind", "C:\\Users\\Jane Doe\\src\\kafka-on-kind",
             "C:\\Users\\Jane Doe\\OneDrive - Contoso\\kafka-on-kind", "C:\\Users\\Jos\u00e9\\kafka-on-kind", "D:\\"]
FORWARDED = [[], ["doctor"], ["up", "--http-port", "8080", "--with-ui"],
             ["up", "--data-dir", "/mnt/c/Users/Jane Doe/kafka data", "--no-smoke"],
             ["down", "--purge", "--data-dir=/mnt/d/J\u00f6rg's data & more"], ["status", "--overlay", "cloud"]]


@pytest.mark.parametrize("root", CHECKOUTS)
@pytest.mark.parametrize("forward", FORWARDED)
def test_every_native_argument_vector_survives_powershell_51(root, forward):
    values = {"$Root": [root], "@forward": forward}
    for program, *tokens in native_invocations():
        argv = []
        for t in tokens:
            argv += values[t] if t in values else [t[1:-1] if t.startswith("'") else t]
        assert through_powershell_51(argv) == argv, (program, argv)


def test_the_wsl_call_is_cd_exec_login_bash_with_the_forwarded_arguments():
    code = code_of(PS1.read_text())
    # --cd takes the Windows folder as it is (no wslpath, whose answer comes back in the OEM code page), -e runs bash
    # without the default shell re-parsing anything, -l makes it a login shell (~/.profile's PATH: kind, kubectl).
    assert "& wsl.exe --cd $Root -e bash -l ./deploy.sh @forward" in code
    assert "wslpath" not in code_only(PS1.read_text()) and "Out-String" not in code
    # Its exit status is deploy.sh's, in both ways.
    assert re.search(r"& wsl\.exe --cd \$Root -e bash -l \./deploy\.sh @forward\n\s+\$code = \$LASTEXITCODE\n\s+exit \$code", code)
    assert re.search(r"try \{ & \$bash \./deploy\.sh @forward; \$code = \$LASTEXITCODE \} finally \{ Pop-Location \}\n\s+exit \$code", code)
    assert code.count("exit $code") == 2
    # deploy.sh's output is not captured or piped (it writes to the console itself, no re-encoding): the two runs are
    # statements of their own; the probes (Invoke-Quiet) discard their output.
    for line in code.splitlines():
        if re.search(r"\bwsl\.exe (-e|--cd)", strip_comment(line)) and "./deploy.sh" not in line:
            assert "Invoke-Quiet {" in line, line
    assert "$given = @($args | ForEach-Object { [string]$_ })" in code


def test_a_windows_data_dir_is_mapped_in_powershell_and_warned_about():
    code = code_of(PS1.read_text())
    convert = code[code.index("function ConvertTo-DeployArguments"):]
    assert "$a -eq '--data-dir'" in convert and "$a.StartsWith('--data-dir=')" in convert
    mapping = code[code.index("function ConvertTo-LinuxPath"):]
    mapping = mapping[:mapping.index("\n}\n")]
    # C:\x\y -> /mnt/c/x/y (WSL) or /c/x/y (Git Bash), by PowerShell itself; Linux paths (/..., ~/...) as they are.
    assert "'^([A-Za-z]):[\\\\/]*(.*)$'" in mapping and "ToLowerInvariant()" in mapping
    assert "-replace '[\\\\/]+', '/'" in mapping  # C:/x//y and C:\x\y alike: single slashes
    assert "GetUnresolvedProviderPathFromPSPath" in mapping
    assert "KAFKA-1194" in mapping and "Write-Warning" in mapping


def map_like_the_script(path: str, prefix: str) -> str:
    """ConvertTo-LinuxPath with the script's own patterns (.NET and Python read these regular expressions alike), for a
    path that is already absolute (GetUnresolvedProviderPathFromPSPath, which makes it so, needs PowerShell)."""
    code = code_of(PS1.read_text())
    windows = re.search(r"if \(\$Path -notmatch '([^']+)' -and -not \$Path\.Contains\('\\'\)\)", code).group(1)
    drive = re.search(r"if \(\$full -notmatch '([^']+)'\)", code).group(1)
    slashes = re.search(r"\$Matches\[2\] -replace '([^']+)', '/'", code).group(1)
    if not re.match(windows, path) and "\\" not in path:
        return path
    m = re.match(drive, path)
    assert m, path
    return (prefix + m.group(1).lower() + "/" + re.sub(slashes, "/", m.group(2))).rstrip("/")


@pytest.mark.parametrize("given, wsl, git_bash", [
    ("C:\\data", "/mnt/c/data", "/c/data"),
    ("C:\\Users\\Jane Doe\\kafka data\\", "/mnt/c/Users/Jane Doe/kafka data", "/c/Users/Jane Doe/kafka data"),
    ("d:/x//y", "/mnt/d/x/y", "/d/x/y"),
    ("E:\\", "/mnt/e", "/e"),
    ("C:\\Users\\Jos\u00e9\\data", "/mnt/c/Users/Jos\u00e9/data", "/c/Users/Jos\u00e9/data"),
    ("~/kafka-data", "~/kafka-data", "~/kafka-data"),
    ("/mnt/c/data", "/mnt/c/data", "/mnt/c/data"),
    ("data", "data", "data"),
])
def test_data_dir_mapping(given, wsl, git_bash):
    assert map_like_the_script(given, "/mnt/") == wsl
    assert map_like_the_script(given, "/") == git_bash


def test_the_launcher_reimplements_nothing_and_sends_nobody_to_winget():
    code = code_of(PS1.read_text())
    # No second implementation to keep in step: no kind, kubectl or kustomize calls, no version pins.
    for word in ("kind create", "kind load", "kubectl apply", "kubectl --context", "kustomize build", "docker build",
                 "docker save"):
        assert word not in code, word
    # kind.exe / kubectl.exe from winget are invisible to bash in WSL: the advice is to install them inside WSL.
    assert "winget install" not in PS1.read_text()
    assert "inside WSL" in code and "go install sigs.k8s.io/kind@" in code


def test_wsl_keeps_the_data_off_ntfs():
    scripts = "\n".join(p.read_text() for p in sorted(KIND_DIR.rglob("*.sh")))
    # deploy.sh's default data directory in WSL, for a checkout on a Windows drive, is on the WSL file system.
    assert re.search(r'"\$ROOT" == /mnt/\[a-z\]/\*', scripts) and re.search(r"[Mm]icrosoft|icrosoft\*", scripts)
    assert "KAFKA-1194" in scripts and "KAFKA-1194" in PS1.read_text()


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
    assert len(re.findall(r'-NoProfile -ExecutionPolicy Bypass -File "%~dp0deploy\.ps1" %\*', text)) == 2
    # Double-clicked, cmd runs it with /c and closes the window at the end: pause on failure then only.
    lines = [l.strip() for l in text.splitlines()]
    i = lines.index('set "rc=%ERRORLEVEL%"')
    assert lines[i + 1] == 'if "%rc%"=="0" exit /b 0'
    # Windows' own find.exe (Git's Unix tools on the PATH bring another find).
    detect = 'echo %cmdcmdline% | "%SystemRoot%\\System32\\find.exe" /i "/c" >nul'
    assert detect in lines[i + 1:]
    j = lines.index(detect)
    assert lines[j + 1] == "if errorlevel 1 exit /b %rc%"
    assert "pause" in lines[j + 2:] and lines[-1] == "exit /b %rc%"


def test_readme_windows_command_works_under_the_default_execution_policy():
    readme = README.read_text()
    assert "powershell -ExecutionPolicy Bypass -File .\\deploy.ps1" in readme
    # Never the bare form, which the default policy (Restricted / RemoteSigned for downloads) blocks.
    assert not re.search(r"`\.\\deploy\.ps1", readme)
    assert "KAFKA-1194" in readme and "WSL" in readme
