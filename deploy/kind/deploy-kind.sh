#!/usr/bin/env bash
# The kind deployment: a local Kubernetes cluster (1 control-plane + 3 workers) running Kafka x3, the producer and
# consumer services, and Traefik as the Ingress on http://localhost. Normally run through ./deploy.sh.
#
#   deploy-kind.sh [up] [--data-dir D] [--http-port P] [--https-port P] [--with-ui] [--no-smoke] [--overlay kind|cloud]
#                              check, create or repair the cluster, build and load the images, apply, wait, smoke-test
#   deploy-kind.sh doctor [--data-dir D] [--http-port P] [--https-port P]
#                              the checks alone (Docker, its memory, inotify limits, ports, disk, builder, kind,
#                              kubectl); each problem comes with the command that fixes it. Nothing is created.
#   deploy-kind.sh down [--purge] [--data-dir D]   delete the cluster; the brokers' data stays unless --purge
#   deploy-kind.sh status           nodes and pods, then 'gateway: URL' and 'bootstrap: ...' lines
#   deploy-kind.sh --help
#
# Options: --data-dir D (default ./data/kind; kafka-0..2 inside), --http-port / --https-port (default 80 / 443, for
# when those are taken), --with-ui (kafbat kafka-ui at http://ui.localhost), --no-smoke (skip the smoke check),
# --overlay cloud (deploy/k8s/overlays/cloud instead of overlays/kind, to try the manifests meant for a real cluster:
# broker volumes from kind's default StorageClass, two producer and two Traefik replicas, Traefik behind a
# LoadBalancer Service that kind cannot serve, so the gateway is reached through kubectl port-forward; every request
# needs the user and password the first such run generates into the Secret traefik/api-credentials and prints once).
# Images reach the nodes that run them as archives (docker save + kind load image-archive: works with the classic
# and the containerd image store); registry images are pulled once on the host, with your docker login.
# Environment: KIND_CLUSTER_NAME (kok), KIND_LISTEN_ADDRESS (127.0.0.1), and image overrides KIND_NODE_IMAGE,
# KAFKA_IMAGE, TRAEFIK_IMAGE, KAFKA_UI_IMAGE, SERVICE_IMAGE (one image with both services; a given one is used as it
# is, not built), BUILDER_IMAGE / RUNTIME_IMAGE (Debian bases of the service image), JOBS (parallel compile jobs in
# the image build; default: as many as the builder's CPUs and memory allow). Versions: versions.env.
#
# The phases, one file each in deploy/kind/lib: detect (what this machine has), check (judged before anything is
# created), cluster, images, apply + wait (credentials: the cloud overlay's login), report.
# shellcheck disable=SC2153 # the upper-case pins (KIND_VERSION, ...) come from versions.env through load_versions
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
HERE="$ROOT/deploy/kind"
# shellcheck source=deploy/kind/lib/detect.sh
source "$HERE/lib/detect.sh"
# shellcheck source=deploy/kind/lib/check.sh
source "$HERE/lib/check.sh"
# shellcheck source=deploy/kind/lib/cluster.sh
source "$HERE/lib/cluster.sh"
# shellcheck source=deploy/kind/lib/images.sh
source "$HERE/lib/images.sh"
# shellcheck source=deploy/kind/lib/apply.sh
source "$HERE/lib/apply.sh"
# shellcheck source=deploy/kind/lib/credentials.sh
source "$HERE/lib/credentials.sh"
# shellcheck source=deploy/kind/lib/report.sh
source "$HERE/lib/report.sh"

load_versions
# The pins this script relies on (versions.env): stop early and clearly if one is missing.
for pin in KAFKA_VERSION KAFKA_CLUSTER_ID KIND_VERSION KIND_NODE_IMAGE KUBERNETES_VERSION TRAEFIK_VERSION KAFKA_UI_VERSION; do
  [[ -n "${!pin:-}" ]] || die "$pin is not set in versions.env"
done

CLUSTER="${KIND_CLUSTER_NAME:-kok}"
CONTEXT="kind-$CLUSTER"
NAMESPACE=kok
# Where the workers see the host data directory (deploy/kind/cluster.yaml, overlays/kind).
NODE_DATA_DIR=/var/lib/kok-data
BROKERS=(kafka-0 kafka-1 kafka-2)
# The apache/kafka image runs as this uid; hostPath volumes ignore fsGroup.
KAFKA_UID=1000
WORK="$ROOT/.cache/kind-deploy"
KAFKA_IMAGE="${KAFKA_IMAGE:-apache/kafka:$KAFKA_VERSION}"
TRAEFIK_IMAGE="${TRAEFIK_IMAGE:-traefik:$TRAEFIK_VERSION}"
KAFKA_UI_IMAGE="${KAFKA_UI_IMAGE:-ghcr.io/kafbat/kafka-ui:$KAFKA_UI_VERSION}"

PHASE="" PHASE_START=0 PHASE_N=0
phase() { PHASE_N=$((PHASE_N + 1)) PHASE="$1" PHASE_START=$SECONDS; log "phase $PHASE_N/6: $1${2:+ ($2)}"; }

# ---------------------------------------------------------------------------------------------------------- verbs

