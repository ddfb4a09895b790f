"""The service image's Dockerfile: pinned bases (overridable), the host build's Debian packages, a non-root runtime,
and targets that exist in the CMake project."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT

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


def test_runtime_stage_is_slim_and_non_root():
    runtime = stages()[2]
    users = [i.split()[1] for i in runtime if i.upper().startswith("USER ")]
    assert users and re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[-1]), "numeric, non-root USER"
    assert not [i for i in runtime if re.search(r"\bapt-get install\b.*\b(g\+\+|cmake|-dev)\b", i)]
    entrypoint = [i for i in runtime if i.upper().startswith("ENTRYPOINT")]
    assert entrypoint and entrypoint[-1].startswith('ENTRYPOINT ["'), "exec form, so SIGTERM reaches the service"


def test_build_context_leaves_out_local_state():
    ignored = {line.strip() for line in IGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")}
    assert {".git", "build", "data", ".cache"} <= ignored


@pytest.mark.parametrize("service", ["producer", "consumer"])
def test_service_target_exists(service):
    cmake = (ROOT / "services" / service / "CMakeLists.txt").read_text()
    targets = re.findall(r"add_executable\(\s*([\w.-]+)", cmake)
    if not targets:
        pytest.skip(f"services/{service} defines no executable yet")
    # The Dockerfile's default TARGET is kok-${SERVICE}.
    assert f"kok-{service}" in targets
