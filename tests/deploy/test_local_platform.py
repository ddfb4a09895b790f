"""The local tools on a host that is not Linux, against stand-ins: a `uname` that says Darwin, a `python3` that says
3.9 (macOS's own), a `sudo`/`apt-get` that only record being called.

- deploy/local/local.sh and kafka.sh: `up` stops at once with the way out (./deploy.sh, kind) before anything is
  installed or created; `down` and `status` work without /proc and setsid (a stand-in node JVM is found with ps and
  stopped) or say plainly that nothing runs.
- No script of the local mode or of scripts/ reads a /proc file without testing it first (a redirection from a
  missing file prints its error before any 2>/dev/null applies).
- scripts/install-k8s-tools.sh installs versions that support the Python it finds (pytest 9 needs 3.10+), and says
  what to install below 3.9.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, read_versions

LOCAL = ROOT / "deploy" / "local" / "local.sh"
KAFKA = ROOT / "deploy" / "local" / "kafka.sh"
DEPLOY = ROOT / "deploy.sh"
# Settings the scripts read from the environment: a caller's (./test.sh exports several) must not leak in.
SCRIPT_ENV = ("GATEWAY_PORT", "PRODUCER_PORT", "CONSUMER_PORT", "BUILD_PRESET", "BUILD_DIR", "SKIP_INSTALL",
              "KAFKA_LOCAL_DIR", "KAFKA_LOCAL_PORT_BASE", "KAFKA_HEAP", "KAFKA_BOOTSTRAP_SERVERS")
LINUX_ONLY = ("error: the local mode (./deploy.sh --local) runs on Linux only, and this host is Darwin. On macOS use "
              "./deploy.sh (kind, with Docker Desktop or Colima); on Windows use ./deploy.sh --local inside WSL 2.\n")
KAFKA_LINUX_ONLY = ("error: the local Kafka cluster runs on Linux only, and this host is Darwin. On macOS use "
                    "./deploy.sh (kind, with Docker Desktop or Colima); on Windows use WSL 2.\n")


def write_stub(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


class Host:
    """A stand-in macOS: uname says Darwin; sudo and apt-get record that they were called and fail."""

    def __init__(self, tmp_path: Path):
        self.stubs = tmp_path / "stubs"
        self.stubs.mkdir()
        self.calls = tmp_path / "calls"
        self.data = tmp_path / "data dir"  # a space, to catch quoting mistakes
        write_stub(self.stubs / "uname", 'echo Darwin\n')
        for tool in ("sudo", "apt-get", "setsid"):
            write_stub(self.stubs / tool, f'echo "{tool} $*" >>"$STUB_CALLS"; exit 1\n')
        self.env = {k: v for k, v in os.environ.items() if k not in SCRIPT_ENV}
        self.env.update(PATH=f"{self.stubs}{os.pathsep}{os.environ['PATH']}", STUB_CALLS=str(self.calls),
                        KAFKA_LOCAL_DIR=str(self.data))

    def run(self, script: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(script), *args], env=self.env, cwd=ROOT, capture_output=True, text=True,
                              timeout=120, check=False)

    def run_reaping(self, children: list[subprocess.Popen], script: Path, *args: str) -> subprocess.CompletedProcess:
        """run(), reaping `children` (this test's stand-in processes) as they end: a child nobody waited for stays a
        zombie, which `kill -0` still finds, so the script would wait for it to stop in vain."""
        out, err = self.calls.with_name("stdout"), self.calls.with_name("stderr")
        with out.open("w") as stdout, err.open("w") as stderr:
            process = subprocess.Popen([str(script), *args], env=self.env, cwd=ROOT, stdout=stdout, stderr=stderr)
            deadline = time.monotonic() + 120
            while process.poll() is None and time.monotonic() < deadline:
                for child in children:
                    child.poll()
                time.sleep(0.05)
            if process.poll() is None:
                process.kill()
            process.wait()
        return subprocess.CompletedProcess(process.args, process.returncode, out.read_text(), err.read_text())

    def called(self) -> list[str]:
        return self.calls.read_text().splitlines() if self.calls.exists() else []


@pytest.fixture
def host(tmp_path):
    return Host(tmp_path)


@pytest.mark.parametrize("script,args", [(LOCAL, ()), (LOCAL, ("up",)), (LOCAL, ("up", "--gateway-port", "9000")),
                                         (DEPLOY, ("--local",)), (DEPLOY, ("up", "--local"))])
def test_local_up_on_macos_stops_at_once_with_the_way_out(host, script, args):
    result = host.run(script, *args)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", LINUX_ONLY)
    assert host.called() == [], "nothing installed"
    assert not host.data.exists(), "nothing created"


@pytest.mark.parametrize("args", [("up",), ("up", "--timeout", "5"), ("start", "1")])
def test_kafka_up_on_macos_stops_at_once(host, args):
    result = host.run(KAFKA, *args)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", KAFKA_LINUX_ONLY)
    assert host.called() == []
    assert not host.data.exists()


def test_local_down_on_macos_with_nothing_running_says_so(host):
    result = host.run(LOCAL, "down")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == ("==> gateway and services: none was running\n"
                             "==> Kafka nodes: none was running\n"
                             f"==> no Kafka data in {host.data}\n")
    assert host.called() == []


def test_local_status_on_macos_with_nothing_running(host):
    result = host.run(LOCAL, "status")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ("nginx: stopped\nproducer: stopped\nconsumer: stopped\n"
                             "kafka-0: stopped\nkafka-1: stopped\nkafka-2: stopped\n"
                             "gateway: http://localhost:8080\n"
                             "bootstrap: 127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094\n")


def sleeper(*argv: str) -> subprocess.Popen:
    """A process whose command line ends with `argv` (a stand-in for a broker JVM or a service)."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", *argv], start_new_session=True)


