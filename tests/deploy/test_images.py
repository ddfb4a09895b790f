"""The service image's Dockerfile: pinned bases (overridable), the host build's Debian packages, one compile of both
services (bounded jobs, cache mount, stripped), a non-root runtime, and targets that exist in the CMake project."""
from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, find

DOCKERFILE = ROOT / "images" / "service" / "Dockerfile"
IGNORE = ROOT / "images" / "service" / "Dockerfile.dockerignore"


def stages() -> list[list[str]]:
    """Instructions per stage (continuation lines joined), the global ARGs first."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    out: list[list[str]] = [[]]
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            out.append([])
        out[-1].append(line)
    return out


def test_base_images_are_pinned_build_arguments():
    global_args = dict(re.match(r"ARG (\w+)=(\S+)", a).groups() for a in stages()[0])
    assert global_args == {"BUILDER_IMAGE": "debian:bookworm", "RUNTIME_IMAGE": "debian:bookworm-slim"}
    froms = [s[0] for s in stages()[1:]]
    assert froms == ["FROM ${BUILDER_IMAGE} AS build", "FROM ${RUNTIME_IMAGE}"]
    # No BuildKit frontend pulled from a registry: an offline build must work.
    assert "# syntax=" not in DOCKERFILE.read_text()


def test_build_stage_uses_the_host_build_packages():
    build = " ".join(stages()[1])
    for package in ("librdkafka-dev", "libboost1.81-dev", "libboost-url1.81-dev", "nlohmann-json3-dev",
                    "libspdlog-dev", "cmake", "ninja-build", "g++"):
        assert re.search(rf"(?<![\w.-]){re.escape(package)}(?![\w.-])", build), package
    # libboost-dev / libboost-all-dev would pull Boost 1.74.
    assert not re.search(r"libboost(-all)?-dev", build)
    assert "cmake --preset release" in build


def test_one_build_compiles_both_services_with_bounded_jobs_and_strips_them():
    build = stages()[1]
    runs = [i for i in build if "cmake --build" in i]
    assert len(runs) == 1, "both services in one compile"
    (run,) = runs
    assert "cmake --build --preset release --target kok-producer kok-consumer -j \"${JOBS}\"" in run
    assert "ARG JOBS=2" in build, "bounded by default, overridable"
    # BuildKit cache mount of the build tree (the legacy builder gets a copy without it: deploy-kind.sh).
    assert run.startswith("RUN --mount=type=cache,") and "target=/src/build" in run
    for binary in ("kok-producer", "kok-consumer"):
        assert re.search(rf"install -D -s -m 0755 \S+/{binary} /out/usr/local/bin/{binary}", run), f"{binary} stripped"


def test_release_preset_builds_with_werror():
    presets = json.loads((ROOT / "CMakePresets.json").read_text())
    configure = {p["name"]: p for p in presets["configurePresets"]}
    release = configure["release"]
    chain = [release] + [configure[p] for p in ([release["inherits"]] if isinstance(release.get("inherits"), str)
                                                else release.get("inherits", []))]
    assert any(p.get("cacheVariables", {}).get("KOK_WARNINGS_AS_ERRORS") == "ON" for p in chain)


def test_runtime_stage_is_slim_and_non_root():
    runtime = stages()[2]
    users = [i.split()[1] for i in runtime if i.upper().startswith("USER ")]
    assert users and re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[-1]), "numeric, non-root USER"
    assert not [i for i in runtime if re.search(r"\bapt-get install\b.*\b(g\+\+|cmake|-dev)\b", i)]
    assert "COPY --from=build /out/usr/local/bin/ /usr/local/bin/" in runtime
    # No fixed entry point: each Deployment's command names its binary (exec form there, so SIGTERM reaches it).
    assert not [i for i in runtime if i.upper().startswith("ENTRYPOINT")]
    cmd = [i for i in runtime if i.upper().startswith("CMD")]
    assert cmd and cmd[-1].startswith('CMD ["'), "exec form"


def test_build_context_leaves_out_local_state():
    ignored = {line.strip() for line in IGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")}
    assert {".git", "build", "data", ".cache"} <= ignored


@pytest.mark.parametrize("service", ["producer", "consumer"])
def test_service_target_exists_and_each_deployment_runs_its_binary(service, kind_manifests):
    cmake = (ROOT / "services" / service / "CMakeLists.txt").read_text()
    targets = re.findall(r"add_executable\(\s*([\w.-]+)", cmake)
    assert f"kok-{service}" in targets
    deployment = find(kind_manifests, "Deployment", service, "kok")
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"].split(":")[0] == "kok-service"
    assert container["command"] == [f"/usr/local/bin/kok-{service}"]
    assert container["imagePullPolicy"] == "IfNotPresent"


def test_the_legacy_builder_gets_the_same_build_context():
    """The legacy builder (no buildx) ignores <Dockerfile>.dockerignore and reads only the context's .dockerignore."""
    def entries(path):
        return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]

    assert entries(ROOT / ".dockerignore") == entries(IGNORE)


def in_build_context(path: str, ignored: list[str]) -> bool:
    """Whether a repository path reaches the image build (the .dockerignore entries are paths or globs from the root)."""
    for entry in ignored:
        if path == entry or path.startswith(entry.rstrip("/") + "/") or fnmatch.fnmatch(path, entry):
            return False
    return True


@pytest.mark.skipif(shutil.which("cmake") is None or shutil.which("ninja") is None, reason="needs cmake and ninja")
def test_the_build_context_configures_with_the_release_preset(tmp_path):
    """What the Dockerfile's `cmake --preset release` sees: the tracked files minus .dockerignore. A CMakeLists that
    names a directory the context leaves out breaks every image build (and so ./deploy.sh) while the host build works."""
    ignored = [line.strip() for line in IGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")]
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    context = tmp_path / "src"
    for path in filter(None, tracked.decode().split("\0")):
        if in_build_context(path, ignored) and (ROOT / path).is_file():
            (context / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / path, context / path)
    configured = subprocess.run(["cmake", "--preset", "release"], cwd=context, capture_output=True, text=True)
    assert configured.returncode == 0, configured.stdout[-2000:] + configured.stderr[-2000:]
