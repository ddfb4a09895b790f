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
    assert "cmake --preset image" in build


def test_one_build_compiles_both_services_with_bounded_jobs_and_strips_them():
    build = stages()[1]
    runs = [i for i in build if "cmake --build" in i]
    assert len(runs) == 1, "both services in one compile"
    (run,) = runs
    assert 'cmake --build --preset image --target kok-producer kok-consumer -j "$jobs"' in run
    # JOBS when given, else the build container's CPUs bounded by its memory (1 GiB a job), at least one.
    assert "ARG JOBS=" in build
    assert "$(nproc)" in run and "MemAvailable" in run and 'jobs="${JOBS:-' in run
    # BuildKit cache mount of the build tree (the legacy builder gets a copy without it: deploy-kind.sh).
    assert run.startswith("RUN --mount=type=cache,") and "target=/src/build" in run
    assert len(re.findall(r"--mount=", run)) == 1, "deploy-kind.sh's sed removes one mount for the legacy builder"
    for binary in ("kok-producer", "kok-consumer"):
        assert re.search(rf"install -D -s -m 0755 \S+/{binary} /out/usr/local/bin/{binary}", run), f"{binary} stripped"


def jobs_of(run: str, jobs: str, cpus: int, mem_available_kib: int) -> subprocess.CompletedProcess:
    """The Dockerfile's jobs rule, run by sh with stand-ins for nproc and /proc/meminfo."""
    rule = run[run.index('cpus="$(nproc)"'):run.index("&& cmake --preset")]
    rule = rule.replace("$(nproc)", str(cpus)).replace("/proc/meminfo", "\"$MEMINFO\"")
    return subprocess.run(["sh", "-c", rule + ' && echo "$jobs"'], capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "JOBS": jobs, "MEMINFO": "/dev/stdin"},
                          input=f"MemTotal: {2 * mem_available_kib} kB\nMemAvailable: {mem_available_kib} kB\n")


@pytest.mark.skipif(shutil.which("sh") is None or shutil.which("awk") is None, reason="needs sh and awk")
@pytest.mark.parametrize("jobs, cpus, mem_gib, expected", [
    ("", 2, 22.0, "2"),    # this kind of machine: the CPUs bound it
    ("", 8, 3.5, "3"),     # a 4 GB Docker Desktop VM with 8 CPUs: memory bounds it
    ("", 4, 0.5, "1"),     # never fewer than one
    ("6", 2, 1.0, "6"),    # JOBS given: used as it is
])
def test_jobs_follow_the_builders_cpus_and_memory(jobs, cpus, mem_gib, expected):
    (run,) = [i for i in stages()[1] if "cmake --build" in i]
    result = jobs_of(run, jobs, cpus, int(mem_gib * 1024 * 1024))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == expected
    assert "compile jobs: " in result.stdout


def test_jobs_must_be_a_number():
    (run,) = [i for i in stages()[1] if "cmake --build" in i]
    result = jobs_of(run, "two", 2, 8 * 1024 * 1024)
    assert result.returncode != 0 and "JOBS=two" in result.stderr


def test_release_preset_builds_with_werror():
    presets = json.loads((ROOT / "CMakePresets.json").read_text())
    configure = {p["name"]: p for p in presets["configurePresets"]}
    release = configure["release"]
    chain = [release] + [configure[p] for p in ([release["inherits"]] if isinstance(release.get("inherits"), str)
                                                else release.get("inherits", []))]
    assert any(p.get("cacheVariables", {}).get("KOK_WARNINGS_AS_ERRORS") == "ON" for p in chain)


def test_image_preset_is_release_without_debug_info():
    presets = json.loads((ROOT / "CMakePresets.json").read_text())
    configure = {p["name"]: p for p in presets["configurePresets"]}
    image = configure["image"]
    assert configure[image["inherits"]].get("cacheVariables", {}).get("KOK_WARNINGS_AS_ERRORS") == "ON"
    flags = image["cacheVariables"]["CMAKE_CXX_FLAGS_" + image["cacheVariables"]["CMAKE_BUILD_TYPE"].upper()]
    assert "-O2" in flags.split() and not [f for f in flags.split() if f.startswith("-g")]
    assert "image" in {p["name"] for p in presets["buildPresets"]}


def test_runtime_stage_is_slim_and_non_root():
    runtime = stages()[2]
    # apt's lists and package caches stay out of the layer (a base without Debian's docker-clean keeps them).
    (install,) = [i for i in runtime if "apt-get install" in i]
    assert "apt-get clean" in install and "/var/lib/apt/lists/*" in install
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