def stopped(process: subprocess.Popen, within: float = 20) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return True
        time.sleep(0.1)
    return False


def test_local_down_on_macos_stops_a_running_node_without_proc(host):
    run = host.data / "run"
    run.mkdir(parents=True)
    (host.data / "kafka-0").mkdir()
    node = sleeper("kafka.Kafka", str(run / "server-0.properties"))
    producer = sleeper("kok-producer")
    try:
        (run / "kafka-0.pid").write_text(f"{node.pid}\n")
        (run / "producer.pid").write_text(f"{producer.pid}\n")
        # A pid file whose process is another program (a recycled pid) is not a node.
        (run / "kafka-1.pid").write_text(f"{producer.pid}\n")

        status = host.run(LOCAL, "status")
        assert status.returncode == 0, status.stderr
        assert f"producer: running (pid {producer.pid})\n" in status.stdout
        assert (f"kafka-0: running (pid {node.pid}) 127.0.0.1:19092 data {host.data}/kafka-0\n"
                "kafka-1: stopped\n") in status.stdout

        started = time.monotonic()
        result = host.run_reaping([node, producer], LOCAL, "down")
        assert (result.returncode, result.stdout) == (0, "")
        assert result.stderr == ("==> producer: stopped\n"
                                 "==> node 0: stopped\n"
                                 f"==> data kept in {host.data}/kafka-{{0,1,2}}\n")
        assert stopped(node) and stopped(producer)
        assert time.monotonic() - started < 20, "stopped by SIGTERM, not by the 30 s / 60 s fallbacks"
        assert host.called() == [], "no setsid, no sudo"
    finally:
        for p in (node, producer):
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()


# --------------------------------------------------------------------------------------------- /proc reads, scanned
PROC_READ = re.compile(r"""(<\s*|\bcat\s+(-\S+\s+)*|\$\(<\s*)["']?/proc/""")
PROC_TESTED = re.compile(r"""\[\[\s+-r\s+["']?/proc/|\btest\s+-r\s+["']?/proc/""")


def unguarded_proc_reads(text: str, name: str = "<snippet>") -> list[str]:
    """'name:line' for each read of a /proc file not preceded (on its line or the two before) by a -r test."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        code = line.split(" #", 1)[0]
        if code.lstrip().startswith("#") or not PROC_READ.search(code):
            continue
        if not any(PROC_TESTED.search(previous) for previous in lines[max(0, i - 2):i + 1]):
            found.append(f"{name}:{i + 1}: {line.strip()}")
    return found


def test_no_script_reads_a_proc_file_without_testing_it_first():
    scripts = sorted([*(ROOT / "deploy" / "local").glob("*.sh"), *(ROOT / "scripts").glob("*.sh"),
                      *(ROOT / "scripts" / "lib").glob("*.sh")])
    assert LOCAL in scripts and KAFKA in scripts
    problems = [p for s in scripts for p in unguarded_proc_reads(s.read_text(), str(s.relative_to(ROOT)))]
    assert not problems, "reads of /proc files that print an error where there is none:\n" + "\n".join(problems)


@pytest.mark.parametrize("snippet,bad", [
    ("read -r low high < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || return 0\n", True),
    ('x="$(cat /proc/version)"\n', True),
    ('x="$(</proc/loadavg)"\n', True),
    ('tr "\\0" " " <"/proc/$pid/cmdline"\n', True),
    ('[[ -r /proc/version ]] && version="$(cat /proc/version)"\n', False),
    ('if [[ -r "/proc/$1/cmdline" ]]; then\n  tr "\\0" " " <"/proc/$1/cmdline"\nfi\n', False),
    ("# reads < /proc/x in a comment\n", False),
])
def test_the_proc_scanner_itself(snippet, bad):
    assert bool(unguarded_proc_reads(snippet)) == bad


# ------------------------------------------------------------------------------------- install-k8s-tools.sh, Python
PYTHON_STUB = """\
# A stand-in python3 that reports $STUB_PYTHON_VERSION; '-m venv DIR' makes a venv of stand-ins.
case "$1" in
  -c) case "$2" in *version_info*) echo "$STUB_PYTHON_VERSION"; exit 0 ;; esac; exit 1 ;;
  -m) [ "$2" = venv ] || exit 1
      mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && cp "$STUB_DIR/pip" "$3/bin/pip"; exit $? ;;
