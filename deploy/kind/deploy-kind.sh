#!/usr/bin/env bash
# The kind deployment: a local Kubernetes cluster (1 control-plane + 3 workers) running Kafka x3, the producer and
# consumer services, and Traefik as the Ingress on http://localhost. Normally run through ./deploy.sh.
#
#   deploy-kind.sh [up] [--data-dir D] [--http-port P] [--https-port P] [--with-ui]
#                              create or repair the cluster, build and load the service images, apply, wait, smoke-test
#   deploy-kind.sh down [--purge]   delete the cluster; the brokers' data stays in the data directory unless --purge
#   deploy-kind.sh status           nodes and pods, then 'gateway: URL' and 'bootstrap: ...' lines
#   deploy-kind.sh --help
#
# Options: --data-dir D (default ./data/kind; kafka-0..2 inside), --http-port / --https-port (default 80 / 443, for
# when those are taken), --with-ui (kafbat kafka-ui, opened with kubectl port-forward), --no-smoke (skip the check).
# Environment: KIND_CLUSTER_NAME (kok), KIND_LISTEN_ADDRESS (127.0.0.1), and image overrides KIND_NODE_IMAGE,
# KAFKA_IMAGE, TRAEFIK_IMAGE, KAFKA_UI_IMAGE, PRODUCER_IMAGE, CONSUMER_IMAGE (given service images are used as they
# are, not built), BUILDER_IMAGE / RUNTIME_IMAGE (Debian bases of the service images). Versions: versions.env.
# shellcheck disable=SC2153 # the upper-case pins (KIND_VERSION, ...) come from versions.env through load_versions
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
load_versions
# The pins this script relies on (versions.env): stop early and clearly if one is missing.
for pin in KAFKA_VERSION KAFKA_CLUSTER_ID KIND_VERSION KIND_NODE_IMAGE KUBERNETES_VERSION TRAEFIK_VERSION KAFKA_UI_VERSION; do
  [[ -n "${!pin:-}" ]] || die "$pin is not set in versions.env"
done

HERE="$ROOT/deploy/kind"
CLUSTER="${KIND_CLUSTER_NAME:-kok}"
CONTEXT="kind-$CLUSTER"
NAMESPACE=kok
# Where the workers see the host data directory (deploy/kind/cluster.yaml, overlays/kind).
NODE_DATA_DIR=/var/lib/kok-data
BROKERS=(kafka-0 kafka-1 kafka-2)
# The apache/kafka image runs as this uid; hostPath volumes ignore fsGroup.
KAFKA_UID=1000
WORK="$ROOT/.cache/kind-deploy"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------------------------------------------- prerequisites

KIND="" KUBECTL="" KUSTOMIZE=()

find_tool() {  # the first of: $1 on PATH, .cache/bin/$1
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"
  elif [[ -x "$ROOT/.cache/bin/$1" ]]; then echo "$ROOT/.cache/bin/$1"
  else return 1
  fi
}

# "1.34" from "v1.34.0" / "1.34.0".
minor_of() { sed -E 's/^v?([0-9]+)\.([0-9]+).*/\1.\2/' <<<"$1"; }

