#!/usr/bin/env bash
# The end-to-end proof on a real kind cluster, offline: no image comes from a registry. Run through ./test.sh --kind.
#
#   tests/kind/run.sh [--keep] [--only PHASE]...   (--only may repeat)
#
# Phases (each idempotent; everything is cached in .cache/kind-offline, so a warm run only deploys and tests):
#   engine      a Docker engine (Debian's docker.io, started as root when none runs), inotify limits, and
#               `docker run --privileged` working (runc wrapper when the host lacks CAP_SYS_RESOURCE)
#   tools       kind (Go module sigs.k8s.io/kind, KIND_VERSION) and kubectl (built with Kubernetes, pinned)
#   node        the kind node image (images/offline/build-node-image.sh)
#   workload    broker and Traefik images, the Debian bases of the service image (images/offline/build-workload-images.sh);
#               ./deploy.sh builds the service image itself in the deploy phase, as it does for users
#   deploy      ./deploy.sh with the image overrides (down first: a clean cluster, the data directory wiped)
#   e2e         tests/kind/e2e.sh against http://localhost:<mapped port>
#   cloud       a fresh cluster with deploy/k8s/overlays/cloud (./deploy.sh up --overlay cloud: dynamic volumes from
#               kind's default StorageClass, two producers, two Traefik replicas behind a LoadBalancer Service, basic
#               auth on every request) and the e2e checks that apply there, through a kubectl port-forward, with the
#               credentials the deploy generated; the e2e cluster is deleted first
# --keep leaves the cluster running at the end (default: ./deploy.sh down). Timings go to stdout at the end.
# Environment: KIND_TEST_HTTP_PORT / KIND_TEST_HTTPS_PORT (default 80/443, or free ports when those are taken),
# KIND_TEST_CLUSTER (kind cluster name, default kok-test: never the user's kok), KIND_TEST_DATA_DIR (data/kind-test),
# SERVICE_IMAGE (use this service image, holding both services, instead of building it).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
# shellcheck source=images/offline/lib.sh
source "$ROOT/images/offline/lib.sh"
cd "$ROOT"
load_versions

keep=false
only=()
while (($#)); do
  case "$1" in
    --keep) keep=true ;;
    --only) [[ $# -ge 2 ]] || usage_error "--only needs a phase" "tests/kind/run.sh [--keep] [--only PHASE]..."; shift; only+=("$1") ;;
    -h|--help) script_help "$0"; exit 0 ;;
    *) usage_error "unknown option: $1" "tests/kind/run.sh [--keep] [--only PHASE]..." ;;
  esac
  shift
