"""Shared helpers for the deployment checks: render the kustomize overlays once, parse YAML, find the repo's files.

Nothing here needs a cluster or Docker: kustomize renders the manifests, and the tests read files.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KIND_DIR = ROOT / "deploy" / "kind"


def read_versions() -> dict[str, str]:
    """versions.env as a dict (the same KEY=VALUE rules as scripts/lib/common.sh)."""
    out = {}
    for line in (ROOT / "versions.env").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        out[key] = value
    return out


def kustomize_command() -> list[str]:
    for candidate in (ROOT / ".cache" / "bin" / "kustomize", shutil.which("kustomize")):
        if candidate and os.access(candidate, os.X_OK):
            return [str(candidate), "build"]
    kubectl = shutil.which("kubectl")
    if kubectl:
        return [kubectl, "kustomize"]
    pytest.fail("no kustomize: run scripts/install-k8s-tools.sh")


def render(directory: Path) -> list[dict]:
    """kustomize build DIRECTORY, parsed into a list of objects."""
    result = subprocess.run(kustomize_command() + [str(directory)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"kustomize build {directory} failed:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def render_with_ui(overlay: str) -> list[dict]:
    """An overlay plus the kafka-ui component, the way deploy-kind.sh --with-ui composes them."""
    scratch = ROOT / ".cache" / "deploy-checks" / f"{overlay}-with-ui"
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        f"resources:\n  - ../../../deploy/k8s/overlays/{overlay}\n"
        "components:\n  - ../../../deploy/k8s/components/kafka-ui\n"
    )
    return render(scratch)


RENDERINGS = {
    "kind": lambda: render(K8S / "overlays" / "kind"),
    "cloud": lambda: render(K8S / "overlays" / "cloud"),
    "kind+ui": lambda: render_with_ui("kind"),
}
_cache: dict[str, list[dict]] = {}


def rendered(name: str) -> list[dict]:
    if name not in _cache:
        _cache[name] = RENDERINGS[name]()
    return _cache[name]


@pytest.fixture(params=sorted(RENDERINGS))
def manifests(request) -> list[dict]:
    """Every rendering in turn (kind, cloud, kind+ui)."""
    return rendered(request.param)


@pytest.fixture
def kind_manifests() -> list[dict]:
    return rendered("kind")


@pytest.fixture
def cloud_manifests() -> list[dict]:
    return rendered("cloud")


def find(objects: list[dict], kind: str, name: str, namespace: str | None = None) -> dict:
    hits = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name
            and (namespace is None or o["metadata"].get("namespace") == namespace)]
    assert len(hits) == 1, f"expected one {kind} {name}, found {len(hits)}"
    return hits[0]


def workloads(objects: list[dict]) -> list[dict]:
    return [o for o in objects if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")]


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}


# ------------------------------------------------------------------------------------- macOS-like userland (KOK_USERLAND)
# With KOK_USERLAND=macos every test runs with a PATH that holds only commands macOS ships, linked from this machine:
# BWK awk (Debian's original-awk, the awk macOS has), no GNU-only tools (timeout, nproc, setsid, flock, getent,
# sha256sum, ...), and wrappers that refuse GNU-only options of the commands both have, because Debian has no BSD
# sed, grep, find or coreutils. The stand-in tests put tests/deploy/stubs in front of it (docker, kind, kubectl), so
# the deploy scripts and the stubs run as they would on a Mac. tests/deploy/run-checks.sh runs the stand-in tests a
# second time this way; a wrapper's refusal fails the test even when the script went on (e.g. through `|| true`).
USERLAND = ROOT / ".cache" / "macos-userland"

# What macOS has in /bin, /usr/bin and /usr/sbin (git, make and python3 with the Command Line Tools), linked where this
# machine has it. bash is the first one on the caller's PATH, so a bash 3.2 put there is used; awk is BWK awk.
MACOS_COMMANDS = (
    "[ base64 basename bash bc bzip2 cat chmod chown cksum cmp column comm cp csplit curl cut date dd df diff dirname "
    "du echo env expand expr false file find fmt fold getconf git grep groups gunzip gzip head hexdump hostname iconv id "
    "install join kill less link ln locale logger logname look ls lsof m4 make mkdir mkfifo mktemp more mv netstat nice "
    "nl nohup od openssl paste patch perl pgrep pkill pr printenv printf ps pwd python3 readlink realpath renice rev rm "
    "rmdir scp script sed seq sh shasum sleep sort split ssh stat strings stty sum tail tar tee test time touch tput tr "
    "true tsort tty uname unexpand uniq unlink unzip uptime w wc which who whoami xargs xxd yes zcat zip"
).split()

# GNU-only commands (or Linux-only ones) that macOS lacks: never in the userland. What to use instead:
GNU_ONLY = {
    "timeout": "a background job and kill, or: perl -e 'alarm shift; exec @ARGV' SECONDS COMMAND",
    "nproc": "getconf _NPROCESSORS_ONLN",
    "setsid": "nohup (test with command -v setsid first)",
    "flock": "mkdir DIR as the lock (atomic), or test with command -v flock first",
    "getent": "nothing portable: avoid it",
    "sha256sum": "shasum -a 256", "sha1sum": "shasum", "sha512sum": "shasum -a 512", "md5sum": "cksum, or shasum",
    "tac": "awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }'",
    "stdbuf": "nothing: avoid depending on a pipe's buffering",
    "numfmt": "awk arithmetic",
    "shuf": "awk with srand() and rand()",
    "truncate": ": >FILE to empty a file",
    "base32": "base64",
    "pidof": "pgrep -x",
    "ss": "lsof -nP -iTCP -sTCP:LISTEN, or a connection attempt (/dev/tcp)",
    "ip": "nothing portable (macOS: ifconfig, route)",
    "free": "nothing portable (macOS: sysctl hw.memsize, vm_stat)",
    "ionice": "nice", "chrt": "nice", "taskset": "nothing: avoid it",
    "runuser": "sudo -u", "unshare": "nothing: Linux only", "nsenter": "nothing: Linux only",
    "mountpoint": "df -P DIR", "systemctl": "nothing portable (macOS: launchctl)", "lscpu": "getconf _NPROCESSORS_ONLN",
    "gawk": "awk (BWK: no gensub, strftime, systime)", "mawk": "awk",
    # macOS has these two, but not these: another sysctl's keys (hw.ncpu, no fs.inotify.*), a getopt without long
    # options. Left out so that a script depending on the Linux ones is not mistaken for portable.
    "sysctl": "macOS's sysctl knows other keys: read /proc/sys only where it exists",
    "getopt": "a while/case loop over the arguments",
    "dpkg-query": "Debian only", "apt-get": "Debian only",
}

# Wrappers for commands macOS has in its BSD form: the BSD options (getopt letters; 'x:' takes an argument, 'x::' an
# attached optional one), whether BSD's takes --long options, what an option after the first operand is there
# ("reject": BSD reads it as an operand, only GNU moves options forward; "parse": BSD's getopt_long moves it too;
# "command": the rest is a command), and refusals for GNU-only forms: `case $c in ...` on each option letter
# (on_opt) and on each option's argument (on_arg, with $2). Where unsure, the BSD option set is the larger one: a
# wrapper may miss a GNU-only form, but never refuses valid BSD usage. BSD-only forms (sed -i '', date -j/-v/-f,
# stat -f, find -E) do not run here: these are GNU tools underneath. find has a check of its own (_FIND).
WRAPPERS: dict[str, dict[str, str]] = {
    "sed": dict(opts="Eae:f:I::i::lnru", long="no", after="reject",
                arg="i|I) [ -n \"$2\" ] || reject \"-$1 without an attached suffix: BSD sed takes the next word as the "
                    "backup suffix; write to a temporary file and mv it\" ;;"),
    "grep": dict(opts="0123456789A:aB:bC:cD:d:Ee:Ff:GHhIiJLlMm:nOopqRrSsTtUuVvwXxyZz", long="yes", after="parse",
                 long_case="--perl-regexp*) reject \"$1 is GNU-only: use grep -E\" ;;"),
    "head": dict(opts="c:n:qv0123456789", long="no", after="reject",
                 arg="c|n) case $2 in -*) reject \"-$1 $2: a negative count is GNU-only\" ;; esac ;;"),
    "tail": dict(opts="b:c:Ffn:qrv0123456789", long="no", after="reject"),
    "readlink": dict(opts="fn", long="no", after="reject",
                     opt="f) reject \"-f is GNU-only (macOS before 12.3 has none): cd \\\"\\$(dirname ...)\\\" && pwd -P\" ;;"),
    "date": dict(opts="d:f:I::jnRr:t:uv:z:", long="no", after="reject",
                 opt="d) reject \"-d is GNU-only (BSD: date -j -f FORMAT): use \\$SECONDS or seconds since the epoch\" ;;"),
    "stat": dict(opts="c:FLlnqrsxf:t:", long="no", after="reject",
                 opt="c) reject \"-c is GNU-only (BSD: stat -f FORMAT); a file's size: wc -c <FILE\" ;;"),
    "xargs": dict(opts="0E:I:J:L:n:oP:pR:rS:s:tx", long="no", after="command"),
    "mktemp": dict(opts="dp:qt:u", long="no", after="reject"),
    "cp": dict(opts="acfHiLlNnPpRrSsvXx", long="no", after="reject"),
    "mv": dict(opts="fhinv", long="no", after="reject"),
    "ln": dict(opts="FfhinLPsvw", long="no", after="reject"),
    "install": dict(opts="B:bCcD:df:g:h:l:M:m:N:o:pSsT:Uv", long="no", after="reject",
                    opt="D) reject \"-D is GNU-only (leading directories): mkdir -p the directory first\" ;;"),
    "cut": dict(opts="b:c:d:f:nsw", long="no", after="reject"),
    "tr": dict(opts="Ccdsu", long="no", after="reject"),
    "wc": dict(opts="clmwL", long="no", after="reject"),
    "df": dict(opts="abcgHhiklmnPTt:Y", long="no", after="reject"),
    "du": dict(opts="AB:cd:gHhI:kLlmnPrstx", long="no", after="reject"),
    "mkdir": dict(opts="m:pv", long="no", after="reject"),
    "rm": dict(opts="dfiIPRrvWx", long="no", after="reject"),
    "touch": dict(opts="Aacd:fhmr:t:", long="no", after="reject"),
    "basename": dict(opts="as:", long="no", after="reject"),
    "dirname": dict(opts="", long="no", after="reject"),
    "chown": dict(opts="fhnvxRHLP", long="no", after="reject"),
    "cat": dict(opts="belnstuv", long="no", after="reject"),
    "tee": dict(opts="ai", long="no", after="reject"),
}

# The option check the wrappers share (POSIX sh: it runs under dash and under macOS's /bin/sh alike).
_WRAPPER_LIB = r'''# The macOS-like userland's option check (written by tests/deploy/conftest.py; see WRAPPERS there).
reject() {
  printf 'macos-userland: %s: %s\n' "$TOOL" "$1" >&2
  if [ -n "${KOK_USERLAND_LOG:-}" ]; then printf '%s: %s   [%s %s]\n' "$TOOL" "$1" "$TOOL" "$ARGS" >>"$KOK_USERLAND_LOG"; fi
  exit 2
}
# check_options ARGS...: refuses what BSD's $TOOL (options $OPTS, long ones when LONG=yes) would not take.
check_options() {
  operand=false pending=""
  for w in "$@"; do
    if [ -n "$pending" ]; then on_arg "$pending" "$w"; pending=""; continue; fi
    if $operand && [ "$AFTER" = command ]; then break; fi
    case $w in
      --) break ;;
      --*) [ "$LONG" = yes ] || reject "$w: BSD $TOOL has no long options"; on_long "$w" ;;
      -?*)
        if $operand && [ "$AFTER" = reject ]; then
          reject "$w after an operand: BSD $TOOL reads it as an operand (only GNU moves options forward)"
        fi
        rest=${w#-}
        while [ -n "$rest" ]; do
          c=${rest%"${rest#?}"}
          rest=${rest#?}
          case $c in [!A-Za-z0-9]) reject "-$c is not an option of BSD $TOOL" ;; esac
          on_opt "$c"
          case $OPTS in
            *"$c::"*) on_arg "$c" "$rest"; rest="" ;;
            *"$c:"*) if [ -n "$rest" ]; then on_arg "$c" "$rest"; rest=""; else pending=$c; fi ;;
            *"$c"*) ;;
            *) reject "-$c is not an option of BSD $TOOL" ;;
          esac
        done ;;
      *) operand=true ;;
    esac
  done
}
ARGS="$*"
'''

# BSD find: options (-E -H -L -P -X -d -s -x, -f PATH) and then at least one path before the expression.
_FIND = r'''. "${0%/*}/../lib/options.sh"
state=options paths=0
for w in "$@"; do
  case $state in
    options)
      case $w in
        -f) state=fpath; continue ;;
        -[EHLPXdsx]*) case ${w#-} in *[!EHLPXdsx]*) ;; *) continue ;; esac ;;
      esac
      state=paths ;;
    fpath) paths=$((paths + 1)) state=options; continue ;;
  esac
  case $w in -*|'('|'!'|')') break ;; esac
  paths=$((paths + 1))
done
[ "$paths" -gt 0 ] || reject "no path before the expression: BSD find needs one (find . -name ...)"
for w in "$@"; do
  case $w in -printf|-fprintf|-fprint|-fprint0|-fls|-regextype) reject "$w is GNU-only" ;; esac
done
exec "$REAL" "$@"
'''

# BSD wc prints each count as " %7d" (then " NAME" for a file): `wc -l <f` is "      12", not "12".
_WC_TAIL = r'''counts=0
for w in "$@"; do
  case $w in --) break ;; -*) ;; *) break ;; esac
  case $w in *l*) counts=$((counts + 1)) ;; esac
  case $w in *w*) counts=$((counts + 1)) ;; esac
  case $w in *[cm]*) counts=$((counts + 1)) ;; esac
  case $w in *L*) counts=$((counts + 1)) ;; esac
done
[ "$counts" -gt 0 ] || counts=3
out=$("$REAL" "$@")
rc=$?
[ -z "$out" ] || printf '%s\n' "$out" | "$AWK" -v k="$counts" '{
  line = $0; out = ""
  for (i = 1; i <= k; i++) { sub(/^ +/, "", line); n = line; sub(/ .*/, "", n); line = substr(line, length(n) + 1); out = out sprintf(" %7s", n) }
  if (line != "") out = out " " substr(line, 2)
  print out
}'
exit $rc
'''


SYSTEM_DIRS = ("/usr/bin", "/bin", "/usr/sbin", "/sbin")


def _caller_path() -> str:
    """The caller's PATH without the stubs and without a userland (a test may run under one already)."""
    stubs = str(Path(__file__).parent / "stubs")
    return os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and p != stubs and not p.startswith(str(USERLAND)))


