"""images/service/build-progress.sh: `docker build` output (BuildKit's --progress=plain, or the legacy builder's)
condensed into lines a user waiting for the compile can follow, and everything from the first failure on."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT

SCRIPT = ROOT / "images" / "service" / "build-progress.sh"

# Abridged from a real cold build (BuildKit, --progress=plain): headers repeat when a step's output resumes.
BUILDKIT_OK = """\
#1 [internal] load build definition from Dockerfile
#1 sha256:4c5bb589c14384e62382a63ca507ea99c292eea95a5d1289739cdf7f3065558f
#1 transferring dockerfile: 3.92kB done
#1 DONE 0.1s

#4 [build 1/6] FROM kok.local/debian:bookworm
#4 DONE 0.1s

#5 [build 2/6] RUN apt-get update  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends       g++ cmake ninja-build
#5 0.477 Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]
#5 4.551 Fetched 15.0 MB in 4s (3709 kB/s)
#5 29.90 Unpacking libgcc-12-dev:amd64 (12.2.0-14+deb12u1) ...
#5 31.20 Unpacking libstdc++-12-dev:amd64 (12.2.0-14+deb12u1) ...
#5 33.00 Unpacking cpp-12 (12.2.0-14+deb12u1) ...
#5 97.86 Unpacking libboost-system1.81-dev:amd64 (1.81.0-5+deb12u1) ...
#5 DONE 106.6s

#6 [stage-1 1/4] FROM kok.local/debian:bookworm
#6 DONE 0.1s

#8 [build 4/6] COPY . .
#8 DONE 0.1s

#9 [build 5/6] RUN --mount=type=cache,id=kok-service-build,sharing=locked,target=/src/build     cmake --preset image
#9 sha256:09f3bc1788939d4a257aa94c30f677915308f80c915e01d458009b936be75720
#9 0.341 Preset CMake variables:
#9 1.125 -- Build files have been written to: /src/build/image
#9 5.185 [1/4] Building CXX object libs/http/CMakeFiles/kok_http.dir/cmake_pch.hxx.gch
#9 22.30 [2/4] Building CXX object libs/http/CMakeFiles/kok_http.dir/src/session.cpp.o
#9 33.00 [3/4] Linking CXX static library libs/http/libkok_http.a

#6 [stage-1 1/4] FROM kok.local/debian:bookworm

#9 [build 5/6] RUN --mount=type=cache,id=kok-service-build,sharing=locked,target=/src/build     cmake --preset image
#9 98.10 [4/4] Linking CXX executable services/consumer/kok-consumer
#9 DONE 98.3s

#12 [stage-1 3/4] RUN apt-get update  && DEBIAN_FRONTEND=noninteractive xargs -a /tmp/runtime-packages apt-get install
#12 0.458 Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]
#12 DONE 9.4s

#14 exporting to image
#14 DONE 0.4s
"""

BUILDKIT_OK_SHOWN = """\
step build 1/6: FROM kok.local/debian:bookworm
  done in 0.1s
step build 2/6: RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-re...
  still running: 30 s
  still running: 60 s
  done in 106.6s
step stage-1 1/4: FROM kok.local/debian:bookworm
  done in 0.1s
step build 4/6: COPY . .
  done in 0.1s
step build 5/6: RUN cmake --preset image
compiling 1/4 libs/http/cmake_pch.hxx.gch
compiling 2/4 libs/http/src/session.cpp
compiling 3/4 link libs/http/libkok_http.a
compiling 4/4 link services/consumer/kok-consumer
  done in 98.3s
step stage-1 3/4: RUN apt-get update && DEBIAN_FRONTEND=noninteractive xargs -a /tmp/runtime-packages apt...
  done in 9.4s