check_prerequisites() {
  command -v docker >/dev/null 2>&1 || die "docker not found: install Docker (Docker Desktop on macOS/Windows, docker.io or Docker Engine on Linux)"
  docker info >/dev/null 2>&1 || die "Docker is installed but not reachable: start Docker Desktop, or 'sudo systemctl start docker' (and check that your user may use it)"

  KIND="$(find_tool kind)" || die "kind not found: run scripts/install-k8s-tools.sh (installs kind $KIND_VERSION into .cache/bin)"
  local kind_version
  kind_version="$("$KIND" version 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n1)"
  if [[ "$kind_version" != "$KIND_VERSION" ]]; then
    warn "kind ${kind_version:-of unknown version} found, the project pins $KIND_VERSION (its node image $KIND_NODE_IMAGE); scripts/install-k8s-tools.sh installs it"
  fi

  KUBECTL="$(find_tool kubectl)" || die "kubectl not found: install kubectl $(minor_of "$KUBERNETES_VERSION").x (e.g. 'apt-get install kubectl' from the Kubernetes apt repository, 'brew install kubectl', 'winget install Kubernetes.kubectl')"
  local kubectl_version want have
  kubectl_version="$("$KUBECTL" version --client 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n1)"
  want="$(minor_of "$KUBERNETES_VERSION")" have="$(minor_of "${kubectl_version:-v0.0}")"
  # kubectl supports one minor version of skew either way.
  if (( ${have#*.} < ${want#*.} - 1 || ${have#*.} > ${want#*.} + 1 )) || [[ "${have%%.*}" != "${want%%.*}" ]]; then
    warn "kubectl ${kubectl_version:-of unknown version} is more than one minor version away from the cluster's $KUBERNETES_VERSION"
  fi

  if KUSTOMIZE=("$(find_tool kustomize)"); then KUSTOMIZE+=(build)
  else KUSTOMIZE=("$KUBECTL" kustomize)  # kubectl's built-in copy renders the same manifests
  fi
}

kc() { "$KUBECTL" --context "$CONTEXT" "$@"; }

# ------------------------------------------------------------------------------------------------------ the cluster

cluster_exists() { "$KIND" get clusters 2>/dev/null | grep -qx "$CLUSTER"; }
nodes() { "$KIND" get nodes --name "$CLUSTER" 2>/dev/null; }

# The host directory the cluster's first worker mounts (empty when there is none).
mounted_data_dir() {
  docker inspect "$CLUSTER-worker" \
    --format "{{range .Mounts}}{{if eq .Destination \"$NODE_DATA_DIR\"}}{{.Source}}{{end}}{{end}}" 2>/dev/null || true
}

# The host address of the control plane's port $1 (e.g. "127.0.0.1:80"), empty when not mapped.
host_port_of() { docker port "$CLUSTER-control-plane" "$1/tcp" 2>/dev/null | head -n1 || true; }

gateway_url() {
  local mapping port
  mapping="$(host_port_of 80)"
  port="${mapping##*:}"
  if [[ -z "$port" || "$port" == 80 ]]; then echo "http://localhost"; else echo "http://localhost:$port"; fi
}

# A value made safe for the replacement side of sed's s|...|...| (backslash, ampersand, delimiter).
sed_escape() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }

render_cluster_config() {  # render_cluster_config OUT: fills deploy/kind/cluster.yaml's @...@ values
  local dir="${DATA_DIR//\'/\'\'}"  # the path sits in a single-quoted YAML scalar
  sed -e "s|@NODE_IMAGE@|$(sed_escape "$KIND_NODE_IMAGE")|g" \
      -e "s|@LISTEN_ADDRESS@|$(sed_escape "${KIND_LISTEN_ADDRESS:-127.0.0.1}")|g" \
      -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
      -e "s|@HTTPS_PORT@|$HTTPS_PORT|g" \
      -e "s|@DATA_DIR@|$(sed_escape "$dir")|g" \
      "$HERE/cluster.yaml" >"$1"
}

prepare_data_dir() {
  local b
  mkdir -p "$DATA_DIR" || die "cannot create the data directory $DATA_DIR"
  for b in "${BROKERS[@]}"; do
    mkdir -p "$DATA_DIR/$b"
    # The brokers run as uid $KAFKA_UID: give them the directories when we can, else open them to everyone (a
    # hostPath volume ignores fsGroup, and Docker Desktop's file sharing maps ownership its own way anyway).
    if [[ "$(id -u)" -eq 0 ]]; then
      chown "$KAFKA_UID:$KAFKA_UID" "$DATA_DIR/$b"
    elif [[ "$(id -u)" -ne "$KAFKA_UID" ]]; then
      chmod 0777 "$DATA_DIR/$b" 2>/dev/null || warn "cannot make $DATA_DIR/$b writable for uid $KAFKA_UID"
    fi
  done
}

ensure_cluster() {
  if cluster_exists; then
    local count stopped current
    count="$(nodes | wc -l | tr -d ' ')"
    [[ "$count" -eq 4 ]] || die "cluster '$CLUSTER' has $count nodes instead of 4: run '$0 down' (the data is kept) and then '$0 up'"
    # After a Docker or host restart the node containers may be stopped: start them again.
    stopped="$(docker ps -a --filter "label=io.x-k8s.kind.cluster=$CLUSTER" --filter status=exited --format '{{.Names}}')"
    if [[ -n "$stopped" ]]; then
      log "starting stopped nodes: $(echo "$stopped" | tr '\n' ' ')"
      # shellcheck disable=SC2086 # one name per word
      docker start $stopped >/dev/null
    fi
    current="$(mounted_data_dir)"
    if [[ -n "$current" && "$current" != "$DATA_DIR" ]]; then
      if $DATA_DIR_GIVEN; then
        die "cluster '$CLUSTER' already mounts $current, not $DATA_DIR: run '$0 down' first to switch (the data is kept)"
      fi
      DATA_DIR="$current"
    fi
    prepare_data_dir
    log "cluster '$CLUSTER': present ($count nodes, data in $DATA_DIR)"
    return
  fi

  if port_open "$HTTP_PORT"; then
    die "port $HTTP_PORT is taken on this machine: free it, or choose another with --http-port 8080"
  fi
  if port_open "$HTTPS_PORT"; then
    die "port $HTTPS_PORT is taken on this machine: free it, or choose another with --https-port 8443"
  fi
  prepare_data_dir
  mkdir -p "$WORK"
  render_cluster_config "$WORK/cluster.yaml"
  log "creating kind cluster '$CLUSTER' (1 control-plane + 3 workers, $KIND_NODE_IMAGE; data in $DATA_DIR)"
  "$KIND" create cluster --name "$CLUSTER" --config "$WORK/cluster.yaml" --wait 180s
}

# ----------------------------------------------------------------------------------------------------------- images

# The tag for images built from this tree: the commit, plus a digest of uncommitted changes to what goes into the
# image, so a rebuilt image never hides behind an old tag. Without git: the project version.
source_tag() {
  local paths=(CMakeLists.txt CMakePresets.json cmake libs services tests images/service) commit digest
  if ! commit="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null)"; then
    sed -nE 's/^project\([^)]*VERSION ([0-9.]+).*/\1/p' "$ROOT/CMakeLists.txt" | head -n1
    return
  fi
  if [[ -z "$(git -C "$ROOT" status --porcelain -- "${paths[@]}")" ]]; then
    echo "$commit"
    return
  fi
  digest="$(
    cd "$ROOT"
    {
      git diff HEAD -- "${paths[@]}"
      git ls-files --others --exclude-standard -z -- "${paths[@]}" |
        while IFS= read -r -d '' f; do cat "$f"; done
    } | checksum
  )"
  echo "$commit-dirty-${digest:0:8}"
}

checksum() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1
  else shasum -a 256 | cut -d' ' -f1
  fi
}

