# shellcheck shell=bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# Helpers for the offline kind build (images/offline/*.sh). Source it after scripts/lib/common.sh.
#
# Every step keeps its output under $OFFLINE_CACHE and a stamp file holding a hash of its inputs (versions, the
# script itself, files it copies). A step whose stamp matches is skipped, so a warm run costs seconds; changing an
# input rebuilds only the steps that depend on it.

OFFLINE_CACHE="${OFFLINE_CACHE:-$ROOT/.cache/kind-offline}"
OFFLINE_DIR="$ROOT/images/offline"
export OFFLINE_CACHE OFFLINE_DIR
mkdir -p "$OFFLINE_CACHE/stamps"

# The machine is shared with compilers and tests: every heavy step runs at the lowest CPU and I/O priority.
heavy() { nice -n 19 ionice -c3 "$@"; }

# Pins of the offline build. versions.env is the one place for pins: these read OFFLINE_KUBERNETES_VERSION and
# LOCAL_PATH_PROVISIONER_VERSION from it, and fall back to the values below until it carries them.
load_versions
# Kubernetes: OFFLINE_KUBERNETES_VERSION of versions.env (the users' minor, a patch the Go module proxy serves).
OFFLINE_K8S_VERSION="${OFFLINE_K8S_VERSION:-$OFFLINE_KUBERNETES_VERSION}"
OFFLINE_LOCAL_PATH_VERSION="${LOCAL_PATH_PROVISIONER_VERSION:-v0.0.30}"
# Debian release of every root filesystem (node, base image of the services, broker, Traefik).
OFFLINE_DEBIAN_SUITE="${OFFLINE_DEBIAN_SUITE:-bookworm}"
OFFLINE_DEBIAN_MIRROR="${OFFLINE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Image names: everything built here lives under this prefix, so nothing can be mistaken for a pulled image.
OFFLINE_IMAGE_PREFIX="${OFFLINE_IMAGE_PREFIX:-kok.local}"
export OFFLINE_K8S_VERSION OFFLINE_LOCAL_PATH_VERSION OFFLINE_DEBIAN_SUITE OFFLINE_DEBIAN_MIRROR OFFLINE_IMAGE_PREFIX

# inputs_hash STRING... : a hash of the strings, where a string naming an existing file or directory stands for its content.
inputs_hash() {
  local item
  for item in "$@"; do
    if [[ -d "$item" ]]; then
      (cd "$item" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    elif [[ -f "$item" ]]; then
      sha256sum < "$item"
    else
      printf '%s\n' "$item"
    fi
  done | sha256sum | cut -d' ' -f1
}

# step_done NAME HASH: true when step NAME last succeeded with these inputs.
step_done() { [[ -f "$OFFLINE_CACHE/stamps/$1" && "$(cat "$OFFLINE_CACHE/stamps/$1")" == "$2" ]]; }
# step_mark NAME HASH: records that step NAME succeeded with these inputs.
step_mark() { printf '%s\n' "$2" > "$OFFLINE_CACHE/stamps/$1"; }

# image_exists REF: true when the local Docker engine holds REF.
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# image_step NAME REF HASH: true (skip) when the image exists and was built from these inputs.
image_step_done() { image_exists "$2" && step_done "$1" "$3"; }

# Go builds: module cache and build cache stay in the usual places (shared with the rest of the machine), binaries
# go under the cache. CGO off: static binaries that run in any root filesystem.
go_env() {
  export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false}" GOTOOLCHAIN=local
}

# The scripts (ours, deploy-kind.sh, kind) build with `DOCKER_BUILDKIT=1 docker build`. A Docker CLI without the
# buildx plugin refuses that; Debian's docker.io client (/usr/bin/docker) still drives the engine's built-in BuildKit.
# When the first docker on PATH is such a CLI, a shim directory that points `docker` at Debian's goes first on PATH.
ensure_docker_client() {
  local shims="$OFFLINE_CACHE/shims"
  if docker buildx version >/dev/null 2>&1 || [[ "$(command -v docker)" == "$shims/docker" ]]; then return 0; fi
  [[ -x /usr/bin/docker ]] || die "the docker CLI lacks buildx and /usr/bin/docker (Debian's docker.io) is missing"
  mkdir -p "$shims"
  printf '#!/bin/sh\nexec /usr/bin/docker "$@"\n' > "$shims/docker"
  chmod 755 "$shims/docker"
  export PATH="$shims:$PATH"
}