esac
exit 1
"""
PIP_STUB = """\
# A stand-in pip: records its arguments and leaves what kubernetes-validate would (its schema directory).
venv="$(cd "$(dirname "$0")/.." && pwd)"
echo "$*" >>"$STUB_CALLS"
mkdir -p "$venv/lib/python$STUB_PYTHON_VERSION/site-packages/kubernetes_validate/kubernetes-json-schema/v$KUBERNETES_VERSION-local-strict"
"""


class Installer:
    """scripts/install-k8s-tools.sh in a copy of the repository's layout, with kind and kustomize present."""

    def __init__(self, tmp_path: Path):
        self.root = tmp_path / "repo"
        (self.root / "scripts" / "lib").mkdir(parents=True)
        shutil.copy2(ROOT / "scripts" / "install-k8s-tools.sh", self.root / "scripts")
        shutil.copy2(ROOT / "scripts" / "lib" / "common.sh", self.root / "scripts" / "lib")
        shutil.copy2(ROOT / "versions.env", self.root)
        self.versions = read_versions()
        self.venv = self.root / ".cache" / "venv"
        bin_dir = self.root / ".cache" / "bin"
        bin_dir.mkdir(parents=True)
        write_stub(bin_dir / "kind", f'echo "kind {self.versions["KIND_VERSION"]} go1.26 darwin/arm64"\n')
        write_stub(bin_dir / "kustomize", f'echo "{self.versions["KUSTOMIZE_VERSION"]}"\n')
        self.stubs = tmp_path / "stubs"
        self.stubs.mkdir()
        write_stub(self.stubs / "python3", PYTHON_STUB)
        write_stub(self.stubs / "pip", PIP_STUB)
        self.calls = tmp_path / "pip-calls"
        self.env = {k: v for k, v in os.environ.items() if k not in self.versions}
        self.env.update(PATH=f"{self.stubs}{os.pathsep}{os.environ['PATH']}", STUB_DIR=str(self.stubs),
                        STUB_CALLS=str(self.calls))

    def run(self, python_version: str, os_name: str = "Linux") -> subprocess.CompletedProcess:
        write_stub(self.stubs / "uname", f"echo {os_name}\n")
        return subprocess.run([str(self.root / "scripts" / "install-k8s-tools.sh")],
                              env={**self.env, "STUB_PYTHON_VERSION": python_version}, capture_output=True,
                              text=True, timeout=60, check=False)

    def pip_installs(self) -> list[str]:
        return [arg for line in self.calls.read_text().splitlines() for arg in line.split() if "==" in arg]


@pytest.fixture
def installer(tmp_path):
    return Installer(tmp_path)


@pytest.mark.parametrize("python,pytest_pin", [("3.9", "8.4.2"), ("3.10", "9.2.0"), ("3.13", "9.2.0")])
def test_install_k8s_tools_pins_what_the_python_supports(installer, python, pytest_pin):
    result = installer.run(python, "Darwin")
    assert result.returncode == 0, result.stderr
    assert installer.pip_installs() == [f"kubernetes-validate=={installer.versions['KUBERNETES_VALIDATE_VERSION']}",
                                        f"pytest=={pytest_pin}", "PyYAML==6.0.3",
                                        f"checkov=={installer.versions['CHECKOV_VERSION']}"]
    assert (installer.venv / "bin" / "python").exists()
    # checkov in a venv of its own (its packaging<24 and pytest 9's packaging>=24 cannot share one).
    assert (installer.root / ".cache" / "checkov" / "bin" / "python").exists()


@pytest.mark.parametrize("os_name,hint", [("Darwin", "brew install python"), ("Linux", "apt-get install python3")])
def test_install_k8s_tools_below_python_3_9_says_what_to_install(installer, os_name, hint):
    result = installer.run("3.8", os_name)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (f"error: {installer.stubs / 'python3'} is Python 3.8; the checks need "
                                              f"3.9 or newer ({hint})")
    assert not installer.venv.exists() and not installer.calls.exists(), "nothing created, nothing installed"
