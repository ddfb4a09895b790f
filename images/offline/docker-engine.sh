#!/usr/bin/env bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# Makes sure a Docker engine that can run kind is available on this machine.
#
#   docker-engine.sh                       engine running (Debian's docker.io, started as root when none runs),
#                                          inotify limits raised
#   docker-engine.sh --privileged IMAGE    also: `docker run --privileged IMAGE` works; when it fails because the
#                                          host's bounding set lacks CAP_SYS_RESOURCE, registers runc-wrapper.sh as
#                                          dockerd's default runtime (a live reload, running containers are kept)
# Idempotent: every part checks before it acts.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
# shellcheck source=images/offline/lib.sh
source "$ROOT/images/offline/lib.sh"

wrapper=/usr/local/libexec/kok/runc-wrapper
daemon_json=/etc/docker/daemon.json
dockerd_log=/var/log/kok-dockerd.log

engine_up() { docker info >/dev/null 2>&1; }

start_engine() {
  if engine_up; then return 0; fi
  if ! command -v dockerd >/dev/null; then
    log "installing Debian's docker.io"
    apt_install docker.io
  fi
  engine_up && return 0
  log "starting dockerd (log: $dockerd_log)"
  # No init system here runs services: start it detached, in its own session, so it outlives this script.
  as_root setsid dockerd >>"$dockerd_log" 2>&1 < /dev/null &
  local _
  for _ in $(seq 60); do engine_up && return 0; sleep 1; done
  tail -20 "$dockerd_log" >&2
  die "dockerd did not start"
}

# kind's nodes each run systemd, containerd and the kubelet, which all watch files: the stock limits (128 instances)
# run out with four nodes ("too many open files" in the kubelet). These are the values kind's guide gives.
raise_inotify() {
  local key want have
  for key in fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512; do
    want="${key#*=}"
    have="$(sysctl -n "${key%=*}")"
    if (( have < want )); then as_root sysctl -qw "$key"; fi
  done
}

privileged_works() { docker run --rm --privileged "$1" true >/dev/null 2>&1; }

install_wrapper() {
  log "registering the runc wrapper (drops CAP_SYS_RESOURCE, missing from this host's bounding set) as the default runtime"
  command -v jq >/dev/null || apt_install jq
  as_root install -D -m 0755 "$OFFLINE_DIR/runc-wrapper.sh" "$wrapper"
  local current='{}'
  [[ -s "$daemon_json" ]] && current="$(cat "$daemon_json")"
  as_root mkdir -p "$(dirname "$daemon_json")"
  jq --arg path "$wrapper" '.runtimes["kok-runc"] = {path: $path} | .["default-runtime"] = "kok-runc"' <<<"$current" \
    | as_root tee "$daemon_json.tmp" >/dev/null
  as_root mv "$daemon_json.tmp" "$daemon_json"
  # runtimes and default-runtime are live-reloadable: SIGHUP keeps every running container.
  as_root kill -HUP "$(pidof dockerd)"
  sleep 2
}

start_engine
raise_inotify
if [[ "${1:-}" == --privileged ]]; then
  image="${2:?--privileged needs an image}"
  if ! privileged_works "$image"; then
    # A changed wrapper (or one lost with /usr/local) is re-installed by the same path.
    install_wrapper
    privileged_works "$image" || die "docker run --privileged still fails with the runc wrapper"
  elif [[ -x "$wrapper" ]] && ! cmp -s "$OFFLINE_DIR/runc-wrapper.sh" "$wrapper"; then
    as_root install -m 0755 "$OFFLINE_DIR/runc-wrapper.sh" "$wrapper"
  fi
  log "docker run --privileged: works"
fi