done
wanted() { ((${#only[@]} == 0)) || [[ " ${only[*]-} " == *" $1 "* ]]; }

# The kind test uses its own data directory, so a user's ./deploy.sh data in data/kind is never touched.
export KIND_TEST_DATA_DIR="${KIND_TEST_DATA_DIR:-$ROOT/data/kind-test}"
mkdir -p "$OFFLINE_CACHE/logs" "$OFFLINE_CACHE/tools"
export PATH="$OFFLINE_CACHE/tools:$ROOT/.cache/bin:$PATH"

timings=()
failed=()
phase() {  # phase NAME COMMAND...: runs one phase, records time and outcome; stops the run on failure
  local name="$1" start=$SECONDS rc=0
  shift
  wanted "$name" || return 0
  log "phase $name"
  "$@" || rc=$?
  timings+=("$(printf '%-10s %6ss  %s' "$name" "$((SECONDS - start))" "$([[ $rc == 0 ]] && echo ok || echo FAILED)")")
  if ((rc != 0)); then
    failed+=("$name")
    report
    die "phase $name failed"
  fi
}
report() {
  echo
  echo "phase        time   result"
  printf '%s\n' ${timings[@]+"${timings[@]}"}
}

phase_engine() {
  images/offline/docker-engine.sh
  images/offline/debian-rootfs.sh debian-bookworm "$OFFLINE_IMAGE_PREFIX/debian:bookworm"
  images/offline/docker-engine.sh --privileged "$OFFLINE_IMAGE_PREFIX/debian:bookworm"
}

phase_tools() {
  # kind (and kustomize, the manifest validator) at the pinned versions, from the Go module proxy and PyPI.
  scripts/install-k8s-tools.sh
  # kubectl: the one built with the node's Kubernetes, so client and cluster match exactly.
  images/offline/build-kubernetes.sh
  install -m 0755 "$OFFLINE_CACHE/kubernetes/$OFFLINE_K8S_VERSION/bin/kubectl" "$OFFLINE_CACHE/tools/kubectl"
  kind version
  kubectl version --client
}

phase_node() {
  images/offline/build-node-image.sh > "$OFFLINE_CACHE/node-image.out"
  tail -n1 "$OFFLINE_CACHE/node-image.out"
}

phase_workload() {
  images/offline/build-workload-images.sh
}

# Host ports for the Ingress: 80/443 when free, else the first free ports from 18000 up.
pick_port() {
  local want="$1" port
  if ! port_open "$want"; then echo "$want"; return; fi
  for port in $(seq 18000 18100); do
    if ! port_open "$port"; then echo "$port"; return; fi
  done
  die "no free port for the Ingress"
}

deploy_env() {  # the image overrides and options every ./deploy.sh call of this test uses
  ensure_docker_client
  set -a
  # shellcheck disable=SC1091
  source "$OFFLINE_CACHE/images.env"
  set +a
  # An images.env of an older tree named one image per service; deploy-kind.sh now takes SERVICE_IMAGE only.
  unset PRODUCER_IMAGE CONSUMER_IMAGE
  KIND_NODE_IMAGE="$(cat "$OFFLINE_CACHE/node-image")"
  export KIND_NODE_IMAGE
  # A cluster of its own: a user's `./deploy.sh` cluster (named kok) and its data are never touched.
  export KIND_CLUSTER_NAME="${KIND_TEST_CLUSTER:-kok-test}"
}

deploy_args() {
  echo "--data-dir $KIND_TEST_DATA_DIR --http-port $HTTP_PORT --https-port $HTTPS_PORT"
}

phase_deploy() {
  deploy_env
  # A clean start: the test cluster left from an earlier run is deleted and the test data wiped.
  ./deploy.sh down --data-dir "$KIND_TEST_DATA_DIR" >/dev/null 2>&1 || true
  as_root rm -rf "$KIND_TEST_DATA_DIR"
  HTTP_PORT="$(pick_port "${KIND_TEST_HTTP_PORT:-80}")"
  HTTPS_PORT="$(pick_port "${KIND_TEST_HTTPS_PORT:-443}")"
  echo "HTTP_PORT=$HTTP_PORT HTTPS_PORT=$HTTPS_PORT" > "$OFFLINE_CACHE/ports.env"
  # shellcheck disable=SC2046 # deploy_args is a list of words
  ./deploy.sh up $(deploy_args)
}

# The cloud overlay on a cluster of its own. Two 4-node clusters at once would not fit a laptop: the e2e one goes first.
phase_cloud() {
  deploy_env
  ./deploy.sh down --data-dir "$KIND_TEST_DATA_DIR" >/dev/null 2>&1 || true
  export KIND_CLUSTER_NAME="$KIND_CLUSTER_NAME-cloud"
  local data="$ROOT/data/kind-cloud-test" port tls_port pf rc=0
  ./deploy.sh down --data-dir "$data" >/dev/null 2>&1 || true
  HTTP_PORT="$(pick_port "${KIND_TEST_HTTP_PORT:-80}")"
  HTTPS_PORT="$(pick_port "${KIND_TEST_HTTPS_PORT:-443}")"
  ./deploy.sh up --overlay cloud --data-dir "$data" --http-port "$HTTP_PORT" --https-port "$HTTPS_PORT"
  port="$(pick_port 18180)"
  tls_port="$(pick_port 18443)"
  kubectl --context "kind-$KIND_CLUSTER_NAME" -n traefik port-forward svc/traefik "$port:80" "$tls_port:443" \
    >"$OFFLINE_CACHE/logs/cloud-port-forward.log" 2>&1 &
  pf=$!
  KIND_GATEWAY_URL="http://localhost:$port" KIND_GATEWAY_TLS_URL="https://localhost:$tls_port" \
    EXPECT_STORAGE_CLASS=standard EXPECT_AUTH=basic \
    tests/kind/e2e.sh auth walkthrough replication volumes producer_replicas failover || rc=$?
  kill "$pf" 2>/dev/null || true
  $keep || ./deploy.sh down --data-dir "$data" >/dev/null 2>&1 || true
  return "$rc"
}

phase_e2e() {
  deploy_env
  # shellcheck disable=SC1091
  source "$OFFLINE_CACHE/ports.env"
  export HTTP_PORT HTTPS_PORT
  DEPLOY_ARGS="$(deploy_args)" DOWN_ARGS="--data-dir $KIND_TEST_DATA_DIR" tests/kind/e2e.sh
}

phase engine phase_engine
phase tools phase_tools
phase node phase_node
phase workload phase_workload
phase deploy phase_deploy
phase e2e phase_e2e
phase cloud phase_cloud

if ! $keep && wanted e2e; then
  deploy_env
  ./deploy.sh down --data-dir "$KIND_TEST_DATA_DIR" >/dev/null 2>&1 || true
fi
report
if ((${#only[@]})); then echo "kind end-to-end: selected phases passed (${only[*]-})"; else echo "kind end-to-end: all phases passed"; fi