"""

BUILDKIT_FAILED = """\
#9 [build 5/6] RUN --mount=type=cache,id=kok-service-build,sharing=locked,target=/src/build     cmake --preset image
#9 5.185 [1/3] Building CXX object libs/http/CMakeFiles/kok_http.dir/src/error.cpp.o
#9 9.000 FAILED: libs/http/CMakeFiles/kok_http.dir/src/session.cpp.o
#9 9.000 /usr/bin/c++ -O2 -c /src/libs/http/src/session.cpp
#9 9.000 /src/libs/http/src/session.cpp:3:10: error: 'x' was not declared in this scope
#9 9.100 ninja: build stopped: subcommand failed.
#9 ERROR: process "/bin/sh -c cmake --build --preset image" did not complete successfully: exit code: 1
------
 > [build 5/6] RUN cmake --build --preset image:
------
ERROR: failed to solve: process "/bin/sh -c cmake --build --preset image" did not complete successfully: exit code: 1
"""

BUILDKIT_FAILED_SHOWN = """\
step build 5/6: RUN cmake --preset image
compiling 1/3 libs/http/src/error.cpp
FAILED: libs/http/CMakeFiles/kok_http.dir/src/session.cpp.o
/usr/bin/c++ -O2 -c /src/libs/http/src/session.cpp
/src/libs/http/src/session.cpp:3:10: error: 'x' was not declared in this scope
ninja: build stopped: subcommand failed.
#9 ERROR: process "/bin/sh -c cmake --build --preset image" did not complete successfully: exit code: 1
------
 > [build 5/6] RUN cmake --build --preset image:
------
ERROR: failed to solve: process "/bin/sh -c cmake --build --preset image" did not complete successfully: exit code: 1
"""

CMAKE_FAILED = """\
#9 [build 5/6] RUN cmake --preset image
#9 0.900 CMake Error at services/common/CMakeLists.txt:9 (message):
#9 0.900   docs/openapi.yaml is missing (looked for /src/docs/openapi.yaml).
#9 0.950 -- Configuring incomplete, errors occurred!
#9 ERROR: process "/bin/sh -c cmake --preset image" did not complete successfully: exit code: 1
"""

CMAKE_FAILED_SHOWN = """\
step build 5/6: RUN cmake --preset image
CMake Error at services/common/CMakeLists.txt:9 (message):
  docs/openapi.yaml is missing (looked for /src/docs/openapi.yaml).
-- Configuring incomplete, errors occurred!
#9 ERROR: process "/bin/sh -c cmake --preset image" did not complete successfully: exit code: 1
"""

# The legacy builder (DOCKER_BUILDKIT=0): no prefixes, "Step N/M : ..." headers; no trailing newline at the end.
LEGACY = """\
Sending build context to Docker daemon  1.2MB\r
Step 1/20 : ARG BUILDER_IMAGE=debian:bookworm
Step 9/20 : RUN cmake --build --preset image --target kok-producer kok-consumer
 ---> Running in 0123456789ab
-- Build files have been written to: /src/build/image
[1/2] Building CXX object services/producer/CMakeFiles/kok-producer.dir/src/main.cpp.o
[2/2] Linking CXX executable services/producer/kok-producer
 ---> 3c4d5e6f7a8b
Successfully built 3c4d5e6f7a8b"""

LEGACY_SHOWN = """\
step 1/20: ARG BUILDER_IMAGE=debian:bookworm
step 9/20: RUN cmake --build --preset image --target kok-producer kok-consumer
compiling 1/2 services/producer/src/main.cpp
compiling 2/2 link services/producer/kok-producer
"""


def condensed(text: str) -> str:
    result = subprocess.run(["bash", str(SCRIPT)], input=text, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("raw, shown", [
    (BUILDKIT_OK, BUILDKIT_OK_SHOWN),
    (BUILDKIT_FAILED, BUILDKIT_FAILED_SHOWN),
    (CMAKE_FAILED, CMAKE_FAILED_SHOWN),
    (LEGACY, LEGACY_SHOWN),
], ids=["buildkit", "compile-error", "cmake-error", "legacy"])
def test_condenses_build_output(raw, shown):
    assert condensed(raw) == shown


def test_empty_input_prints_nothing():
    assert condensed("") == ""


def test_is_executable_and_shellcheck_clean():
    assert SCRIPT.stat().st_mode & 0o111
    if shutil.which("shellcheck") is None:
        pytest.skip("no shellcheck")
    checked = subprocess.run(["shellcheck", str(SCRIPT)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout
