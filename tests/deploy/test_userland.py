"""The macOS-like userland that tests/deploy/run-checks.sh runs the stand-in deploy tests under (KOK_USERLAND=macos,
tests/deploy/conftest.py): what it holds and leaves out, that each wrapper refuses the GNU-only forms and lets the
portable ones through, and that a refusal fails a test even when the script carried on."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GNU_ONLY, MACOS_COMMANDS, ROOT, WRAPPERS, _bwk_awk

pytestmark = pytest.mark.skipif(_bwk_awk() is None, reason="no BWK awk: apt-get install original-awk "
                                "(tests/deploy/run-checks.sh installs it)")


def run(userland: Path, *cmd: str, stdin: str = "", log: Path | None = None, cwd: Path | None = None):
    env = {"PATH": str(userland), "HOME": os.environ.get("HOME", "/"), "LC_ALL": "C"}
    if log:
        env["KOK_USERLAND_LOG"] = str(log)
    return subprocess.run(list(cmd), input=stdin, env=env, cwd=cwd, capture_output=True, text=True, timeout=30,
                          check=False)


def test_it_holds_what_macos_has_and_none_of_the_gnu_only_tools(macos_userland):
    held = {p.name for p in macos_userland.iterdir()}
    assert not held & set(GNU_ONLY), sorted(held & set(GNU_ONLY))
    assert held <= set(MACOS_COMMANDS) | {"awk"}
    # What the deploy scripts and the stubs call must be there (a missing one would only show as 'command not found').
    for name in ("bash", "sh", "awk", "sed", "grep", "tr", "cut", "head", "cat", "mkdir", "mktemp", "df", "id",
                 "chown", "chmod", "cp", "rm", "touch", "wc", "cksum", "shasum", "git", "sleep", "seq", "dirname",
                 "basename", "env", "uname"):
        assert name in held, name
    assert not set(WRAPPERS) - held - {"find"}


def test_awk_is_bwk_awk(macos_userland):
    result = run(macos_userland, "awk", "-version")
    assert result.returncode == 0 and result.stdout.startswith("awk version 20"), result.stdout + result.stderr
    # BWK awk has no gawk extensions: a script using one fails here as on a Mac.
    assert run(macos_userland, "awk", 'BEGIN { print gensub(/a/, "b", "g", "aa") }').returncode != 0


def test_shasum_stands_in_for_sha256sum(macos_userland):
    result = run(macos_userland, "shasum", "-a", "256", stdin="abc")
    assert result.stdout.split()[0] == hashlib.sha256(b"abc").hexdigest()


def test_the_deploy_scripts_checksum_takes_shasum_without_sha256sum(macos_userland):
    # The branch a Mac takes (the stand-in tests reach it only with uncommitted changes in the image's sources).
    script = 'source scripts/lib/common.sh; source deploy/kind/lib/images.sh; printf abc | checksum'
    result = run(macos_userland, "bash", "-c", script, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == hashlib.sha256(b"abc").hexdigest()


def test_wc_pads_its_counts_as_bsd_wc_does(macos_userland, tmp_path):
    f = tmp_path / "f"
    f.write_text("a b\nc\n")
    assert run(macos_userland, "wc", "-l", stdin="a\nb\n").stdout == "       2\n"
    assert run(macos_userland, "wc", "-l", str(f)).stdout == f"       2 {f}\n"
    assert run(macos_userland, "wc", stdin="a b\n").stdout == "       1       2       4\n"


# (command, refused): each wrapper refuses the GNU-only form and lets the portable one through.
CASES = [
    (["sed", "-i", "s/a/b/", "FILE"], True),
    (["sed", "-E", "-i", "s/a/b/", "FILE"], True),
    (["sed", "-i.bak", "s/a/b/", "FILE"], False),
    (["sed", "-n", "-e", "1p", "FILE"], False),
    (["sed", "1p", "FILE", "-n"], True),
    (["sed", "--expression=1p", "FILE"], True),
    (["sed", "-z", "1p", "FILE"], True),
    (["grep", "-P", "a", "FILE"], True),
    (["grep", "-oP", "a", "FILE"], True),
    (["grep", "--perl-regexp", "a", "FILE"], True),
    (["grep", "-qxF", "--", "-P", "FILE"], False),
    (["grep", "-e", "-P", "FILE"], False),
    (["grep", "-oE", "[ab]+", "FILE"], False),
    (["grep", "a", "FILE", "-c"], False),  # BSD grep's getopt_long moves options forward too
    (["head", "-n", "-1", "FILE"], True),
    (["head", "-n-1", "FILE"], True),
    (["head", "-n1", "FILE"], False),
    (["head", "-c", "3", "FILE"], False),
    (["tail", "-n", "+2", "FILE"], False),
    (["readlink", "-f", "FILE"], True),
    (["date", "-d", "@0"], True),
    (["date", "--iso-8601"], True),
    (["date", "-u", "+%s"], False),
    (["stat", "-c", "%s", "FILE"], True),
    (["stat", "--format=%s", "FILE"], True),
    (["find", "-name", "f"], True),
    (["find"], True),
    (["find", "DIR", "-name", "f", "-print"], False),
    (["find", "-L", "DIR", "-maxdepth", "1", "-type", "f"], False),
    (["find", "DIR", "-printf", "%p\\n"], True),
    (["xargs", "-d", "\\n", "echo"], True),
    (["xargs", "-0", "echo", "-n"], False),
    (["mktemp", "--suffix=.x"], True),
    (["mktemp", "DIR/x.XXXXXX"], False),
    (["cp", "-t", "DIR", "FILE"], True),
    (["cp", "FILE", "DIR/copy"], False),
    (["ln", "-sr", "FILE", "DIR/link"], True),
    (["install", "-D", "FILE", "DIR/a/b"], True),
    (["cut", "--complement", "-f1", "FILE"], True),
    (["cut", "-d", " ", "-f1", "FILE"], False),
    (["wc", "-l", "FILE", "-c"], True),
    (["df", "--output=avail", "DIR"], True),
    (["df", "-Pk", "DIR"], False),
    (["mkdir", "-p", "DIR/new"], False),
    (["rm", "-f", "DIR/none"], False),
    (["rm", "DIR/none", "-f"], True),
    (["tr", "-d", " "], False),
    (["dirname", "--", "DIR/FILE"], False),
    (["cat", "-A", "FILE"], True),
]


@pytest.mark.parametrize("cmd, refused", CASES, ids=lambda c: " ".join(c) if isinstance(c, list) else str(c))
def test_a_wrapper_refuses_the_gnu_only_form_and_passes_the_portable_one(macos_userland, tmp_path, cmd, refused):
    f = tmp_path / "f"
    f.write_text("a\nb\n")
    log = tmp_path / "refused"
    args = [a.replace("FILE", str(f)).replace("DIR", str(tmp_path)) for a in cmd]
    result = run(macos_userland, *args, stdin="a\nb\n", log=log, cwd=tmp_path)
    if refused:
        assert result.returncode == 2 and result.stderr.startswith(f"macos-userland: {cmd[0]}: "), result.stderr
        assert log.read_text().startswith(f"{cmd[0]}: "), "the refusal is logged for the test to see"
    else:
        assert result.returncode in (0, 1) and "macos-userland" not in result.stderr, result.stderr
        assert not log.exists()


def test_a_refusal_fails_the_test_even_when_the_script_carries_on(tmp_path):
    # A test whose script tolerates the failing command (|| true) still fails under KOK_USERLAND=macos.
    (tmp_path / "test_tolerant.py").write_text(
        "import subprocess\n"
        "def test_tolerant():\n"
        "    subprocess.run(['bash', '-c', 'readlink -f . || true'], check=True)\n")
    env = {**os.environ, "KOK_USERLAND": "macos", "PYTHONPATH": str(Path(__file__).parent)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest",
                             "--rootdir", str(tmp_path), str(tmp_path / "test_tolerant.py")],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "refused GNU-only usage" in result.stdout and "readlink: -f is GNU-only" in result.stdout


def test_under_the_userland_the_gnu_only_tools_are_missing():
    if os.environ.get("KOK_USERLAND") != "macos":
        pytest.skip("only under KOK_USERLAND=macos")
    script = "for t in timeout nproc setsid flock getent sha256sum tac stdbuf; do command -v $t; done; exit 0"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == ""
    assert subprocess.run(["awk", "-version"], capture_output=True, text=True, check=False).stdout.startswith("awk version")