def _search_path() -> str:
    """Where the userland's commands come from: the system directories first (so not a GNU 'gnubin' that a Mac's PATH
    may hold), then the caller's PATH."""
    return os.pathsep.join([*SYSTEM_DIRS, _caller_path()])


def _bwk_awk() -> str | None:
    if os.uname().sysname == "Darwin":
        return shutil.which("awk", path="/usr/bin")
    return shutil.which("original-awk", path=_search_path())


def _wrapper(name: str, real: str, awk: str, spec: dict[str, str]) -> str:
    def hook(fn: str, body: str) -> str:
        return f"{fn}() {{ case $1 in {body} esac; }}\n" if body else f"{fn}() {{ :; }}\n"
    head = (f"#!/bin/sh\n# macOS-like userland: {name} with BSD's options only (written by tests/deploy/conftest.py).\n"
            f"TOOL={name} REAL='{real}'\n")
    if name == "find":
        return head + _FIND
    return (head + f"AWK='{awk}' OPTS='{spec['opts']}' LONG={spec['long']} AFTER={spec['after']}\n"
            + hook("on_opt", spec.get("opt", "")) + hook("on_arg", spec.get("arg", ""))
            + hook("on_long", spec.get("long_case", ""))
            + '. "${0%/*}/../lib/options.sh"\ncheck_options "$@"\n'
            + (_WC_TAIL if name == "wc" else 'exec "$REAL" "$@"\n'))