image_present() { docker image inspect "$1" >/dev/null 2>&1; }

build_service_image() {  # build_service_image SERVICE IMAGE
  local service="$1" image="$2" args=()
  if image_present "$image"; then
    log "image $image: already built"
    return
  fi
  [[ -n "${BUILDER_IMAGE:-}" ]] && args+=(--build-arg "BUILDER_IMAGE=$BUILDER_IMAGE")
  [[ -n "${RUNTIME_IMAGE:-}" ]] && args+=(--build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE")
  log "building $image (first build compiles the service: a few minutes)"
  DOCKER_BUILDKIT=1 docker build -f "$ROOT/images/service/Dockerfile" --build-arg "SERVICE=$service" \
    "${args[@]}" -t "$image" "$ROOT"
}

# Images found in the local Docker are copied into the nodes (offline runs, locally built images); the nodes pull
# the others from their registries.
load_images() {
  local image
  for image in "$@"; do
    if image_present "$image"; then
      log "loading $image into the nodes"
      "$KIND" load docker-image "$image" --name "$CLUSTER" >/dev/null
    fi
  done
}

# ----------------------------------------------------------------------------------------------------- manifests

# A kustomize "images:" entry that replaces image NAME by REF (name:tag, name@digest or name:tag@digest).
image_entry() {
  local name="$1" ref="$2" new_name tag="" digest=""
  if [[ "$ref" == *@* ]]; then digest="${ref#*@}" ref="${ref%%@*}"; fi
  # A tag is a ':' after the last '/' (a ':' before it is a registry port).
  if [[ "${ref##*/}" == *:* ]]; then tag="${ref##*:}" new_name="${ref%:*}"; else new_name="$ref"; fi
  [[ -n "$tag" || -n "$digest" ]] || die "image $ref has no tag: pin a version (':latest' is not accepted either)"
  [[ "$tag" != latest ]] || die "image $ref: ':latest' is not accepted, pin a version"
  printf '  - name: %s\n    newName: %s\n' "$name" "$new_name"
  [[ -n "$tag" ]] && printf '    newTag: "%s"\n' "$tag"
  [[ -n "$digest" ]] && printf '    digest: %s\n' "$digest"
  return 0
}

# The overlay plus this run's choices, in a scratch kustomization under .cache (kustomize only follows relative
# paths), so the files in the repository are never modified by a deploy.
render_manifests() {
  mkdir -p "$WORK"
  {
    echo "# Generated by deploy/kind/deploy-kind.sh for one run; do not edit."
    echo "apiVersion: kustomize.config.k8s.io/v1beta1"
    echo "kind: Kustomization"
    echo "resources:"
    echo "  - ../../deploy/k8s/overlays/kind"
    if $WITH_UI; then
      echo "components:"
      echo "  - ../../deploy/k8s/components/kafka-ui"
    fi
    echo "images:"
    image_entry apache/kafka "$KAFKA_IMAGE"
    image_entry traefik "$TRAEFIK_IMAGE"
    image_entry kok-producer "$PRODUCER_IMAGE"
    image_entry kok-consumer "$CONSUMER_IMAGE"
    $WITH_UI && image_entry ghcr.io/kafbat/kafka-ui "$KAFKA_UI_IMAGE"
    echo "configMapGenerator:"
    echo "  - name: kafka-cluster"
    echo "    namespace: $NAMESPACE"
    echo "    behavior: replace"
    echo "    literals:"
    echo "      - CLUSTER_ID=$KAFKA_CLUSTER_ID"
  } >"$WORK/kustomization.yaml"
  "${KUSTOMIZE[@]}" "$WORK" >"$WORK/manifests.yaml"
}

wait_for() {  # wait_for KIND/NAME NAMESPACE TIMEOUT: kubectl's rollout progress lines, plus pod states on failure
  log "waiting for $1 in $2"
  if ! kc -n "$2" rollout status "$1" --timeout "$3"; then
    kc -n "$2" get pods -o wide >&2 || true
    die "$1 did not become ready within $3: see 'kubectl --context $CONTEXT -n $2 describe $1' and the pods' logs"
  fi
}

# ---------------------------------------------------------------------------------------------------------- verbs

cmd_up() {
  check_prerequisites
  DATA_DIR="$(mkdir -p "$DATA_DIR" && cd "$DATA_DIR" && pwd -P)"
  ensure_cluster

  local tag
  tag="$(source_tag)"
  KAFKA_IMAGE="${KAFKA_IMAGE:-apache/kafka:$KAFKA_VERSION}"
  TRAEFIK_IMAGE="${TRAEFIK_IMAGE:-traefik:$TRAEFIK_VERSION}"
  KAFKA_UI_IMAGE="${KAFKA_UI_IMAGE:-ghcr.io/kafbat/kafka-ui:$KAFKA_UI_VERSION}"
  if [[ -z "${PRODUCER_IMAGE:-}" ]]; then
    PRODUCER_IMAGE="kok-producer:$tag"
    build_service_image producer "$PRODUCER_IMAGE"
  fi
  if [[ -z "${CONSUMER_IMAGE:-}" ]]; then
    CONSUMER_IMAGE="kok-consumer:$tag"
    build_service_image consumer "$CONSUMER_IMAGE"
  fi
  local images=("$KAFKA_IMAGE" "$TRAEFIK_IMAGE" "$PRODUCER_IMAGE" "$CONSUMER_IMAGE")
  $WITH_UI && images+=("$KAFKA_UI_IMAGE")
  load_images "${images[@]}"

  render_manifests
  log "applying deploy/k8s/overlays/kind$($WITH_UI && echo ' + components/kafka-ui')"
  kc apply -f "$WORK/manifests.yaml"
  if ! $WITH_UI; then
    # A previous --with-ui run left the UI behind: this run did not ask for it.
    kc -n "$NAMESPACE" delete deployment/kafka-ui service/kafka-ui networkpolicy/kafka-ui --ignore-not-found >/dev/null
  fi

  wait_for deployment/traefik traefik 180s
  # The first start pulls the Kafka image on three nodes and forms the quorum: allow for a slow network.
  wait_for statefulset/kafka "$NAMESPACE" 600s
  wait_for deployment/producer "$NAMESPACE" 180s
  wait_for deployment/consumer "$NAMESPACE" 180s
  $WITH_UI && wait_for deployment/kafka-ui "$NAMESPACE" 300s

  local url
  url="$(gateway_url)"
  if $SMOKE; then
    "$HERE/smoke-check.sh" "$url"
  fi
  print_walkthrough "$url"
}

print_walkthrough() {
  local url="$1"
  cat <<EOF

Kafka on kind is up.
  gateway:    $url   (https on port ${HTTPS_PORT}, self-signed)
  bootstrap:  $(bootstrap_servers)   (inside the cluster)
  data:       $DATA_DIR/{kafka-0,kafka-1,kafka-2}

Try it:
  curl -X POST $url/topic/demo                         # create topic 'demo' (1 partition, RF 3)
  curl -X POST --data 'hello kafka' $url/message/demo  # send a message
  curl $url/demo                                       # read the next message: offset: 0 key: ... value: hello kafka
  curl $url/topics/demo                                # partitions, leader, replicas, ISR
  curl -N $url/consumer/demo/stream                    # follow the topic (Server-Sent Events)

Look around:
  kubectl --context $CONTEXT -n $NAMESPACE get pods -o wide
  kubectl --context $CONTEXT -n $NAMESPACE logs statefulset/kafka
EOF
  if $WITH_UI; then
    cat <<EOF
  kubectl --context $CONTEXT -n $NAMESPACE port-forward svc/kafka-ui 8081:8080   # then open http://localhost:8081 (kafka UI)
EOF
  fi
  cat <<EOF

Stop: ./deploy.sh down   (data kept; --purge deletes it)      State: ./deploy.sh status
EOF
}

bootstrap_servers() {
  local b out=()
  for b in "${BROKERS[@]}"; do out+=("$b.kafka-headless.$NAMESPACE.svc.cluster.local:9092"); done
  (IFS=,; echo "${out[*]}")
}

cmd_status() {
  check_prerequisites
  if ! cluster_exists; then
    echo "cluster '$CLUSTER': not created (./deploy.sh up creates it)"
    return 3
  fi
  echo "cluster '$CLUSTER':"
  kc get nodes -o wide 2>/dev/null || echo "  (API server not reachable: are the node containers running? 'docker ps -a')"
  echo
  kc -n "$NAMESPACE" get statefulsets,deployments,pods -o wide 2>/dev/null || true
  kc -n traefik get pods -o wide 2>/dev/null || true
  echo
  local data
  data="$(mounted_data_dir)"
  [[ -n "$data" ]] && echo "data: $data"
  echo "gateway: $(gateway_url)"
  echo "bootstrap: $(bootstrap_servers)"
}

cmd_down() {
  check_prerequisites
  local data
  data="$(mounted_data_dir)"
  [[ -n "$data" ]] || data="$DATA_DIR"
  if cluster_exists; then
    if $PURGE && docker inspect "$CLUSTER-worker" >/dev/null 2>&1; then
      # The brokers' files belong to uid $KAFKA_UID; a node (running as root) can remove them where we may not.
      docker exec "$CLUSTER-worker" sh -c "rm -rf $NODE_DATA_DIR/kafka-*" || true
    fi
    log "deleting kind cluster '$CLUSTER'"
    "$KIND" delete cluster --name "$CLUSTER"
  else
    log "cluster '$CLUSTER': not present"
  fi
  if $PURGE; then
    if [[ -d "$data" ]]; then
      log "deleting the brokers' data in $data"
      rm -rf "${data:?}"/kafka-* 2>/dev/null || die "could not delete everything in $data (files of uid $KAFKA_UID): remove it with 'sudo rm -rf $data'"
    fi
  else
    [[ -d "$data" ]] && log "the brokers' data stays in $data ('$0 down --purge' deletes it)"
  fi
  return 0
}

# ----------------------------------------------------------------------------------------------------------- main

main() {
  local verb=up
  DATA_DIR="$ROOT/data/kind" DATA_DIR_GIVEN=false
  HTTP_PORT=80 HTTPS_PORT=443 WITH_UI=false PURGE=false SMOKE=true
  while (($#)); do
    case "$1" in
      up|down|status) verb="$1" ;;
      --data-dir) [[ $# -ge 2 ]] || die "--data-dir needs a directory"; DATA_DIR="$2" DATA_DIR_GIVEN=true; shift ;;
      --data-dir=*) DATA_DIR="${1#*=}" DATA_DIR_GIVEN=true ;;
      --http-port) [[ $# -ge 2 ]] || die "--http-port needs a port"; HTTP_PORT="$2"; shift ;;
      --http-port=*) HTTP_PORT="${1#*=}" ;;
      --https-port) [[ $# -ge 2 ]] || die "--https-port needs a port"; HTTPS_PORT="$2"; shift ;;
      --https-port=*) HTTPS_PORT="${1#*=}" ;;
      --with-ui) WITH_UI=true ;;
      --purge) PURGE=true ;;
      --no-smoke) SMOKE=false ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument: $1" ;;
    esac
    shift
  done
  [[ "$HTTP_PORT" =~ ^[0-9]+$ && "$HTTPS_PORT" =~ ^[0-9]+$ ]] || die "ports must be numbers"
  case "$verb" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
  esac
}

main "$@"