def ignore_entries(path=IGNORE) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def in_build_context(path: str, ignored: list[str]) -> bool:
    """Whether a repository path reaches the image build. Docker's rules: each entry is a path or glob from the root
    (a directory takes what is under it, `**/` any depth), `!` lets a path back in, and the last matching entry wins."""
    included = True
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for entry in ignored:
        negated = entry.startswith("!")
        pattern = entry.lstrip("!").rstrip("/")
        patterns = {pattern, pattern[3:]} if pattern.startswith("**/") else {pattern}
        if any(fnmatch.fnmatchcase(prefix, p) for prefix in prefixes for p in patterns):
            included = negated
    return included


def test_in_build_context_follows_dockers_rules():
    rules = ["build", "docs/*", "!docs/openapi.yaml", "**/*.swp"]
    assert not in_build_context("build/release/x.o", rules)
    assert not in_build_context("docs/decisions.md", rules)
    assert in_build_context("docs/openapi.yaml", rules)
    assert not in_build_context("libs/http/src/.session.cpp.swp", rules) and not in_build_context("a.swp", rules)
    assert in_build_context("libs/http/src/session.cpp", rules)


def test_the_build_context_holds_the_api_spec_and_no_other_docs():
    """The services embed docs/openapi.yaml (GET /openapi.yaml); the prose in docs/ has no business in the build."""
    ignored = ignore_entries()
    assert in_build_context("docs/openapi.yaml", ignored)
    docs = [p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").iterdir() if p.name != "openapi.yaml"]
    assert docs and not [d for d in docs if in_build_context(d, ignored)]


def copy_build_context(destination, leave_out=()) -> None:
    """Copies what the Dockerfile's COPY sees: the checkout's files (tracked, or new and not git-ignored) minus
    .dockerignore, and minus `leave_out`."""
    ignored = ignore_entries()
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             check=True, capture_output=True).stdout
    for path in filter(None, files.decode().split("\0")):
        if in_build_context(path, ignored) and path not in leave_out and (ROOT / path).is_file():
            (destination / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / path, destination / path)


@pytest.mark.skipif(shutil.which("cmake") is None or shutil.which("ninja") is None, reason="needs cmake and ninja")
def test_the_build_context_configures_with_the_image_preset(tmp_path):
    """What the Dockerfile's `cmake --preset image` sees: the checkout minus .dockerignore. A CMakeLists that names a
    directory the context leaves out breaks every image build (and so ./deploy.sh) while the host build works."""
    context = tmp_path / "src"
    copy_build_context(context)
    configured = subprocess.run(["cmake", "--preset", "image"], cwd=context, capture_output=True, text=True)
    assert configured.returncode == 0, configured.stdout[-2000:] + configured.stderr[-2000:]


@pytest.mark.skipif(shutil.which("cmake") is None or shutil.which("ninja") is None, reason="needs cmake and ninja")
def test_a_tree_without_the_api_spec_fails_to_configure(tmp_path):
    """No placeholder spec: a build context without docs/openapi.yaml stops at `cmake --preset image`, saying why."""
    context = tmp_path / "src"
    copy_build_context(context, leave_out={"docs/openapi.yaml"})
    configured = subprocess.run(["cmake", "--preset", "image"], cwd=context, capture_output=True, text=True)
    assert configured.returncode != 0
    assert configured.stderr.count("CMake Error") == 1, configured.stderr[-2000:]
    assert "docs/openapi.yaml is missing" in re.sub(r"\s+", " ", configured.stderr), configured.stderr[-2000:]


@pytest.mark.skipif(shutil.which("cmake") is None, reason="needs cmake")
def test_the_embed_step_fails_when_its_input_disappears(tmp_path):
    """The build-time embed step (after configuring) has no fallback either."""
    args = [f"-DINPUT={tmp_path / 'gone.yaml'}", f"-DOUTPUT={tmp_path / 'out.cpp'}", "-DNAMESPACE=n", "-DVARIABLE=v",
            "-DVARIABLE_SIZE=v_size"]
    failed = subprocess.run(["cmake", *args, "-P", str(ROOT / "cmake" / "embed_file.cmake")], capture_output=True,
                            text=True)
    assert failed.returncode != 0 and "does not exist" in failed.stderr
    assert not (tmp_path / "out.cpp").exists()
    (tmp_path / "gone.yaml").write_bytes(b"openapi: 3.0.3\n")
    subprocess.run(["cmake", *args, "-P", str(ROOT / "cmake" / "embed_file.cmake")], check=True)
    assert "'\\x6f','\\x70'" in (tmp_path / "out.cpp").read_text()