def userland_plan() -> dict[str, tuple[str, str]]:
    """name -> ("link", target) or ("script", text): the userland's bin directory, from this machine's commands."""
    search = _search_path()
    awk = _bwk_awk()
    if not awk:
        raise RuntimeError("the macOS-like userland needs BWK awk: apt-get install original-awk "
                           "(tests/deploy/run-checks.sh installs it)")
    plan: dict[str, tuple[str, str]] = {"awk": ("link", awk)}
    for name in MACOS_COMMANDS:
        if name == "bash":  # the caller's: a bash 3.2 first on PATH is the one the scripts get
            real = shutil.which("bash", path=_caller_path()) or shutil.which("bash", path=search)
        else:
            real = shutil.which(name, path=search)
        if not real:
            continue
        if name in WRAPPERS or name == "find":
            plan[name] = ("script", _wrapper(name, real, awk, WRAPPERS.get(name, {})))
        else:
            plan[name] = ("link", real)
    return plan


def build_userland() -> Path:
    """The userland's bin directory, made once per content (.cache/macos-userland/<digest>/bin, a new digest when this
    machine's commands or the plan change; concurrent sessions share or race harmlessly). .cache/macos-userland/bin
    points at the latest one, for use by hand."""
    plan = userland_plan()
    digest = hashlib.sha256((_WRAPPER_LIB + repr(sorted(plan.items()))).encode()).hexdigest()[:12]
    top = USERLAND / digest
    if not (top / "bin").is_dir():
        USERLAND.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix="new-", dir=USERLAND))
        scratch.chmod(0o755)
        (scratch / "bin").mkdir()
        (scratch / "lib").mkdir()
        (scratch / "lib" / "options.sh").write_text(_WRAPPER_LIB)
        for name, (kind, value) in plan.items():
            path = scratch / "bin" / name
            if kind == "link":
                path.symlink_to(value)
            else:
                path.write_text(value)
                path.chmod(0o755)
        try:
            scratch.rename(top)
        except OSError:  # another session made the same one meanwhile
            shutil.rmtree(scratch, ignore_errors=True)
    # Userlands of other plans or other machines' commands, unused for a week, go.
    for old in USERLAND.iterdir():
        if old != top and len(old.name) == 12 and old.is_dir() and time.time() - old.stat().st_mtime > 7 * 86400:
            shutil.rmtree(old, ignore_errors=True)
    os.utime(top)
    latest = USERLAND / f"bin.{os.getpid()}"
    latest.unlink(missing_ok=True)
    latest.symlink_to(Path(digest) / "bin")
    latest.replace(USERLAND / "bin")
    return top / "bin"


def userland_mode() -> str:
    mode = os.environ.get("KOK_USERLAND", "")
    if mode not in ("", "macos"):
        pytest.fail(f"KOK_USERLAND={mode}: only 'macos' (or nothing) is known")
    return mode


_REFUSED = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def macos_userland() -> Path:
    try:
        return build_userland()
    except RuntimeError as e:
        pytest.fail(str(e))


@pytest.fixture(autouse=True)
def _userland_path(request, monkeypatch, tmp_path_factory):
    """KOK_USERLAND=macos: the test's PATH is the macOS-like userland alone (the stand-in tests put their stubs in
    front); a GNU-only option a wrapper refused, even one a script tolerated, fails the test."""
    if userland_mode() != "macos":
        yield
        return
    bin_dir = request.getfixturevalue("macos_userland")
    log = tmp_path_factory.mktemp("userland") / "refused"
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("KOK_USERLAND_LOG", str(log))
    request.node.stash[_REFUSED] = log
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    log = item.stash.get(_REFUSED, None)
    if call.when != "call" or log is None or not log.exists() or not log.read_text().strip():
        return
    if report.passed:
        report.outcome = "failed"
        report.longrepr = ("the macOS-like userland refused GNU-only usage (the script went on, but would not on a "
                           "Mac):\n" + log.read_text())
    else:
        report.sections.append(("macOS-like userland: refused", log.read_text()))
