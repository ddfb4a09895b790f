# shellcheck shell=bash
# shellcheck disable=SC2034 # the facts set here are read by the other phases' files
# Phase "detect": what this machine has — facts only, no judgement (lib/check.sh judges them, the later phases use
# them). Each fact is one global, set here and nowhere else:
#   HOST_OS          linux | macos | wsl | gitbash | other
#   ENGINE           docker-desktop | colima | orbstack | rootless | engine  (reachable Docker engines)
#                    podman | unreachable | none                             (no usable Docker engine)
#   ENGINE_NAME, ENGINE_VERSION, ENGINE_OS, ENGINE_KERNEL, ENGINE_MEM_MIB, ENGINE_ROOT_DIR   for checks and messages
#   NODE_ARCH        amd64 | arm64 | what the engine said;   IMAGE_STORE   "classic image store" | "containerd image store"
#   BUILD_MODE       buildkit | legacy | none (SERVICE_IMAGE given) | wrong-builder (current buildx builder cannot
#                    hand images to `docker images`);  BUILDER   buildx builder to build with ("" = the current one)
#   BUILDER_CURRENT, BUILDER_DRIVER   the current buildx builder and its driver;  BUILD_FLAGS   extra build flags
#   DOCKER_CLIENT    the docker CLI's version
#   SAVE_PLATFORM    true when `docker save` takes --platform
#   KIND, KIND_FOUND_VERSION, KUBECTL, KUBECTL_FOUND_VERSION, KUSTOMIZE (command, an array)
# Test seams (the stand-in tests set them): KOK_PROC_VERSION (/proc/version), KOK_INOTIFY_DIR, KOK_PORT_START_FILE.

HOST_OS="" ENGINE="" ENGINE_NAME="" ENGINE_VERSION="" ENGINE_OS="" ENGINE_KERNEL="" ENGINE_MEM_MIB=0 ENGINE_ROOT_DIR=""
NODE_ARCH="" IMAGE_STORE="" DOCKER_CLIENT="" BUILD_MODE="" BUILDER="" BUILDER_CURRENT="" BUILDER_DRIVER="" BUILD_FLAGS=() SAVE_PLATFORM=false
KIND="" KIND_FOUND_VERSION="" KUBECTL="" KUBECTL_FOUND_VERSION="" KUSTOMIZE=()

find_tool() {  # the first of: $1 on PATH, .cache/bin/$1 (where scripts/install-k8s-tools.sh puts it)
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"
  elif [[ -x "$ROOT/.cache/bin/$1" ]]; then echo "$ROOT/.cache/bin/$1"
  else return 1
  fi
}

# The first vX.Y.Z in $1 (empty when there is none). A regex match on a string: no pipeline to lose a line to SIGPIPE.
first_version() {
  local re='v?[0-9]+\.[0-9]+\.[0-9]+'
  if [[ "$1" =~ $re ]]; then echo "${BASH_REMATCH[0]}"; fi
}

detect_host() {
  local version_file="${KOK_PROC_VERSION:-/proc/version}" version=""
  case "$(uname -s)" in
    Darwin) HOST_OS=macos ;;
    Linux)
      [[ -r "$version_file" ]] && version="$(cat "$version_file")"
      case "$version" in *[Mm]icrosoft*) HOST_OS=wsl ;; *) HOST_OS=linux ;; esac ;;
    MINGW*|MSYS*|CYGWIN*) HOST_OS=gitbash ;;
    *) HOST_OS=other ;;
  esac
}