cmd_up() {
  local started=$SECONDS images image
  if [[ -n "${PRODUCER_IMAGE:-}${CONSUMER_IMAGE:-}" ]]; then
    die "PRODUCER_IMAGE / CONSUMER_IMAGE are replaced by SERVICE_IMAGE: one image holds both services"
  fi
  check_image_refs
  phase preflight "nothing is created before it passes"
  preflight || die "preflight found problems (above, each with its fix); nothing was created. './deploy.sh doctor' runs the checks alone."

  phase cluster
  ensure_cluster

  phase images "built or pulled once on the host, loaded into the nodes that run them"
  if [[ -z "${SERVICE_IMAGE:-}" ]]; then
    SERVICE_IMAGE="kok-service:$(source_tag)"
    build_service_image "$SERVICE_IMAGE"
  fi
  images=("$KAFKA_IMAGE" "$TRAEFIK_IMAGE" "$SERVICE_IMAGE")
  if $WITH_UI; then images+=("$KAFKA_UI_IMAGE"); fi
  for image in ${images[@]+"${images[@]}"}; do
    if [[ "$image" != "$SERVICE_IMAGE" ]]; then pull_once "$image"; fi
  done
  load_images ${images[@]+"${images[@]}"}
  log "images: ready in $(since "$PHASE_START")"

  phase apply
  apply_manifests
  ensure_credentials

  phase wait "rollouts, a line every ${WAIT_INTERVAL}s"
  wait_for_rollouts

  phase smoke
  if $SMOKE; then smoke_test; else log "skipped (--no-smoke)"; fi
  print_report "$((SECONDS - started))"
}

cmd_doctor() { preflight; }

# down and status need the tools only, not the whole preflight.
need_tools() {
  detect_tools
  command -v docker >/dev/null 2>&1 || die "docker not found: install Docker (see ./deploy.sh doctor)"
  [[ -n "$KIND" ]] || die "kind not found: run scripts/install-k8s-tools.sh (see ./deploy.sh doctor)"
  [[ -n "$KUBECTL" ]] || die "kubectl not found (see ./deploy.sh doctor)"
}

cmd_down() { need_tools; delete_cluster; }
cmd_status() { need_tools; print_status; }

# ---------------------------------------------------------------------------------------------------------- options

usage_of() {
  case "$1" in
    up) echo "./deploy.sh [up] [--data-dir D] [--http-port P] [--https-port P] [--with-ui] [--no-smoke] [--overlay kind|cloud] [--local]" ;;
    doctor) echo "./deploy.sh doctor [--data-dir D] [--http-port P] [--https-port P]" ;;
    down) echo "./deploy.sh down [--purge] [--data-dir D] [--local]" ;;
    status) echo "./deploy.sh status [--local]" ;;
    *) echo "./deploy.sh [up|down|status|doctor] [options] [--local]" ;;
  esac
}

# The options each verb takes (a misplaced one is named as such rather than ignored).
options_of() {
  case "$1" in
    up) echo "--data-dir --http-port --https-port --with-ui --no-smoke --overlay" ;;
    doctor) echo "--data-dir --http-port --https-port" ;;
    down) echo "--purge --data-dir" ;;
    status) echo "" ;;
  esac
}

# What an option's value is, for "needs ..." (no `case` inside $(...): bash 3.2 cannot parse it).
value_of() {
  case "$1" in
    --data-dir) echo "a directory" ;;
    --overlay) echo "kind or cloud" ;;
    *) echo "a port" ;;
  esac
}

# parse VERB_GIVEN VERB ARGS...: sets the options of VERB; a wrong argument gets one line and VERB's usage.
parse() {
  local given="$1" verb="$2" usage name value owner
  shift 2
  usage="$(usage_of "$([[ "$given" == true ]] && echo "$verb")")"
  DATA_DIR="$(default_data_dir)" DATA_DIR_GIVEN=false
  HTTP_PORT=80 HTTPS_PORT=443 WITH_UI=false PURGE=false SMOKE=true OVERLAY=kind
  while (($#)); do
    name="${1%%=*}" value=""
    case "$1" in
      up|down|status|doctor) usage_error "the verb goes first: ./deploy.sh $1 ..." "$usage" ;;
      -h|--help) script_help "$0"; exit 0 ;;
      --*) ;;
      *) usage_error "unknown argument: $1" "$usage" ;;
    esac
    if [[ " $(options_of up) $(options_of down) " != *" $name "* ]]; then usage_error "unknown argument: $1" "$usage"; fi
    if [[ " $(options_of "$verb") " != *" $name "* ]]; then
      for owner in up down doctor; do [[ " $(options_of "$owner") " == *" $name "* ]] && break; done
      usage_error "$name is an option of $owner, not of $verb" "$usage"
    fi
    case "$name" in
      --data-dir|--http-port|--https-port|--overlay)
        if [[ "$1" == *=* ]]; then value="${1#*=}"
        else
          [[ $# -ge 2 ]] || usage_error "$name needs $(value_of "$name")" "$usage"
          value="$2"
          shift
        fi ;;
    esac
    case "$name" in
      --data-dir) DATA_DIR="$value" DATA_DIR_GIVEN=true ;;
      --http-port) HTTP_PORT="$value" ;;
      --https-port) HTTPS_PORT="$value" ;;
      --overlay) OVERLAY="$value" ;;
      --with-ui) WITH_UI=true ;;
      --purge) PURGE=true ;;
      --no-smoke) SMOKE=false ;;
    esac
    shift
  done
  [[ "$HTTP_PORT" =~ ^[0-9]+$ && "$HTTPS_PORT" =~ ^[0-9]+$ ]] || usage_error "ports must be numbers" "$usage"
  [[ "$OVERLAY" == kind || "$OVERLAY" == cloud ]] || usage_error "--overlay: kind or cloud, not '$OVERLAY'" "$usage"
}

main() {
  local verb=up given=false
  case "${1:-}" in
    up|down|status|doctor) verb="$1" given=true; shift ;;
  esac
  detect_host  # the default data directory depends on it (WSL)
  parse "$given" "$verb" "$@"
  case "$verb" in
    up) cmd_up ;;
    doctor) cmd_doctor ;;
    down) cmd_down ;;
    status) cmd_status ;;
  esac
}

main "$@"
