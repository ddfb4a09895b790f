"""The scripts a user runs work with macOS's /bin/bash 3.2 and BSD tools, not only with bash 5 and GNU coreutils.

A static scan for the known pitfalls, each reported as file:line. Scripts that only ever run on the offline build host
of ./test.sh --kind may use bash 4+, and say so in a header line; exactly those are skipped. The scanner itself is
tested against small bad and good snippets, so a broken pattern cannot pass silently.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

# The header that exempts a script (it must also live under one of EXEMPT_DIRS).
BASH4_HEADER = "# bash 4+: runs only on the offline build host"
EXEMPT_DIRS = ("images/offline/",)

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# (pattern, what is wrong): each pattern is searched in a line with its comment and quoted heredoc bodies removed.
PITFALLS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(declare|typeset|local)\s+(-\w*\s+)*-\w*A"), "associative arrays (declare -A) need bash 4"),
    (re.compile(r"\b(mapfile|readarray)\b"), "mapfile/readarray need bash 4: use a while read loop"),
    (re.compile(r"\$\{" + _NAME + r"(\[[^]]*\])?(\^\^?|,,?)\}"), "${x^^} / ${x,,} case conversion needs bash 4: use tr"),
    (re.compile(r"(;;&|[^;&];&)(\s|$)"), "case fall-through ;& / ;;& needs bash 4"),
    (re.compile(r"&>>"), "&>> needs bash 4: use >>file 2>&1"),
    (re.compile(r"\|&"), "|& needs bash 4: use 2>&1 |"),
    (re.compile(r"\$\{#?" + _NAME + r"\[\s*-\s*\d+\s*\]\}"), "negative array index needs bash 4.3"),
    (re.compile(r"\bprintf\s+-v\s+['\"]?" + _NAME + r"\["), "printf -v into an array element needs bash 4"),
    (re.compile(r"\b(local|declare|typeset)\s+(-\w*\s+)*-\w*n\b"), "namerefs (local -n) need bash 4.3"),
    (re.compile(r"\b(declare|typeset)\s+(-\w*\s+)*-\w*g"), "declare -g needs bash 4.2"),
    (re.compile(r"(^|[;&|({]\s*)coproc\b"), "coproc needs bash 4"),
    (re.compile(r"\bwait\s+-n\b"), "wait -n needs bash 4.3"),
    (re.compile(r"\$\{?(EPOCHSECONDS|EPOCHREALTIME|BASHPID)\b"), "$EPOCHSECONDS/$BASHPID need bash 4/5: use $SECONDS or date"),
    (re.compile(r"\[\[\s+(!\s+)?-v\s"), "[[ -v ]] needs bash 4.2: use [[ -n ${x+set} ]]"),
    (re.compile(r"\$\{" + _NAME + r"(\[[^]]*\])?@[QEPAKaUuL]\}"), "${x@Q} transformations need bash 4.4"),
    (re.compile(r"\bshopt\s+-s\s+.*\b(globstar|lastpipe|inherit_errexit|autocd|direxpand)\b"), "that shopt needs bash 4"),
    (re.compile(r"(^|\s)(exec\s+)?\{" + _NAME + r"\}[<>]"), "{fd}> automatic file descriptors need bash 4.1"),
    (re.compile(r"printf\s+(-v\s+\S+\s+)?['\"][^'\"]*%\([^)]*\)T"), "printf %(...)T needs bash 4.2: use date"),
    (re.compile(r"\$\{" + _NAME + r"//?[^}]*\\'"),
     "an escaped quote in ${x//pat/rep} keeps its backslash in bash 3.2: put the quote in a variable"),
    # Empty arrays: bash < 4.4 treats "${a[@]}" of an empty array as unbound under set -u.
    (re.compile(r"(?<![+#!])\$\{" + _NAME + r"\[[@*]\](\}|:[0-9$])"),
     'expansion of a possibly empty array under set -u fails in bash < 4.4: write ${a[@]+"${a[@]}"}'),
    (re.compile(r"\$\(\s*case\b|\$\([^)]*[;&|]\s*case\b"),
     "case inside $(...) does not parse in bash 3.2 (a pattern's ')' ends the substitution): move it into a function"),
    # BSD userland (macOS): GNU-only options.
    (re.compile(r"\bsed\s+(-[a-zA-Z]*\s+)*-[a-zA-Z]*i(\s|$|'')"),
     "sed -i differs between GNU and BSD sed: write to a temporary file and mv it"),
    (re.compile(r"\breadlink\s+(-\w*\s+)*-\w*[fem]"), "readlink -f is GNU-only: use cd \"$(dirname ...)\" && pwd -P"),
    (re.compile(r"\bgrep\s+(-\w+\s+)*-\w*P"), "grep -P is GNU-only: use grep -E or sed -E"),
    (re.compile(r"\bdate\s+(\S+\s+)*-d\s"), "date -d is GNU-only (BSD: date -j -f): use $SECONDS or seconds since the epoch"),
    (re.compile(r"\bstat\s+(-\w+\s+)*-c\b|\bstat\s+--format"), "stat -c is GNU-only (BSD: stat -f)"),
]
# An array expansion is acceptable when the line guards it: ${a[@]+"${a[@]}"}.
GUARDED = re.compile(r"\$\{(" + _NAME + r")\[([@*])\]\+\"?\$\{\1\[\2\]\}\"?\}")


def strip_comment(line: str) -> str:
    """The line without a trailing # comment (a # inside quotes or ${#...} / $# is kept)."""
    out, quote, i = [], None, 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                out.append(line[i:i + 2])
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "\\":
            out.append(line[i:i + 2])
            i += 2
            continue
        elif c == "#" and (i == 0 or line[i - 1] in " \t;|&("):
            break
        out.append(c)
        i += 1
    return "".join(out)


