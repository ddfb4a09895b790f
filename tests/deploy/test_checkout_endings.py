"""A Windows checkout runs as it is: Git for Windows installs with core.autocrlf=true, and a clone made so once got CRLF
in every file, so deploy.ps1's ./deploy.sh in WSL stopped at its first line ("/usr/bin/env: 'bash\\r': No such file or
directory"). .gitattributes fixes the line endings whatever the checkout's settings.

The work tree as it is now (uncommitted changes and new files included) is committed into a scratch repository and
cloned from there with core.autocrlf=true, as Git for Windows would. In that clone no file but the batch files has a
CR, and ./deploy.sh --help and ./deploy.sh doctor (against the stand-in tools of tests/deploy/stubs) print exactly what
they print in this checkout. A control clone made without .gitattributes shows the failure the attributes prevent.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

STUBS = Path(__file__).parent / "stubs"
# Only the settings given here count: no user or system git configuration (a global core.autocrlf, hooks, signing).
GIT_ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0",
           "GIT_AUTHOR_NAME": "checkout test", "GIT_AUTHOR_EMAIL": "checkout-test@localhost",
           "GIT_COMMITTER_NAME": "checkout test", "GIT_COMMITTER_EMAIL": "checkout-test@localhost"}


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def snapshot(dest: Path, without: tuple[str, ...] = ()) -> Path:
    """The work tree's tracked and new (not ignored) files, as they are now, committed into a new repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in listed:
        source = ROOT / name
        if not name or name in without or not (source.is_file() or source.is_symlink()):
            continue  # a deleted file, or one left out on purpose
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)  # with its mode: deploy.sh stays executable
    git("-c", "init.defaultBranch=main", "init", "-q", cwd=dest)
    git("-c", "core.autocrlf=false", "add", "-A", cwd=dest)
    git("-c", "core.autocrlf=false", "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "work tree",
        cwd=dest)
    return dest


def windows_clone(source: Path, dest: Path) -> Path:
    git("-c", "core.autocrlf=true", "clone", "-q", "--no-hardlinks", str(source), str(dest), cwd=source.parent)
    return dest


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("checkout-endings")


@pytest.fixture(scope="module")
def repo(scratch) -> Path:
    return snapshot(scratch / "work-tree")


@pytest.fixture(scope="module")
def clone(repo, scratch) -> Path:
    checkout = windows_clone(repo, scratch / "windows-clone")
    # The tools this checkout installed (.cache, ignored by git) are the clone's too: only the line endings differ.
    if (ROOT / ".cache").is_dir():
        (checkout / ".cache").symlink_to(ROOT / ".cache")
    return checkout


def tracked(checkout: Path) -> list[str]:
    return git("ls-files", "-z", cwd=checkout).split("\0")[:-1]


def run(checkout: Path, *args: str, env: dict | None = None) -> tuple[int, str, str]:
    result = subprocess.run(["./deploy.sh", *args], cwd=checkout, env=env, capture_output=True, timeout=120,
                            check=False)
    return result.returncode, result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")


def test_the_attributes_say_lf_everywhere_but_in_batch_files():
    names = ["deploy.sh", "versions.env", "deploy/kind/deploy-kind.sh", "deploy/kind/cluster.yaml", "deploy.ps1",
             "tests/deploy/stubs/kind", ".ci/run", "images/service/Dockerfile", "comandos.bat", "any.cmd", "new-file.sh"]
    out = git("check-attr", "text", "eol", "--", *names, cwd=ROOT)
    attrs: dict[str, dict[str, str]] = {}
    for line in out.splitlines():
        name, attr, value = line.split(": ")
        attrs.setdefault(name, {})[attr] = value
    for name in names:
        want = "crlf" if name.endswith((".bat", ".cmd")) else "lf"
        assert attrs[name]["eol"] == want, (name, attrs[name])
        assert attrs[name]["text"] in ("set", "auto"), (name, attrs[name])


def test_the_index_holds_lf_only(repo):
    # What a commit of this work tree stores: every text file with LF (the batch files get CRLF at checkout).
    rows = [line.split(None, 3) for line in git("ls-files", "--eol", cwd=repo).splitlines()]
    assert rows and all(index in ("i/lf", "i/none", "i/-text") for index, *_ in rows), \
        [(row[3], row[0]) for row in rows if row[0] not in ("i/lf", "i/none", "i/-text")]


def test_a_windows_clone_has_cr_only_in_batch_files(clone):
    names = tracked(clone)
    bash_reads = [n for n in names if n.endswith((".sh", ".yaml", ".yml")) or n.rsplit("/", 1)[-1] == "versions.env"]
    assert "deploy.sh" in bash_reads and "versions.env" in bash_reads and len(bash_reads) > 20, bash_reads
    with_cr = [n for n in names if not n.endswith((".bat", ".cmd")) and b"\r" in (clone / n).read_bytes()]
    assert with_cr == []
    for name in (n for n in names if n.endswith((".bat", ".cmd"))):
        data = (clone / name).read_bytes()
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""), f"{name}: cmd.exe needs CRLF"
    assert os.access(clone / "deploy.sh", os.X_OK)


def test_a_windows_clone_prints_the_same_help(clone):
    here, there = run(ROOT, "--help"), run(clone, "--help")
    assert here[0] == 0 and "./deploy.sh doctor" in here[1] + here[2], here
    assert there == here


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_windows_clone_runs_doctor_like_this_checkout(clone, scratch):
    state, inotify = scratch / "stub-state", scratch / "inotify"
    inotify.mkdir()
    (inotify / "max_user_instances").write_text("8192\n")
    (inotify / "max_user_watches").write_text("524288\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUB_")}
    env.update(PATH=f"{STUBS}{os.pathsep}{os.environ['PATH']}", STUB_STATE=str(state), KOK_INOTIFY_DIR=str(inotify),
               KOK_WAIT_INTERVAL="1")
    args = ("doctor", "--data-dir", str(scratch / "data"), "--http-port", str(free_port()),
            "--https-port", str(free_port()))

    def doctor(checkout: Path) -> tuple[int, str, str]:
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir()
        code, out, err = run(checkout, *args, env=env)
        paths = sorted({str(checkout), str(checkout.resolve())}, key=len, reverse=True)
        for path in paths:
            out, err = out.replace(path, "<checkout>"), err.replace(path, "<checkout>")
        return code, out, err

    # Both runs read the free disk space and probe two ports: a build writing gigabytes meanwhile, or another
    # program taking a port, changes a line between them. A line-ending fault differs every time: three tries.
    for _ in range(3):
        here, there = doctor(ROOT), doctor(clone)
        if there == here:
            break
    assert "preflight:" in here[2], here  # the checks ran (not a usage error or a shell failure)
    assert there == here


def test_without_the_attributes_a_windows_clone_stops_at_its_first_line(scratch):
    # The control: the same work tree without .gitattributes, cloned the same way, fails as the Windows clone did.
    control = windows_clone(snapshot(scratch / "without-attributes", without=(".gitattributes",)),
                            scratch / "windows-clone-without-attributes")
    assert b"\r\n" in (control / "deploy.sh").read_bytes()
    code, _, err = run(control, "--help")
    # env names the interpreter it did not find: 'bash\r', its CR raw or escaped.
    assert code != 0 and ("bash\r" in err or "bash\\r" in err), (code, err)