detect_engine() {
  local client info mem arch security driver name
  if [[ "${KIND_EXPERIMENTAL_PROVIDER:-}" == podman ]]; then ENGINE=podman ENGINE_NAME=Podman; return; fi
  if ! command -v docker >/dev/null 2>&1; then
    if command -v podman >/dev/null 2>&1; then ENGINE=podman ENGINE_NAME=Podman; else ENGINE=none; fi
    return
  fi
  # podman-docker installs a `docker` that is Podman.
  client="$(docker --version 2>/dev/null || true)"
  if [[ "$client" == *[Pp]odman* ]]; then ENGINE=podman ENGINE_NAME=Podman; return; fi
  if ! info="$(docker info --format '{{.ServerVersion}}|{{.OperatingSystem}}|{{.MemTotal}}|{{.DockerRootDir}}|{{.Architecture}}|{{json .SecurityOptions}}|{{json .DriverStatus}}|{{.Name}}|{{.KernelVersion}}' 2>/dev/null)"; then
    ENGINE=unreachable
    return
  fi
  IFS='|' read -r ENGINE_VERSION ENGINE_OS mem ENGINE_ROOT_DIR arch security driver name ENGINE_KERNEL <<<"$info"
  ENGINE_MEM_MIB=$(( ${mem:-0} / 1048576 ))
  if [[ "$ENGINE_OS" == *"Docker Desktop"* ]]; then ENGINE=docker-desktop ENGINE_NAME="Docker Desktop"
  elif [[ "$ENGINE_OS" == *OrbStack* || "$name" == orbstack ]]; then ENGINE=orbstack ENGINE_NAME=OrbStack
  elif [[ "$name" == colima || "$name" == colima-* ]]; then ENGINE=colima ENGINE_NAME=Colima
  elif [[ "$security" == *rootless* ]]; then ENGINE=rootless ENGINE_NAME="rootless Docker"
  else ENGINE=engine ENGINE_NAME="Docker Engine"
  fi
  IMAGE_STORE="classic image store"
  if [[ "$driver" == *io.containerd.snapshotter* ]]; then IMAGE_STORE="containerd image store"; fi
  case "$arch" in
    x86_64|amd64) NODE_ARCH=amd64 ;;
    aarch64|arm64) NODE_ARCH=arm64 ;;
    *) NODE_ARCH="$arch" ;;
  esac
}

# How the service image gets built. BuildKit through buildx, or the engine's own with a pre-23 client, else the
# legacy builder. A buildx builder of another driver (docker-container, kubernetes, remote: `docker buildx create
# --use`) keeps its results in its own cache, so the build then names a builder of the `docker` driver.
detect_builder() {
  local help current other
  BUILD_FLAGS=() BUILDER="" BUILDER_CURRENT="" BUILDER_DRIVER=""
  if [[ -n "${SERVICE_IMAGE:-}" ]]; then BUILD_MODE=none; return; fi
  DOCKER_CLIENT="$(docker version --format '{{.Client.Version}}' 2>/dev/null || true)"
  if docker buildx version >/dev/null 2>&1; then
    BUILD_MODE=buildkit
    current="$(docker buildx inspect 2>/dev/null || true)"
    BUILDER_CURRENT="$(awk '$1 == "Name:" { print $2; exit }' <<<"$current")"
    BUILDER_DRIVER="$(awk '$1 == "Driver:" { print $2; exit }' <<<"$current")"
    if [[ -n "$BUILDER_DRIVER" && "$BUILDER_DRIVER" != docker ]]; then
      other="$(docker buildx inspect default 2>/dev/null || true)"
      if [[ "$(awk '$1 == "Driver:" { print $2; exit }' <<<"$other")" == docker ]]; then BUILDER=default
      else BUILD_MODE=wrong-builder
      fi
    fi
  elif [[ "${DOCKER_CLIENT%%.*}" =~ ^[0-9]+$ ]] && (( ${DOCKER_CLIENT%%.*} < 23 )); then
    BUILD_MODE=buildkit
  else
    BUILD_MODE=legacy
  fi
  # BuildKit through buildx adds a provenance attestation whose manifest `docker save` does not export (kind #4236).
  help="$(DOCKER_BUILDKIT=1 docker build --help 2>&1 || true)"
  if [[ "$BUILD_MODE" == buildkit && "$help" == *--provenance* ]]; then BUILD_FLAGS=(--provenance=false); fi
}

detect_save() {
  local help
  help="$(docker save --help 2>&1 || true)"
  SAVE_PLATFORM=false
  if [[ "$help" == *--platform* ]]; then SAVE_PLATFORM=true; fi
}

detect_tools() {
  local out
  KIND="$(find_tool kind || true)" KIND_FOUND_VERSION=""
  if [[ -n "$KIND" ]]; then
    out="$("$KIND" version 2>/dev/null || true)"
    KIND_FOUND_VERSION="$(first_version "$out")"
  fi
  KUBECTL="$(find_tool kubectl || true)" KUBECTL_FOUND_VERSION=""
  if [[ -n "$KUBECTL" ]]; then
    out="$("$KUBECTL" version --client 2>/dev/null || true)"
    KUBECTL_FOUND_VERSION="$(first_version "$out")"
    # kubectl's built-in kustomize renders the same manifests when the standalone one is missing.
    if out="$(find_tool kustomize)"; then KUSTOMIZE=("$out" build); else KUSTOMIZE=("$KUBECTL" kustomize); fi
  fi
}

# Everything `up` and `doctor` need to know, in one pass (detect_host ran first: main needs it for the options).
# `down` and `status` need only the tools.
detect_all() {
  detect_engine
  case "$ENGINE" in
    podman|unreachable|none) ;;
    *) detect_builder; detect_save ;;
  esac
  detect_tools
}