def shell_lines(text: str):
    """(number, raw line, line to scan) for each line of shell: comments removed, quoted heredocs (<<'EOF': data for
    another program, python or YAML) skipped, single-quoted text (never expanded: sed, awk or python code) blanked."""
    heredoc_end: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        if heredoc_end is not None:
            if raw.strip() == heredoc_end:
                heredoc_end = None
            continue
        line = strip_comment(raw)
        quoted = re.search(r"<<-?\s*(['\"])(\w+)\1", line)
        if quoted:
            heredoc_end = quoted.group(2)
        yield number, raw, re.sub(r"'[^']*'", "''", line)


def pitfalls(text: str, name: str = "<snippet>") -> list[str]:
    """'name:line: what' for every pitfall found in a script's text."""
    found = []
    for number, raw, scan in shell_lines(text):
        scan = GUARDED.sub("", scan)
        for pattern, what in PITFALLS:
            if pattern.search(scan):
                found.append(f"{name}:{number}: {what}: {raw.strip()}")
    return found


# A pipeline into a reader that can stop before its input ends: grep -q / -m / -l / -L exits at the first match, head
# after its lines. A writer still writing then dies of SIGPIPE, and under set -o pipefail the pipeline fails although
# the reader found what it looked for (`docker build --help | grep -q -- --provenance` said 'no' in 19 of 200 runs).
# Capture first (out="$(cmd)"; [[ $out == *x* ]], or grep -q x <<<"$out"). A head whose status is discarded
# (... | head -n1 || true) is safe: it printed its lines before the writer died. No allow-list: no writer is provably
# safe. Even printf of a short variable is not: bash writes its output line by line, and
# `printf '%s\n' "$two_lines" | grep -q '^first$'` failed 3 times in 2000.
USER_FACING = ("deploy.sh", "deploy/", "scripts/", "tests/kind/e2e.sh")
_PIPE_TO = re.compile(r"(?<![|])\|(?![|&])\s*(?:\w+=\S*\s+)*(grep|head)\b")
_GREP_STOPS = re.compile(r"--(quiet|silent|max-count|files-with-matches|files-without-match)\b")


def _grep_stops_early(args: str) -> bool:
    """True when grep's options (up to its first operand) include -q, -m, -l or -L."""
    words = iter(args.split())
    for word in words:
        if word == "--" or not word.startswith("-"):
            return False
        if word.startswith("--"):
            if _GREP_STOPS.match(word):
                return True
            continue
        for i, letter in enumerate(word[1:], 2):
            if letter in "qmlL":
                return True
            if letter in "efABCd":  # the rest of the word, or else the next word, is this option's argument
                if i == len(word):
                    next(words, None)
                break
    return False


def early_exit_pipelines(text: str, name: str = "<snippet>") -> list[str]:
    """'name:line: what' for every pipeline into grep -q/-m/-l/-L, or into a head whose status counts."""
    found = []
    continued = False  # the previous line ended in a pipe
    for number, raw, scan in shell_lines(text):
        if continued:
            scan = "| " + scan.lstrip()
        continued = bool(re.search(r"(?<![|])\|\s*$", scan))
        for match in _PIPE_TO.finditer(scan):
            reader, rest = match.group(1), scan[match.end():]
            if reader == "grep" and _grep_stops_early(re.split(r"[|;&)]", rest)[0]):
                found.append(f"{name}:{number}: a pipeline into grep -q/-m/-l fails under pipefail when the writer "
                             f"gets SIGPIPE: capture the output first: {raw.strip()}")
            elif reader == "head" and not re.search(r"\|\|\s*(true|:)\b", rest):
                found.append(f"{name}:{number}: a pipeline into head fails under pipefail when the writer gets "
                             f"SIGPIPE: capture the output first, or discard the status (|| true): {raw.strip()}")
    return found


def shell_scripts() -> list[str]:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    out = []
    for f in files:
        path = ROOT / f
        if not path.is_file() or f.startswith(("services/", "libs/", "tests/support/")):
            continue
        try:
            first = path.open(encoding="utf-8").readline()
        except (UnicodeDecodeError, OSError):
            continue
        if f.endswith(".sh") or re.match(r"#!.*\b(ba)?sh\b", first):
            out.append(f)
    return sorted(out)


def exempt(path: str) -> bool:
    head = (ROOT / path).read_text().splitlines()[:5]
    return any(line.startswith(BASH4_HEADER) for line in head)


def test_user_scripts_have_no_bash4_or_gnu_only_constructs():
    scripts = [s for s in shell_scripts() if not exempt(s)]
    # The scripts the issue names are all scanned (not exempted, not missed).
    for must in ("deploy.sh", "test.sh", "deploy/kind/deploy-kind.sh", "deploy/local/local.sh", "scripts/lib/common.sh",
                 "tests/kind/run.sh", "tests/deploy/run-checks.sh", "tests/deploy/stubs/docker"):
        assert must in scripts, must
    problems = [p for s in scripts for p in pitfalls((ROOT / s).read_text(), s)]
    assert not problems, "bash 3.2 / BSD pitfalls:\n" + "\n".join(problems)


def test_user_scripts_pipe_into_no_reader_that_stops_early():
    scripts = [s for s in shell_scripts() if s.startswith(USER_FACING) and not exempt(s)]
    for must in ("deploy.sh", "deploy/kind/deploy-kind.sh", "deploy/local/local.sh", "scripts/lib/common.sh",
                 "tests/kind/e2e.sh"):
        assert must in scripts, must
    problems = [p for s in scripts for p in early_exit_pipelines((ROOT / s).read_text(), s)]
    assert not problems, "pipelines that SIGPIPE can fail:\n" + "\n".join(problems)


def test_only_offline_build_host_scripts_are_exempt():
    exempted = [s for s in shell_scripts() if exempt(s)]
    assert all(s.startswith(EXEMPT_DIRS) for s in exempted), exempted
    # And those do need it: the header is not a blanket excuse (at least one of them uses bash 4+ features).
    assert exempted, "no script carries the bash 4+ header"


BAD = {
    'set -u\nargs=()\nrun "${args[@]}"\n': "possibly empty array",
    "declare -A seen=()\n": "associative",
    "mapfile -t lines < f\n": "mapfile",
    "readarray -t lines < f\n": "mapfile",
    'echo "${name^^}"\n': "case conversion",
    'echo "${name,,}"\n': "case conversion",
    "case x in a) echo ;;& esac\n": "fall-through",
    "case x in\n  a) echo a ;&\nesac\n": "fall-through",
    "make &>> log\n": "&>>",
    "make |& tee log\n": "|&",
    'echo "${a[-1]}"\n': "negative",
    "local -n ref=x\n": "namerefs",
    "coproc cat\n": "coproc",
    "wait -n\n": "wait -n",
    "echo $EPOCHSECONDS\n": "EPOCHSECONDS",
    "[[ -v FOO ]] && echo\n": "-v",
    "sed -i 's/a/b/' f\n": "sed -i",
    "sed -i '' 's/a/b/' f\n": "sed -i",
    "sed -E -i 's/a/b/' f\n": "sed -i",
    'here="$(readlink -f "$0")"\n': "readlink",
    "grep -oP '\\d+' f\n": "grep -P",
    "date -d '1 hour ago' +%s\n": "date -d",
    "stat -c %u f\n": "stat -c",
    'printf -v "arr[1]" %s x\n': "printf -v",
    "exec {fd}>log\n": "{fd}",
    'echo "needs $(case "$x" in a) echo 1 ;; *) echo 2 ;; esac)"\n': "case inside",
    'v="$(x=1; case "$x" in 1) echo one ;; esac)"\n': "case inside",
    'dir="${DATA_DIR//\\\'/\\\'\\\'}"\n': "escaped quote",
}
GOOD = [
    'set -u\nargs=()\nrun ${args[@]+"${args[@]}"}\n',
    'echo "${#args[@]}"\n',
    "# declare -A in a comment is fine\n",
    "echo 'mapfile is only text here'\n",
    'log "installing ${missing[*]-}"\n',
    "awk '{ print ${x[@]} }' f\n",
    "case x in a) echo ;; esac\n",
    'v="$(value_of "$name")"; case "$v" in a) echo ;; esac\n',
    "make >>log 2>&1\n",
    "sed -e 's/a/b/' f > f.new && mv f.new f\n",
    "cd \"$(dirname \"$0\")\" && pwd -P\n",
    "grep -E '[0-9]+' f\n",
    "echo $((SECONDS - start))\n",
    "python3 - <<'EOF'\nx = {'a': 1}\nprint(f\"${x[@]}\")\nEOF\necho ok\n",
    'for b in ${BROKERS[@]+"${BROKERS[@]}"}; do :; done\n',
    "echo \"${!pin:-}\" $# ${#x}\n",
]


@pytest.mark.parametrize("snippet", sorted(BAD), ids=lambda s: s.splitlines()[-1][:30])
def test_the_scan_catches_each_pitfall(snippet):
    found = pitfalls(snippet)
    assert found, f"not caught: {snippet!r}"
    assert any(BAD[snippet] in f for f in found), found
    assert re.match(r"<snippet>:\d+: ", found[0]), "file:line"


@pytest.mark.parametrize("snippet", GOOD, ids=lambda s: s.splitlines()[0][:30])
def test_the_scan_accepts_portable_code(snippet):
    assert pitfalls(snippet) == []


EARLY_BAD = [
    "docker build --help 2>&1 | grep -q -- --provenance\n",
    "kind get clusters | grep -qx kok\n",
    "x | grep -m1 y\n",
    "x | grep --quiet y\n",
    "x | grep -il y\n",
    "cmd |\n  grep -qE 'a|b'\n",
    "v=\"$(cmd | head -n1)\"\n",
    "if cmd | LC_ALL=C grep -q y; then :; fi\n",
    "x | grep -v a | grep -q b\n",
]
EARLY_GOOD = [
    "grep -q y file\n",
    'grep -qF -- "$2" <<<"$1"\n',
    "a || grep -q y f\n",
    "x | grep -c y\n",
    "x | grep -v y | sort\n",
    "x | grep -oE 'v[0-9]+' | tail -n1\n",
    'v="$(cmd | head -n1 || true)"\n',
    "echo 'a | grep -q b'\n",
    "# x | grep -q y\n",
    "x | grep -e -q\n",
]


@pytest.mark.parametrize("snippet", EARLY_BAD, ids=lambda s: s.strip()[:30])
def test_the_pipeline_scan_catches_an_early_exit_reader(snippet):
    found = early_exit_pipelines(snippet)
    assert len(found) == 1 and "SIGPIPE" in found[0], found


@pytest.mark.parametrize("snippet", EARLY_GOOD, ids=lambda s: s.strip()[:30])
def test_the_pipeline_scan_accepts_readers_that_read_everything(snippet):
    assert early_exit_pipelines(snippet) == []


def test_a_finding_names_the_right_line():
    (finding,) = pitfalls("set -euo pipefail\nx=()\necho ok\nrun \"${x[@]}\"\n", "demo.sh")
    assert finding.startswith("demo.sh:4: ")
