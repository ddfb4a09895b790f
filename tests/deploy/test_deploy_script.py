"""deploy/kind/deploy-kind.sh end to end against stand-ins for docker, kind and kubectl (tests/deploy/stubs): the
cluster config it creates, the images it builds and loads, the manifests it applies, and that it leaves the
repository untouched. The real kustomize renders. What only a live cluster shows is left to ./test.sh --kind."""
from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, read_versions

SCRIPT = ROOT / "deploy" / "kind" / "deploy-kind.sh"
STUBS = Path(__file__).parent / "stubs"
IMAGE_OVERRIDES = ("KAFKA_IMAGE", "TRAEFIK_IMAGE", "KAFKA_UI_IMAGE", "SERVICE_IMAGE", "PRODUCER_IMAGE", "CONSUMER_IMAGE",
                   "KIND_NODE_IMAGE", "BUILDER_IMAGE", "RUNTIME_IMAGE", "KIND_CLUSTER_NAME", "KIND_LISTEN_ADDRESS", "JOBS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Deploy:
    def __init__(self, tmp_path: Path):
        self.state = tmp_path / "state"
        self.state.mkdir()
        self.data = tmp_path / "data & dir's"  # to catch quoting and escaping mistakes
        self.http_port = free_port()
        self.https_port = free_port()
        self.env = {k: v for k, v in os.environ.items() if k not in IMAGE_OVERRIDES and not k.startswith("STUB_")}
        # Linux inotify limits as kind wants them (a test sets others); one progress line per second.
        self.inotify = tmp_path / "inotify"
        self.inotify.mkdir()
        self.set_inotify(8192, 524288)
        self.env.update(PATH=f"{STUBS}{os.pathsep}{os.environ['PATH']}", STUB_STATE=str(self.state),
                        KOK_INOTIFY_DIR=str(self.inotify), KOK_WAIT_INTERVAL="1")

    def set_inotify(self, instances: int, watches: int):
        (self.inotify / "max_user_instances").write_text(f"{instances}\n")
        (self.inotify / "max_user_watches").write_text(f"{watches}\n")

    def run(self, *args: str, env: dict | None = None, check: bool = True, script: Path = SCRIPT) -> subprocess.CompletedProcess:
        result = subprocess.run([str(script), *args], env={**self.env, **(env or {})}, cwd=ROOT,
                                capture_output=True, text=True, timeout=120, check=False)
        if check:
            assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def up(self, *extra: str, env: dict | None = None, check: bool = True):
        return self.run("up", "--data-dir", str(self.data), "--http-port", str(self.http_port),
                        "--https-port", str(self.https_port), "--no-smoke", *extra, env=env, check=check)

    def calls(self) -> list[str]:
        path = self.state / "calls"
        return path.read_text().splitlines() if path.exists() else []

    def applied(self) -> list[dict]:
        return [d for d in yaml.safe_load_all((self.state / "applied.yaml").read_text()) if d]

    def images(self) -> dict[str, str]:
        out = {}
        for doc in self.applied():
            if doc["kind"] in ("Deployment", "StatefulSet"):
                for c in doc["spec"]["template"]["spec"]["containers"]:
                    out[doc["metadata"]["name"]] = c["image"]
        return out


@pytest.fixture
def deploy(tmp_path):
    return Deploy(tmp_path)


def inputs_digest() -> dict[str, str]:
    """Content hashes of everything a deploy reads from the repository (other work may change other files meanwhile)."""
    out = {}
    for top in ("deploy/k8s", "deploy/kind", "images/service", "versions.env"):
        path = ROOT / top
        for f in sorted([path] if path.is_file() else path.rglob("*")):
            if f.is_file():
                out[str(f.relative_to(ROOT))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def test_up_creates_the_cluster_the_issue_describes(deploy):
    deploy.up()
    config = yaml.safe_load((deploy.state / "cluster.yaml").read_text())
    nodes = config["nodes"]
    assert [n["role"] for n in nodes] == ["control-plane", "worker", "worker", "worker"]
    # The kubelet also starts on cgroup v1 hosts (Kubernetes 1.35+ refuses them by default).
    assert [yaml.safe_load(p) for p in config["kubeadmConfigPatches"]] == [
        {"kind": "KubeletConfiguration", "failCgroupV1": False}]
    node_image = read_versions()["KIND_NODE_IMAGE"]
    assert all(n["image"] == node_image for n in nodes)
    control = nodes[0]
    assert control["labels"] == {"ingress-ready": "true"}
    mappings = {m["containerPort"]: m for m in control["extraPortMappings"]}
    assert mappings[80]["hostPort"] == deploy.http_port and mappings[443]["hostPort"] == deploy.https_port
    assert all(m["listenAddress"] == "127.0.0.1" for m in mappings.values())
    assert "extraMounts" not in control
    for worker in nodes[1:]:
        assert worker["extraMounts"] == [{"hostPath": str(deploy.data.resolve()), "containerPath": "/var/lib/kok-data"}]
    # The per-broker directories exist and uid 1000 can write them (hostPath ignores fsGroup).
    for n in range(3):
        d = deploy.data / f"kafka-{n}"
        assert d.is_dir()
        st = d.stat()
        assert st.st_uid == 1000 or (st.st_mode & 0o777) == 0o777


def test_up_builds_one_service_image_loads_archives_and_applies_pinned_images(deploy):
    before = inputs_digest()
    deploy.up()
    versions = read_versions()
    calls = deploy.calls()
    builds = [c for c in calls if c.startswith("docker build ") and "--help" not in c]
    # One build for both services, as many jobs as the builder allows (the Dockerfile decides unless JOBS is set), no
    # provenance attestation (docker save would miss its manifest).
    assert len(builds) == 1, builds
    assert "JOBS" not in builds[0] and "--provenance=false" in builds[0]
    # BuildKit's plain output goes through images/service/build-progress.sh: the user sees each compile step.
    assert "--progress=plain" in builds[0]
    images = deploy.images()
    tag = images["producer"].split(":", 1)[1]
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=False).stdout.strip()
    assert tag != "latest" and (not commit or tag.startswith(commit)), tag
    service = f"kok-service:{tag}"
    assert images == {"producer": service, "consumer": service,
                      "kafka": f"apache/kafka:{versions['KAFKA_VERSION']}",
                      "traefik": f"traefik:{versions['TRAEFIK_VERSION']}"}
    commands = {d["metadata"]["name"]: d["spec"]["template"]["spec"]["containers"][0].get("command")
                for d in deploy.applied() if d["kind"] == "Deployment" and d["metadata"]["name"] in ("producer", "consumer")}
    assert commands == {"producer": ["/usr/local/bin/kok-producer"], "consumer": ["/usr/local/bin/kok-consumer"]}
    # Registry images are pulled once on the host; every image goes to the nodes as an archive, never by
    # 'kind load docker-image' (which fails with the containerd image store).
    assert f"docker pull apache/kafka:{versions['KAFKA_VERSION']}" in calls
    assert f"docker pull traefik:{versions['TRAEFIK_VERSION']}" in calls
    assert not [c for c in calls if c.startswith("docker pull kok-service")]
    assert not [c for c in calls if "load docker-image" in c]
    for image in (service, f"apache/kafka:{versions['KAFKA_VERSION']}", f"traefik:{versions['TRAEFIK_VERSION']}"):
        saves = [c for c in calls if c.startswith("docker save ") and c.endswith(" " + image)]
        assert len(saves) == 1 and "--platform linux/amd64" in saves[0], (image, saves)
    # Each image goes only into the nodes that run it: Traefik into the control plane, the rest into the workers.
    loads = sorted(c.split(" --name ")[1] for c in calls if c.startswith("kind load image-archive"))
    assert loads == ["kok --nodes kok-control-plane"] + ["kok --nodes kok-worker,kok-worker2,kok-worker3"] * 2, loads
    queries = (deploy.state / "node-image-queries").read_text().splitlines()
    assert sorted(queries) == sorted([f"kok-control-plane traefik:{versions['TRAEFIK_VERSION']}"] + [
        f"kok-worker{n} {image}" for n in ("", "2", "3")
        for image in (service, f"apache/kafka:{versions['KAFKA_VERSION']}")]), queries
    assert not list((ROOT / ".cache" / "kind-deploy" / "archives").glob("image.*")), "archives are removed"
    cluster = [d for d in deploy.applied() if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("kafka-cluster")]
    assert cluster[0]["data"] == {"CLUSTER_ID": versions["KAFKA_CLUSTER_ID"]}
    for what in ("deployment/traefik", "statefulset/kafka", "deployment/producer", "deployment/consumer"):
        assert any("rollout status " + what in c for c in calls), what
    # A deploy never modifies the repository (its scratch files live in the ignored .cache/).
    assert inputs_digest() == before

    # A second run repairs or does nothing: no new cluster, no rebuild, no pull, no image loaded again.
    (deploy.state / "calls").unlink()
    result = deploy.up()
    again = deploy.calls()
    assert not [c for c in again if c.startswith(("kind create", "docker build ", "docker pull", "docker save", "kind load"))
                and "--help" not in c], again
    assert result.stderr.count("already on its node(s)") == 3, result.stderr
    assert deploy.images()["producer"] == images["producer"]


def test_a_node_that_lacks_an_image_gets_it_and_only_it(deploy):
    deploy.up()
    # worker2 lost the Kafka image (e.g. its containerd was reset): only it is loaded again.
    kafka = f"apache/kafka:{read_versions()['KAFKA_VERSION']}"
    held = (deploy.state / "node-images").read_text().splitlines()
    (deploy.state / "node-images").write_text("".join(
        line + "\n" for line in held if not line.startswith(f"kok-worker2 {kafka} ")))
    (deploy.state / "calls").unlink()
    deploy.up()
    loads = [c for c in deploy.calls() if c.startswith("kind load image-archive")]
    assert len(loads) == 1 and loads[0].endswith("--nodes kok-worker2"), loads


def test_a_changed_local_image_is_loaded_again(deploy):
    deploy.up()
    # The node holds an image of the same name but another ID (an older build): it is replaced.
    held = (deploy.state / "node-images").read_text().replace("sha256:", "sha256:old")
    (deploy.state / "node-images").write_text(held)
    (deploy.state / "calls").unlink()
    deploy.up()
    assert len([c for c in deploy.calls() if c.startswith("kind load image-archive")]) == 3


def test_a_failed_pull_says_what_to_do(deploy):
    result = deploy.up(env={"STUB_PULL_FAIL": "1"}, check=False)
    assert result.returncode != 0
    assert "docker login" in result.stderr and "toomanyrequests" in result.stderr
    assert not [c for c in deploy.calls() if c.startswith("kind load")]


def test_without_buildx_the_legacy_builder_builds_the_same_dockerfile_without_the_cache_mount(deploy):
    result = deploy.up(env={"STUB_BUILDX": "0", "STUB_PROVENANCE": "0", "STUB_SAVE_PLATFORM": "0", "JOBS": "1"})
    assert "legacy builder" in result.stderr and "docker-buildx" in result.stderr
    (build,) = [c for c in deploy.calls() if c.startswith("docker build ") and "--help" not in c]
    assert "--provenance" not in build and "--progress" not in build and "--build-arg JOBS=1" in build
    built = (deploy.state / "built.Dockerfile").read_text()
    assert not [line for line in built.splitlines() if line.startswith("RUN --mount")]
    assert [line for line in (ROOT / "images/service/Dockerfile").read_text().splitlines() if line.startswith("RUN --mount")]
    assert "--target kok-producer kok-consumer" in built and "cmake --build --preset" in built
    saves = [c for c in deploy.calls() if c.startswith("docker save ") and "--help" not in c]
    assert saves and not [c for c in saves if "--platform" in c]


def test_an_old_client_uses_the_engines_buildkit(deploy):
    result = deploy.up(env={"STUB_BUILDX": "0", "STUB_CLIENT_VERSION": "20.10.24+dfsg1"})
    assert "the engine's BuildKit" in result.stderr
    assert "RUN --mount=type=cache" in (deploy.state / "built.Dockerfile").read_text()


def test_the_per_service_image_variables_are_refused(deploy):
    result = deploy.up(env={"PRODUCER_IMAGE": "kok-producer:1"}, check=False)
    assert result.returncode != 0 and "SERVICE_IMAGE" in result.stderr
    assert not deploy.calls(), "refused before anything ran"


def test_every_image_can_be_overridden(deploy):
    overrides = {
        "KIND_NODE_IMAGE": "kindest/node:v1.34.0-offline",
        "KAFKA_IMAGE": "localhost:5000/kafka:4.4.0-offline",
        "TRAEFIK_IMAGE": "traefik:v3.6.12-offline",
        "SERVICE_IMAGE": "kok-service@sha256:" + "a" * 64,
        "KAFKA_UI_IMAGE": "kafka-ui:offline",
    }
    # Given images are local (the offline proof's): none is pulled, all are loaded as archives.
    (deploy.state / "images").write_text("".join(v + "\n" for k, v in overrides.items() if k != "KIND_NODE_IMAGE"))
    deploy.up("--with-ui", env=overrides)
    config = yaml.safe_load((deploy.state / "cluster.yaml").read_text())
    assert {n["image"] for n in config["nodes"]} == {overrides["KIND_NODE_IMAGE"]}
    calls = deploy.calls()
    assert not [c for c in calls if c.startswith(("docker build ", "docker pull")) and "--help" not in c]
    assert len([c for c in calls if c.startswith("kind load image-archive")]) == 4
    assert deploy.images() == {"kafka": overrides["KAFKA_IMAGE"], "traefik": overrides["TRAEFIK_IMAGE"],
                               "producer": overrides["SERVICE_IMAGE"], "consumer": overrides["SERVICE_IMAGE"],
                               "kafka-ui": overrides["KAFKA_UI_IMAGE"]}


def test_latest_is_refused(deploy):
    result = deploy.up(env={"KAFKA_IMAGE": "apache/kafka:latest"}, check=False)
    assert result.returncode != 0 and "latest" in result.stderr
    result = deploy.up(env={"TRAEFIK_IMAGE": "traefik"}, check=False)
    assert result.returncode != 0 and "no tag" in result.stderr


def test_with_ui_adds_the_pinned_kafka_ui_and_a_later_run_removes_it(deploy):
    deploy.up("--with-ui")
    assert deploy.images()["kafka-ui"] == f"ghcr.io/kafbat/kafka-ui:{read_versions()['KAFKA_UI_VERSION']}"
    deploy.up()
    assert "kafka-ui" not in deploy.images()
    assert any("delete deployment/kafka-ui" in c for c in deploy.calls())


def test_an_existing_cluster_keeps_its_data_directory(deploy, tmp_path):
    deploy.up()
    result = deploy.run("up", "--data-dir", str(tmp_path / "elsewhere"), "--no-smoke", check=False)
    assert result.returncode != 0 and "already mounts" in result.stderr


def test_status_prints_gateway_and_bootstrap(deploy):
    result = deploy.run("status", check=False)
    assert result.returncode != 0 and "not created" in result.stdout
    deploy.up()
    lines = deploy.run("status").stdout.splitlines()
    assert [line for line in lines if line.startswith("gateway:")] == [f"gateway: http://localhost:{deploy.http_port}"]
    bootstrap = [line for line in lines if line.startswith("bootstrap: ")]
    assert bootstrap == ["bootstrap: " + ",".join(
        f"kafka-{n}.kafka-headless.kok.svc.cluster.local:9092" for n in range(3))]


def test_down_keeps_the_data_and_purge_deletes_it(deploy):
    deploy.up()
    marker = deploy.data / "kafka-0" / "meta.properties"
    marker.write_text("cluster.id=x\n")
    deploy.run("down")
    assert not (deploy.state / "cluster").exists() and marker.exists()
    deploy.up()
    deploy.run("down", "--purge")
    assert not list(deploy.data.glob("kafka-*"))


def test_help_and_bad_arguments(deploy):
    assert "deploy-kind.sh [up]" in deploy.run("--help").stdout
    result = deploy.run("--bogus", check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == ["error: unknown argument: --bogus", result.stderr.splitlines()[1]]
    assert result.stderr.splitlines()[1].startswith("usage: ./deploy.sh [up|down|status|doctor]")


DEPLOY = ROOT / "deploy.sh"


@pytest.mark.parametrize("args, what", [
    (["bogus"], "unknown argument: bogus"),
    (["up", "--bogus"], "unknown argument: --bogus"),
    (["--http-port"], "--http-port needs a port"),
    (["--local", "--bogus"], "unknown command: --bogus"),
    (["up", "--local", "--bogus"], "unknown option for up: --bogus"),
    (["down", "--local", "--bogus"], "unknown option for down: --bogus"),
    (["status", "--local", "--bogus"], "status takes no options: --bogus"),
])
def test_a_wrong_argument_gets_one_line_and_the_usage_in_every_mode(deploy, args, what):
    result = deploy.run(*args, check=False, script=DEPLOY)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0] == f"error: {what}"
    assert lines[1].startswith("usage: ./deploy.sh ") and "(--help for more)" in lines[1]
    assert not deploy.calls(), "nothing ran"


@pytest.mark.parametrize("args", [["--help"], ["--help", "--local"], ["--local", "--help"], ["down", "--help"]])
def test_help_is_the_leading_comment_block_only(deploy, args):
    out = deploy.run(*args, script=DEPLOY).stdout
    assert out.strip() and "set -euo" not in out and "shellcheck" not in out and "#!" not in out
    assert not any(line.startswith("# ") for line in out.splitlines())


HELP_SCRIPTS = ["deploy.sh", "deploy/kind/deploy-kind.sh", "deploy/local/local.sh", "deploy/local/kafka.sh",
                "scripts/install-deps.sh", "scripts/install-k8s-tools.sh", "test.sh", "tests/kind/run.sh",
                "tests/deploy/run-checks.sh", "bench/run.sh"]


@pytest.mark.parametrize("script", HELP_SCRIPTS)
def test_every_script_prints_its_whole_comment_block_as_help(script):
    path = ROOT / script
    lines = path.read_text().splitlines()
    block = []
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        if not line.startswith("# shellcheck"):
            block.append(line[2:] if line.startswith("# ") else line[1:])
    result = subprocess.run([str(path), "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == block
    assert not re.search(r"sed -n '\d+,\d+p' \"\$0\"", path.read_text()), "no fixed line ranges"


def test_local_status_prints_one_gateway_and_one_bootstrap_line(deploy, tmp_path):
    env = {"KAFKA_LOCAL_DIR": str(tmp_path / "local"), "GATEWAY_PORT": "18999"}
    run = tmp_path / "local" / "run"
    run.mkdir(parents=True)
    # A gateway that runs (this test's own pid stands in for nginx) and was started on another port.
    (run / "gateway.pid").write_text(f"{os.getpid()}\n")
    (run / "gateway.port").write_text("18123\n")
    lines = deploy.run("status", "--local", env=env, script=DEPLOY).stdout.splitlines()
    assert [line for line in lines if line.startswith("gateway:")] == ["gateway: http://localhost:18123"]
    assert len([line for line in lines if line.startswith("bootstrap: ")]) == 1
    assert f"nginx: running (pid {os.getpid()})" in lines
    (run / "gateway.pid").unlink()
    lines = deploy.run("status", "--local", env=env, script=DEPLOY).stdout.splitlines()
    assert [line for line in lines if line.startswith("gateway:")] == ["gateway: http://localhost:18999"]


# ------------------------------------------------------------------------------------------------------ preflight

def test_doctor_runs_the_checks_alone_and_creates_nothing(deploy):
    result = deploy.run("doctor", "--data-dir", str(deploy.data), "--http-port", str(deploy.http_port),
                        "--https-port", str(deploy.https_port))
    for what in ("docker: Docker Engine 29.0.1", "classic image store", "memory for Docker", "inotify limits",
                 f"ports {deploy.http_port}/{deploy.https_port}: free", "GiB free for the data", "builder: BuildKit",
                 f"kind v0.33.0 (the kind proof ran {read_versions()['KIND_VERSION']} with Kubernetes 1.37)",
                 "kubectl v1.37.1"):
        assert what in result.stderr, what
    assert "preflight: ok" in result.stderr
    assert not deploy.data.exists() and not (deploy.state / "cluster").exists()
    assert not [c for c in deploy.calls() if c.startswith(("kind create", "docker build ", "docker pull", "docker save",
                                                          "kubectl --context")) and "--help" not in c]


def doctor(deploy, **env):
    return deploy.run("doctor", "--data-dir", str(deploy.data), "--http-port", str(deploy.http_port),
                      "--https-port", str(deploy.https_port), env=env, check=False)


@pytest.mark.parametrize("env, problem, fix", [
    ({"STUB_DOCKER_DOWN": "1"}, "Docker is installed but not reachable", "systemctl start docker"),
    ({"STUB_MEM": str(3 * 2**30)}, "memory for Docker: 3072 MiB", "the host's memory is what Docker gets"),
    ({"STUB_MEM": str(3 * 2**30), "STUB_OS": "Docker Desktop"}, "memory for Docker: 3072 MiB", "Settings > Resources > Memory"),
    ({"STUB_MEM": str(3 * 2**30), "STUB_OS": "Docker Desktop", "STUB_KERNEL": "5.15.167.4-microsoft-standard-WSL2"},
     "memory for Docker: 3072 MiB", r"%UserProfile%\.wslconfig set [wsl2] memory=8GB"),
    ({"STUB_MEM": str(3 * 2**30), "STUB_NAME": "colima", "HOME": "/tmp"}, "memory for Docker: 3072 MiB", "colima start --memory 8"),
    ({"STUB_KIND_VERSION": "v0.30.0"}, "kind v0.30.0 is older than v0.33.0", "go install sigs.k8s.io/kind@v0.33.0"),
    ({"STUB_DOCKER_VERSION": "podman version 4.3.1"}, "Podman is not supported", "use Docker"),
    ({"KIND_EXPERIMENTAL_PROVIDER": "podman"}, "Podman is not supported", "unset KIND_EXPERIMENTAL_PROVIDER"),
    ({"STUB_BUILDER_NAME": "kok-builder", "STUB_BUILDER_DRIVER": "docker-container", "STUB_DEFAULT_DRIVER": "remote"},
     "builder: the current buildx builder 'kok-builder' uses the docker-container driver", "docker buildx use default"),
])
def test_doctor_fails_with_the_fix(deploy, env, problem, fix):
    result = doctor(deploy, **env)
    assert result.returncode != 0
    (line,) = [line for line in result.stderr.splitlines() if "FAIL" in line]
    assert problem in line
    assert fix in result.stderr
    assert "preflight: 1 problem(s)" in result.stderr


def test_doctor_warns_below_six_gib(deploy):
    result = doctor(deploy, STUB_MEM=str(5 * 2**30))
    assert result.returncode == 0 and "warn  memory for Docker: 5120 MiB" in result.stderr


def test_doctor_reports_low_inotify_limits_with_the_sysctl_commands(deploy):
    deploy.set_inotify(128, 8192)
    result = doctor(deploy)
    assert result.returncode != 0
    assert "max_user_instances=128 (need 512)" in result.stderr
    assert "sudo sysctl fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288" in result.stderr
    assert "/etc/sysctl.d/" in result.stderr


def test_doctor_finds_a_taken_port(deploy):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = deploy.run("doctor", "--data-dir", str(deploy.data), "--http-port", str(port),
                            "--https-port", str(deploy.https_port), check=False)
    assert result.returncode != 0
    assert f"port(s) {port} taken" in result.stderr and "--http-port 8080" in result.stderr


def test_up_stops_before_creating_anything_when_the_preflight_fails(deploy):
    result = deploy.up(env={"STUB_MEM": str(2 * 2**30)}, check=False)
    assert result.returncode != 0 and "nothing was created" in result.stderr
    assert not [c for c in deploy.calls() if c.startswith(("kind create", "docker build ", "docker pull"))
                and "--help" not in c]


@pytest.mark.parametrize("env, says", [
    ({"STUB_OS": "Docker Desktop", "STUB_DRIVER_STATUS": '["driver-type","io.containerd.snapshotter.v1"]'},
     "docker: Docker Desktop 29.0.1 (Docker Desktop, linux/amd64, containerd image store"),
    ({"STUB_SECURITY": '"name=seccomp,profile=builtin","name=rootless","name=cgroupns"'}, "docker: rootless Docker"),
    ({"STUB_ARCH": "aarch64"}, "linux/arm64"),
    ({"STUB_KIND_VERSION": "v0.34.1"}, "ok    kind v0.34.1 (the kind proof ran"),
    ({"STUB_NAME": "colima", "STUB_OS": "Ubuntu 24.04.1 LTS", "HOME": "/tmp"}, "docker: Colima 29.0.1"),
    ({"STUB_NAME": "orbstack", "STUB_OS": "OrbStack"}, "docker: OrbStack 29.0.1"),
    ({"STUB_KUBECTL_VERSION": "v1.30.2"}, "warn  kubectl v1.30.2 is more than one minor version away"),
])
def test_doctor_says_which_docker_and_tools_it_found(deploy, env, says):
    result = doctor(deploy, **env)
    assert result.returncode == 0, result.stderr
    assert says in result.stderr


def test_docker_desktop_skips_the_host_inotify_check(deploy):
    deploy.set_inotify(128, 8192)
    result = doctor(deploy, STUB_OS="Docker Desktop")
    assert result.returncode == 0 and "inotify limits" not in result.stderr


def test_arm64_nodes_get_arm64_archives(deploy):
    deploy.up(env={"STUB_ARCH": "aarch64"})
    saves = [c for c in deploy.calls() if c.startswith("docker save ") and "--help" not in c]
    assert saves and all("--platform linux/arm64" in c for c in saves)


def test_the_broker_directories_are_writable_for_uid_1000_whoever_runs_it(deploy):
    deploy.up()
    for n in range(3):
        st = (deploy.data / f"kafka-{n}").stat()
        if os.getuid() == 0:
            assert st.st_uid == 1000
        else:
            # Not only when the caller is not uid 1000: rootless Docker and Docker Desktop map uids their own way.
            assert (st.st_mode & 0o777) == 0o777


# ------------------------------------------------------------------------------------------------------- progress

def test_waits_say_what_they_wait_for_and_for_how_long(deploy, tmp_path):
    # The stand-in kubectl answers 'not yet' twice for the brokers.
    result = deploy.up(env={"STUB_ROLLOUT_PENDING": "statefulset/kafka:2"})
    lines = [line for line in result.stderr.splitlines() if "waiting for statefulset/kafka" in line]
    assert len(lines) == 2, result.stderr
    assert all("(3 brokers, quorum)" in line and "[wait]" in line for line in lines)
    assert re.search(r"… \d+s$", lines[-1])
    assert "statefulset/kafka ready (3 brokers, quorum) after" in result.stderr
    for n, name in enumerate(("preflight", "cluster", "images", "apply", "wait", "smoke"), 1):
        assert f"phase {n}/6: {name}" in result.stderr
    assert re.search(r"Kafka on kind is up \(took \d+m\d+s\)", result.stdout)
    assert f"gateway:    http://localhost:{deploy.http_port}" in result.stdout


def test_with_ui_prints_its_url(deploy):
    result = deploy.up("--with-ui")
    assert f"ui:         http://ui.localhost:{deploy.http_port}" in result.stdout
    assert "port-forward" not in result.stdout


def test_overlay_cloud_applies_the_cloud_manifests_and_says_how_to_reach_them(deploy):
    result = deploy.up("--overlay", "cloud")
    applied = deploy.applied()
    kafka = next(d for d in applied if d["kind"] == "StatefulSet" and d["metadata"]["name"] == "kafka")
    assert kafka["spec"]["volumeClaimTemplates"][0]["spec"]["storageClassName"] == "standard"
    traefik = next(d for d in applied if d["kind"] == "Service" and d["metadata"]["name"] == "traefik")
    assert traefik["spec"]["type"] == "LoadBalancer"
    assert not any(d["kind"] == "PersistentVolume" for d in applied), "no host-directory volumes"
    assert "port-forward svc/traefik 8080:80" in result.stdout
    assert "volume claims data-kafka-0..2" in result.stdout


PASSWORD_COMMAND = ("kubectl --context kind-kok -n traefik get secret api-credentials "
                    "-o go-template='{{.data.password | base64decode}}'")


def cloud_report(took: str, login: str, curl: str) -> list[str]:
    url = "http://localhost:8080"
    bootstrap = ",".join(f"kafka-{n}.kafka-headless.kok.svc.cluster.local:9092" for n in range(3))
    return ["", f"Kafka on kind is up (took {took}).",
            "  gateway:    none on this machine's ports: the cloud overlay puts Traefik behind a LoadBalancer Service.",
            f"              kubectl --context kind-kok -n traefik port-forward svc/traefik 8080:80   then {url}",
            login,
            f"  bootstrap:  {bootstrap}   (inside the cluster)",
            "  data:       volume claims data-kafka-0..2 (kind's default StorageClass, inside the nodes)",
            "",
            "Try it:",
            f"  {curl} -X POST {url}/topic/demo                         # create topic 'demo' (1 partition, RF 3)",
            f"  {curl} -X POST --data 'hello kafka' {url}/message/demo  # send a message",
            f"  {curl} {url}/demo                                       # read the next message: offset: 0 key: ... value: hello kafka",
            f"  {curl} {url}/topics/demo                                # partitions, leader, replicas, ISR",
            f"  {curl} -N {url}/consumer/demo/stream                    # follow the topic (Server-Sent Events)",
            "",
            "Look around:",
            "  kubectl --context kind-kok -n kok get pods -o wide",
            "  kubectl --context kind-kok -n kok logs statefulset/kafka",
            "",
            "Stop: ./deploy.sh down   (data kept; --purge deletes it)      State: ./deploy.sh status"]


def took_of(stdout: str) -> str:
    took = re.fullmatch(r"Kafka on kind is up \(took (\d+m\d+s)\)\.", stdout.splitlines()[1])
    assert took, stdout
    return took.group(1)


def test_cloud_credentials_are_made_once_kept_and_printed_once(deploy):
    result = deploy.up("--overlay", "cloud")
    secret = yaml.safe_load((deploy.state / "secret.yaml").read_text())
    assert (secret["kind"], secret["metadata"]["name"], secret["metadata"]["namespace"]) == \
        ("Secret", "api-credentials", "traefik")
    data = secret["stringData"]
    password = data["password"]
    assert data["username"] == "kok" and re.fullmatch(r"[0-9a-f]{36}", password), data
    # The htpasswd line Traefik reads is an apr1 hash of exactly this password (real openssl, same salt).
    user, digest = data["users"].split(":", 1)
    salt = digest.split("$")[2]
    again = subprocess.run(["openssl", "passwd", "-apr1", "-salt", salt, "-stdin"], input=password,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert (user, digest) == ("kok", again) and digest.startswith("$apr1$")
    # Printed once, on stdout in the report, with a curl example that carries it; never on a command line.
    assert result.stdout.splitlines() == cloud_report(
        took_of(result.stdout),
        f"  login:      user kok, password {password}   (every request; shown this once, kept in Secret "
        "traefik/api-credentials)",
        f"curl -u kok:{password}")
    assert password not in result.stderr
    calls = deploy.calls()
    assert not [c for c in calls if password in c]
    assert calls.count("kubectl --context kind-kok create -f -") == 1
    # Traefik reads the user list at start: restarted once, after the Secret exists (and after the apply).
    restarts = [i for i, c in enumerate(calls) if c.endswith("-n traefik rollout restart deployment/traefik")]
    assert len(restarts) == 1 and restarts[0] > calls.index("kubectl --context kind-kok create -f -")

    # A second run keeps the Secret and does not print the password again: it says how to read it.
    (deploy.state / "calls").unlink()
    before = (deploy.state / "secret.yaml").read_bytes()
    result = deploy.up("--overlay", "cloud")
    assert (deploy.state / "secret.yaml").read_bytes() == before
    assert not [c for c in deploy.calls() if c.startswith("kubectl ") and (" create " in c or "rollout restart" in c)]
    assert password not in result.stdout + result.stderr
    assert result.stdout.splitlines() == cloud_report(
        took_of(result.stdout),
        f'  login:      user kok (every request), password: KOK_PASSWORD="$({PASSWORD_COMMAND})"',
        'curl -u "kok:$KOK_PASSWORD"')
    assert "credentials: kept (Secret traefik/api-credentials, user kok)" in result.stderr
    status = deploy.run("status").stdout.splitlines()
    assert [line for line in status if line.startswith("login:")] == [f"login: user kok, password: {PASSWORD_COMMAND}"]


def test_the_kind_overlay_has_no_credentials(deploy):
    deploy.up()
    assert not (deploy.state / "secret.yaml").exists()
    assert not [c for c in deploy.calls() if c.startswith("kubectl ") and (" create " in c or "rollout restart" in c)]
    assert not [line for line in deploy.run("status").stdout.splitlines() if line.startswith("login:")]
    # A cloud run's login on the same cluster is removed by a kind run: status then names none.
    deploy.up("--overlay", "cloud")
    assert [line for line in deploy.run("status").stdout.splitlines() if line.startswith("login:")]
    deploy.up()
    assert "kubectl --context kind-kok -n traefik delete secret api-credentials --ignore-not-found" in deploy.calls()
    assert not (deploy.state / "secret.yaml").exists()
    assert not [line for line in deploy.run("status").stdout.splitlines() if line.startswith("login:")]


def test_an_unknown_overlay_is_refused_before_anything_runs(deploy):
    result = deploy.up("--overlay", "aws", check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "error: --overlay: kind or cloud, not 'aws'"
    assert not deploy.calls()


# --------------------------------------------------------------------------------------------------- the last lines

def expected_report(deploy, took: str, with_ui: bool) -> list[str]:
    url = f"http://localhost:{deploy.http_port}"
    bootstrap = ",".join(f"kafka-{n}.kafka-headless.kok.svc.cluster.local:9092" for n in range(3))
    lines = ["", f"Kafka on kind is up (took {took}).",
             f"  gateway:    {url}   (https on port {deploy.https_port}, self-signed)"]
    if with_ui:
        lines.append(f"  ui:         http://ui.localhost:{deploy.http_port}   (kafbat kafka-ui; *.localhost is this machine: "
                     f"without a browser, curl -H 'Host: ui.localhost' {url}/)")
    return lines + [
        f"  bootstrap:  {bootstrap}   (inside the cluster)",
        f"  data:       {deploy.data.resolve()}/{{kafka-0,kafka-1,kafka-2}}",
        "",
        "Try it:",
        f"  curl -X POST {url}/topic/demo                         # create topic 'demo' (1 partition, RF 3)",
        f"  curl -X POST --data 'hello kafka' {url}/message/demo  # send a message",
        f"  curl {url}/demo                                       # read the next message: offset: 0 key: ... value: hello kafka",
        f"  curl {url}/topics/demo                                # partitions, leader, replicas, ISR",
        f"  curl -N {url}/consumer/demo/stream                    # follow the topic (Server-Sent Events)",
        "",
        "Look around:",
        "  kubectl --context kind-kok -n kok get pods -o wide",
        "  kubectl --context kind-kok -n kok logs statefulset/kafka",
        "",
        "Stop: ./deploy.sh down   (data kept; --purge deletes it)      State: ./deploy.sh status",
    ]


@pytest.mark.parametrize("with_ui", [False, True])
def test_up_ends_with_exactly_the_urls_the_walkthrough_and_the_hints(deploy, with_ui):
    result = deploy.up(*(["--with-ui"] if with_ui else []))
    lines = result.stdout.splitlines()
    took = re.fullmatch(r"Kafka on kind is up \(took (\d+m\d+s)\)\.", lines[1])
    assert took, lines[:3]
    # stdout is the report and nothing else (progress goes to stderr), compared line by line.
    assert lines == expected_report(deploy, took.group(1), with_ui)


# ---------------------------------------------------------------------------------------------- options per verb

@pytest.mark.parametrize("args, error, usage", [
    (["up", "--purge"], "--purge is an option of down, not of up", "./deploy.sh [up] [--data-dir D]"),
    (["down", "--with-ui"], "--with-ui is an option of up, not of down", "./deploy.sh down [--purge] [--data-dir D]"),
    (["status", "--data-dir", "x"], "--data-dir is an option of up, not of status", "./deploy.sh status [--local]"),
    (["doctor", "--no-smoke"], "--no-smoke is an option of up, not of doctor", "./deploy.sh doctor [--data-dir D]"),
    (["--with-ui", "down"], "the verb goes first: ./deploy.sh down ...", "./deploy.sh [up|down|status|doctor]"),
    (["down", "--data-dir"], "--data-dir needs a directory", "./deploy.sh down [--purge] [--data-dir D]"),
])
def test_each_verb_takes_its_own_options_and_names_a_misplaced_one(deploy, args, error, usage):
    result = deploy.run(*args, check=False)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {error}" and len(lines) == 2, result.stderr
    assert lines[1].startswith(f"usage: {usage}"), lines[1]
    assert not deploy.calls(), "nothing ran"


# ------------------------------------------------------------------------------------- engines the preflight judges

def test_rootless_docker_cannot_publish_privileged_ports(deploy, tmp_path):
    # The test's free ports stand in for 80/443: the limit is set above them (Linux's default is 1024).
    start = tmp_path / "ip_unprivileged_port_start"
    start.write_text("61000\n")
    rootless = {"STUB_SECURITY": '"name=seccomp,profile=builtin","name=rootless"', "KOK_PORT_START_FILE": str(start)}
    result = doctor(deploy, **rootless)
    assert result.returncode != 0
    (line,) = [line for line in result.stderr.splitlines() if "FAIL" in line]
    assert line == (f"  FAIL  ports {deploy.http_port}/{deploy.https_port}: rootless Docker cannot publish ports "
                    "below 61000 (net.ipv4.ip_unprivileged_port_start)")
    assert "sudo sysctl net.ipv4.ip_unprivileged_port_start=80" in result.stderr and "--http-port 8080" in result.stderr
    # With the limit at or below the ports, or a rootful engine, the same ports are fine.
    start.write_text(f"{min(deploy.http_port, deploy.https_port)}\n")
    assert doctor(deploy, **rootless).returncode == 0
    start.write_text("61000\n")
    assert doctor(deploy, KOK_PORT_START_FILE=str(start)).returncode == 0


def wsl_env(tmp_path, **extra):
    version = tmp_path / "proc-version"
    version.write_text("Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f) #1 SMP\n")
    return {"KOK_PROC_VERSION": str(version), **extra}


def test_in_wsl_a_windows_program_on_the_port_is_found(deploy, tmp_path):
    result = doctor(deploy, **wsl_env(tmp_path, STUB_WINDOWS_LISTEN=str(deploy.https_port)))
    assert result.returncode != 0
    assert f"FAIL  port(s) {deploy.https_port} (a Windows program) taken on this machine" in result.stderr
    assert doctor(deploy, **wsl_env(tmp_path, STUB_WINDOWS_LISTEN="8081")).returncode == 0
    result = doctor(deploy, **wsl_env(tmp_path, STUB_NO_INTEROP="1"))
    assert result.returncode == 0 and "note  ports: cannot ask Windows which ports its programs hold" in result.stderr


def test_a_container_driver_builder_builds_through_the_default_builder(deploy):
    env = {"STUB_BUILDER_NAME": "kok-builder", "STUB_BUILDER_DRIVER": "docker-container"}
    result = deploy.up(env=env)
    assert "builder: BuildKit, builder 'default' (your current builder 'kok-builder' uses the docker-container driver" \
        in result.stderr
    assert (deploy.state / "build-env").read_text() == "BUILDX_BUILDER=default\n"


@pytest.mark.parametrize("env, data, ok", [
    ({"STUB_UNAME": "Darwin", "STUB_OS": "Docker Desktop"}, "/opt/kok-data", False),
    ({"STUB_UNAME": "Darwin", "STUB_OS": "Docker Desktop"}, "{tmp}/data", True),  # /tmp is shared
    ({"STUB_UNAME": "Darwin", "STUB_NAME": "colima"}, "{tmp}/data", False),       # outside $HOME
    ({"STUB_UNAME": "Darwin", "STUB_NAME": "colima"}, "{home}/data", True),
])
def test_a_data_directory_the_engine_cannot_mount_is_refused(deploy, tmp_path, env, data, ok):
    home = tmp_path / "home"
    home.mkdir()
    data = data.format(tmp=tmp_path, home=home)
    result = deploy.run("doctor", "--data-dir", data, "--http-port", str(deploy.http_port),
                        "--https-port", str(deploy.https_port), env={**env, "HOME": str(home)}, check=False)
    assert (result.returncode == 0) == ok, result.stderr
    if not ok:
        (line,) = [line for line in result.stderr.splitlines() if "FAIL" in line]
        assert line.startswith(f"  FAIL  the data directory {data} is outside"), line
        assert "--data-dir ~/kafka-on-kind-data" in result.stderr


def test_the_data_directory_comes_from_the_cluster_not_from_the_engines_name_for_it(deploy):
    deploy.up()
    # Docker Desktop names a WSL distribution's directory by a path of its own VM.
    (deploy.state / "mount").write_text("/run/desktop/mnt/host/wsl/docker-desktop-bind-mounts/Ubuntu/0a1b2c\n")
    result = deploy.run("up", "--http-port", str(deploy.http_port), "--https-port", str(deploy.https_port), "--no-smoke")
    assert f"  data:       {deploy.data.resolve()}/{{kafka-0,kafka-1,kafka-2}}" in result.stdout.splitlines()
    assert f"data: {deploy.data.resolve()}" in deploy.run("status").stdout.splitlines()
