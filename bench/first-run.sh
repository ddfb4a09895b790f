#!/usr/bin/env bash
# A new user's first minutes, timed phase by phase on this machine: `./deploy.sh up` from no cluster with a cold
# service-image build (no image, no build cache), `up` again on the healthy cluster, and `up` after `down`. Prints one
# Markdown table (seconds per phase of deploy-kind.sh, and the whole command) plus the machine and the image sizes.
# Not a test, and not part of ./test.sh: it deletes and re-creates the kind cluster it uses.
#
#   bench/first-run.sh [--cluster NAME] [--data-dir D] [--http-port P] [--https-port P]
#
# Defaults: cluster kok-first-run, data in data/first-run (wiped first), ports 80/443. Image overrides (KAFKA_IMAGE,
# TRAEFIK_IMAGE, KIND_NODE_IMAGE, BUILDER_IMAGE, RUNTIME_IMAGE, ...) are passed through to ./deploy.sh, for a host
# without registry access; JOBS is not (the cold build runs with the defaults a user gets). SERVICE_IMAGE is ignored:
# the build is what is measured.
set -euo pipefail
# shellcheck source=../scripts/lib/common.sh
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$ROOT"

usage() { script_help "$0"; }
USAGE="bench/first-run.sh [--cluster NAME] [--data-dir D] [--http-port P] [--https-port P]"
cluster=kok-first-run data="$ROOT/data/first-run" http_port=80 https_port=443
while (($#)); do
  case "$1" in
    --cluster|--data-dir|--http-port|--https-port)
      [[ $# -ge 2 ]] || usage_error "$1 needs a value" "$USAGE"
      case "$1" in --cluster) cluster="$2" ;; --data-dir) data="$2" ;; --http-port) http_port="$2" ;; *) https_port="$2" ;; esac
      shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" "$USAGE" ;;
  esac
  shift
done
unset SERVICE_IMAGE JOBS
export KIND_CLUSTER_NAME="$cluster"
WORK="$ROOT/.cache/first-run"
mkdir -p "$WORK"
args=(--data-dir "$data" --http-port "$http_port" --https-port "$https_port")

# timed NAME COMMAND...: runs the command with its stderr saved and timestamped (seconds since its start), and
# records the whole time. The phases are read from deploy-kind.sh's own "phase N/6: NAME" lines afterwards.
timed() {
  local name="$1" start=$SECONDS
  shift
  log "$name: $*"
  if ! "$@" 2>&1 >"$WORK/$name.out" | while IFS= read -r line; do printf '%s %s\n' "$((SECONDS - start))" "$line"; done >"$WORK/$name.log"; then
    tail -n 30 "$WORK/$name.log" >&2
    die "$name: '$*' failed (whole log: $WORK/$name.log)"
  fi
  echo "$((SECONDS - start))" >"$WORK/$name.total"
}

# phase_seconds NAME PHASE: seconds from that phase's line to the next phase's line (or the end of the command).
phase_seconds() {
  awk -v phase="$2" -v total="$(cat "$WORK/$1.total")" '
    / ==> phase [0-9]\/[0-9]: / { name = $5; if (cur != "") t[cur] = $1 - at; cur = name; at = $1 }
    END { if (cur != "") t[cur] = total - at; printf "%s", (phase in t) ? t[phase] : "-" }' "$WORK/$1.log"
}

# The build's own time, from deploy-kind.sh's "image ...: built in Ns" line (empty when nothing was built).
build_seconds() { sed -n 's/.*==> image .*: built in \([0-9]*\)s$/\1/p' "$WORK/$1.log" | awk 'NR == 1'; }

log "removing cluster '$cluster', its data, the service images and the build cache (a cold start)"
./deploy.sh down --purge --data-dir "$data" >/dev/null 2>&1 || true
docker images --format '{{.Repository}}:{{.Tag}}' kok-service | while IFS= read -r image; do docker rmi -f "$image" >/dev/null; done
docker builder prune -af >/dev/null 2>&1 || true

timed cold ./deploy.sh up ${args[@]+"${args[@]}"}
timed again ./deploy.sh up ${args[@]+"${args[@]}"}
./deploy.sh down --data-dir "$data" >/dev/null 2>&1
timed after-down ./deploy.sh up ${args[@]+"${args[@]}"}
./deploy.sh down --purge --data-dir "$data" >/dev/null 2>&1

service="$(docker images --format '{{.Repository}}:{{.Tag}}' kok-service | awk 'NR == 1')"
echo
echo "| run | preflight | cluster | images (build) | apply | wait | smoke | whole \`up\` |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for run in cold again after-down; do
  build="$(build_seconds "$run")"
  printf '| %s | %s | %s | %s%s | %s | %s | %s | %s |\n' "$run" \
    "$(phase_seconds "$run" preflight)" "$(phase_seconds "$run" cluster)" "$(phase_seconds "$run" images)" \
    "${build:+ ($build)}" "$(phase_seconds "$run" apply)" "$(phase_seconds "$run" wait)" \
    "$(phase_seconds "$run" smoke)" "$(cat "$WORK/$run.total")"
done
echo
echo "Machine: $(uname -sm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs; Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'); $(date -u +%Y-%m-%d)."
echo "Service image $service: $(docker image inspect -f '{{.Size}}' "$service" | awk '{ printf "%.0f MB", $1 / 1e6 }')."
