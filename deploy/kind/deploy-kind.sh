#!/usr/bin/env bash
# The kind deployment: a local Kubernetes cluster (1 control-plane + 3 workers) running Kafka x3, the producer and
# consumer services, and Traefik as the Ingress on http://localhost. Normally run through ./deploy.sh.
#
#   deploy-kind.sh [up] [--data-dir D] [--http-port P] [--https-port P] [--with-ui] [--no-smoke] [--overlay cloud]
#                              preflight, create or repair the cluster, build and load the images, apply, wait, smoke-test
#   deploy-kind.sh doctor      the preflight checks alone (Docker, its memory, inotify limits, ports, disk, builder,
#                              kind, kubectl); each problem comes with the command that fixes it. Nothing is created.
#   deploy-kind.sh down [--purge]   delete the cluster; the brokers' data stays in the data directory unless --purge
#   deploy-kind.sh status           nodes and pods, then 'gateway: URL' and 'bootstrap: ...' lines
#   deploy-kind.sh --help
#
# Options: --data-dir D (default ./data/kind; kafka-0..2 inside), --http-port / --https-port (default 80 / 443, for
# when those are taken), --with-ui (kafbat kafka-ui at http://ui.localhost), --no-smoke (skip the smoke check),
# --overlay cloud (deploy/k8s/overlays/cloud instead of overlays/kind, to try the manifests meant for a real cluster:
# broker volumes from kind's default StorageClass, two producer and two Traefik replicas, Traefik behind a
# LoadBalancer Service that kind cannot serve, so the gateway is reached through kubectl port-forward).
# Images reach the nodes as archives (docker save + kind load image-archive: works with the classic and the
# containerd image store); registry images are pulled once on the host, with your docker login.
# Environment: KIND_CLUSTER_NAME (kok), KIND_LISTEN_ADDRESS (127.0.0.1), and image overrides KIND_NODE_IMAGE,
# KAFKA_IMAGE, TRAEFIK_IMAGE, KAFKA_UI_IMAGE, SERVICE_IMAGE (one image with both services; a given one is used as it
# is, not built), BUILDER_IMAGE / RUNTIME_IMAGE (Debian bases of the service image), JOBS (parallel compile jobs in
# the image build, default 2). Versions: versions.env.
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

usage() { script_help "$0"; }
USAGE="./deploy.sh [up|down|status|doctor] [--data-dir D] [--http-port P] [--https-port P] [--with-ui] [--no-smoke] [--overlay kind|cloud] [--purge] [--local]"

# ---------------------------------------------------------------------------------------------------- preflight

KIND="" KUBECTL="" KUSTOMIZE=()
# Filled by preflight from `docker info`: the nodes' architecture (amd64/arm64), how images are built and saved.
NODE_ARCH="" DOCKER_FLAVOUR="" BUILD_MODE="" BUILD_FLAGS=() SAVE_PLATFORM=false

find_tool() {  # the first of: $1 on PATH, .cache/bin/$1
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"
  elif [[ -x "$ROOT/.cache/bin/$1" ]]; then echo "$ROOT/.cache/bin/$1"
  else return 1
  fi
}

# "1.34" from "v1.34.0" / "1.34.0".
minor_of() { sed -E 's/^v?([0-9]+)\.([0-9]+).*/\1.\2/' <<<"$1"; }

PROBLEMS=0 WARNINGS=0
check_ok()   { printf '  ok    %s\n' "$1" >&2; }
check_note() { printf '  note  %s\n' "$1" >&2; }
check_warn() { WARNINGS=$((WARNINGS + 1)); printf '  warn  %s\n' "$1" >&2; [[ -z "${2:-}" ]] || printf '%s\n' "$2" | sed 's/^/        /' >&2; }
check_fail() { PROBLEMS=$((PROBLEMS + 1)); printf '  FAIL  %s\n' "$1" >&2; [[ -z "${2:-}" ]] || printf '%s\n' "$2" | sed 's/^/        /' >&2; }

# Free space in GiB (whole) of the file system holding $1, or of its nearest existing parent.
free_gib() {
  local dir="$1" kb
  while [[ ! -d "$dir" && "$dir" != / ]]; do dir="$(dirname "$dir")"; done
  kb="$(df -Pk "$dir" 2>/dev/null | awk 'NR == 2 { print $4 }')"
  [[ -n "$kb" ]] && echo $((kb / 1048576))
}

# Every check before anything is created. Problems are counted (and printed with their fix); warnings only printed.
preflight() {
  PROBLEMS=0 WARNINGS=0
  KIND="$(find_tool kind || true)"
  log "preflight: Docker, memory, inotify, ports, disk, builder, kind, kubectl"

  # Docker: reachable, which engine, which image store.
  local info version os mem root arch security driver flavour store
  if ! command -v docker >/dev/null 2>&1; then
    check_fail "docker not found" "install Docker: Docker Desktop (macOS, Windows), Docker Engine or your distribution's docker package (Linux)"
  elif ! info="$(docker info --format '{{.ServerVersion}}|{{.OperatingSystem}}|{{.MemTotal}}|{{.DockerRootDir}}|{{.Architecture}}|{{json .SecurityOptions}}|{{json .DriverStatus}}' 2>/dev/null)"; then
    check_fail "Docker is installed but not reachable" "start Docker Desktop, or 'sudo systemctl start docker' (rootless: 'systemctl --user start docker'); check that your user may use it: 'docker info'"
  else
    IFS='|' read -r version os mem root arch security driver <<<"$info"
    flavour="Docker Engine"
    if [[ "$os" == *"Docker Desktop"* ]]; then flavour="Docker Desktop"
    elif [[ "$security" == *rootless* ]]; then flavour="rootless Docker"
    fi
    store="classic image store"
    [[ "$driver" == *io.containerd.snapshotter* ]] && store="containerd image store"
    case "$arch" in
      x86_64|amd64) NODE_ARCH=amd64 ;;
      aarch64|arm64) NODE_ARCH=arm64 ;;
      *) NODE_ARCH="$arch" ;;
    esac
    DOCKER_FLAVOUR="$flavour"
    check_ok "docker: $flavour $version ($os, linux/$NODE_ARCH, $store; images reach the nodes as archives either way)"

    # Memory given to Docker: 4 kind nodes, 3 brokers, the services.
    local mib=$(( ${mem:-0} / 1048576 ))
    local fix_mem="Docker Desktop: Settings > Resources > Memory, 6 GB or more; Colima: colima start --memory 6; Linux: the host's RAM is what Docker gets"
    if ((mib < 4096)); then
      check_fail "memory for Docker: $mib MiB (4 kind nodes and 3 brokers need at least 4 GiB, better 6)" "$fix_mem"
    elif ((mib < 6144)); then
      check_warn "memory for Docker: $mib MiB (6 GiB or more recommended; pods may be evicted)" "$fix_mem"
    else
      check_ok "memory for Docker: $mib MiB"
    fi

    # Disk where Docker keeps its data (only when that path is on this machine: Docker Desktop keeps it in its VM).
    local gib
    if [[ -d "$root" ]] && gib="$(free_gib "$root")" && [[ -n "$gib" ]]; then
      if ((gib < 2)); then check_fail "disk: $gib GiB free for Docker in $root (images and nodes need about 5 GB)" "free space there: 'docker system prune' removes unused images and build cache"
      elif ((gib < 5)); then check_warn "disk: $gib GiB free for Docker in $root (about 5 GB needed)" "'docker system prune' removes unused images and build cache"
      else check_ok "disk: $gib GiB free for Docker ($root)"
      fi
    else
      check_note "disk: Docker keeps its data in its VM ($flavour); give it 5 GB or more (Docker Desktop: Settings > Resources > Disk)"
    fi

    # The builder of the service image: BuildKit (buildx plugin, or the engine's own with a pre-23 client), else the
    # legacy builder. Not needed when the image is given.
    local client
    client="$(docker version --format '{{.Client.Version}}' 2>/dev/null || true)"
    if [[ -n "${SERVICE_IMAGE:-}" ]]; then
      BUILD_MODE=none
      check_ok "builder: not needed (SERVICE_IMAGE=$SERVICE_IMAGE is used as it is)"
    elif docker buildx version >/dev/null 2>&1; then
      BUILD_MODE=buildkit
      check_ok "builder: BuildKit ($(docker buildx version 2>/dev/null | head -n1))"
    elif [[ -n "$client" && "${client%%.*}" =~ ^[0-9]+$ ]] && (( ${client%%.*} < 23 )); then
      BUILD_MODE=buildkit
      check_ok "builder: the engine's BuildKit (docker client $client)"
    else
      BUILD_MODE=legacy
      check_note "builder: no buildx plugin, so the service image builds with the legacy builder (DOCKER_BUILDKIT=0: works, but without a compile cache between builds). For faster rebuilds install buildx: 'docker-buildx-plugin' (Docker's apt/dnf repositories), 'docker-buildx' (Debian 13, Ubuntu, Fedora, Arch), 'brew install docker-buildx' (Colima)"
    fi
    BUILD_FLAGS=()
    # BuildKit through buildx adds a provenance attestation whose manifest `docker save` does not export (kind #4236).
    if [[ "$BUILD_MODE" == buildkit ]] && DOCKER_BUILDKIT=1 docker build --help 2>&1 | grep -q -- --provenance; then
      BUILD_FLAGS=(--provenance=false)
    fi
    SAVE_PLATFORM=false
    if docker save --help 2>&1 | grep -q -- --platform; then SAVE_PLATFORM=true; fi
  fi

  # inotify limits (Linux hosts; Docker Desktop's VM has its own): kind's known issue with several nodes.
  local dir="${KOK_INOTIFY_DIR:-/proc/sys/fs/inotify}" instances watches
  if [[ "$(uname -s)" == Linux && "${flavour:-}" != "Docker Desktop" && -r "$dir/max_user_instances" ]]; then
    instances="$(cat "$dir/max_user_instances")" watches="$(cat "$dir/max_user_watches")"
    if ((instances < 512 || watches < 524288)); then
      check_fail "inotify limits: max_user_instances=$instances (need 512), max_user_watches=$watches (need 524288): kind's nodes fail with 'too many open files'" \
"sudo sysctl fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288
to keep it after a reboot: printf 'fs.inotify.max_user_instances = 512\nfs.inotify.max_user_watches = 524288\n' | sudo tee /etc/sysctl.d/99-kind.conf"
    else
      check_ok "inotify limits: max_user_instances=$instances, max_user_watches=$watches"
    fi
  fi

  # Host ports of the Ingress: ours when the cluster exists, else they must be free.
  local port taken=()
  if [[ -n "$KIND" ]] && cluster_exists; then
    check_ok "ports $HTTP_PORT/$HTTPS_PORT: used by the existing cluster '$CLUSTER'"
  else
    for port in "$HTTP_PORT" "$HTTPS_PORT"; do port_open "$port" && taken+=("$port"); done
    if ((${#taken[@]})); then
      check_fail "port(s) ${taken[*]-} taken on this machine (the Ingress listens on $HTTP_PORT and $HTTPS_PORT)" "free them, or choose others: ./deploy.sh --http-port 8080 --https-port 8443"
    else
      check_ok "ports $HTTP_PORT/$HTTPS_PORT: free"
    fi
  fi

  # Kafka's data on a Windows file system (Git Bash, or WSL's /mnt/c): segment renames fail there (KAFKA-1194).
  case "$(uname -s)" in
    MINGW*|MSYS*|CYGWIN*) check_warn "the data directory $DATA_DIR is on NTFS, where Kafka's segment renames fail (KAFKA-1194)" "run ./deploy.sh inside WSL 2 (deploy.ps1 does when WSL has Docker): the data then lives on the WSL file system" ;;
    *) if [[ "$DATA_DIR" == /mnt/[a-z]/* ]]; then
         check_warn "the data directory $DATA_DIR is on a Windows drive, where Kafka's segment renames fail (KAFKA-1194)" "--data-dir ~/kafka-data (any directory of the WSL file system)"
       fi ;;
  esac
  # Disk for the brokers' data.
  local gib_data
  if gib_data="$(free_gib "$DATA_DIR")" && [[ -n "$gib_data" ]]; then
    if ((gib_data < 1)); then check_fail "disk: $gib_data GiB free for the data in $DATA_DIR" "free space there, or put the data elsewhere: --data-dir DIR"
    elif ((gib_data < 5)); then check_warn "disk: $gib_data GiB free for the data in $DATA_DIR (5 GB recommended)" "--data-dir DIR puts it on another disk"
    else check_ok "disk: $gib_data GiB free for the data ($DATA_DIR)"
    fi
  fi

  # kind and kubectl.
  if [[ -n "$KIND" ]]; then
    local kind_version
    kind_version="$("$KIND" version 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true)"
    if [[ "$kind_version" != "$KIND_VERSION" ]]; then
      check_warn "kind ${kind_version:-of unknown version} found, the project pins $KIND_VERSION (its node image $KIND_NODE_IMAGE)" "scripts/install-k8s-tools.sh installs kind $KIND_VERSION into .cache/bin (or: go install sigs.k8s.io/kind@$KIND_VERSION)"
    else
      check_ok "kind $kind_version"
    fi
  else
    check_fail "kind not found" "scripts/install-k8s-tools.sh (installs kind $KIND_VERSION into .cache/bin; needs Go), or 'brew install kind', 'winget install Kubernetes.kind', or a release binary from https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
  fi
  if KUBECTL="$(find_tool kubectl)"; then
    local kubectl_version want have
    kubectl_version="$("$KUBECTL" version --client 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true)"
    want="$(minor_of "$KUBERNETES_VERSION")" have="$(minor_of "${kubectl_version:-v0.0}")"
    # kubectl supports one minor version of skew either way.
    if (( ${have#*.} < ${want#*.} - 1 || ${have#*.} > ${want#*.} + 1 )) || [[ "${have%%.*}" != "${want%%.*}" ]]; then
      check_warn "kubectl ${kubectl_version:-of unknown version} is more than one minor version away from the cluster's $KUBERNETES_VERSION" "install kubectl $want.x: 'brew install kubectl', 'winget install Kubernetes.kubectl', or https://kubernetes.io/docs/tasks/tools/"
    else
      check_ok "kubectl $kubectl_version (cluster $KUBERNETES_VERSION)"
    fi
    if KUSTOMIZE=("$(find_tool kustomize)"); then KUSTOMIZE+=(build)
    else KUSTOMIZE=("$KUBECTL" kustomize)  # kubectl's built-in copy renders the same manifests
    fi
  else
    KUBECTL=""
    check_fail "kubectl not found" "install kubectl $(minor_of "$KUBERNETES_VERSION").x: 'brew install kubectl', 'winget install Kubernetes.kubectl', the Kubernetes apt/yum repository, or https://kubernetes.io/docs/tasks/tools/"
  fi

  if ((PROBLEMS)); then
    printf 'preflight: %d problem(s), %d warning(s)\n' "$PROBLEMS" "$WARNINGS" >&2
    return 1
  fi
  printf 'preflight: ok (%d warning(s))\n' "$WARNINGS" >&2
}

# The tools only (status and down need no preflight).
check_tools() {
  command -v docker >/dev/null 2>&1 || die "docker not found: install Docker (see ./deploy.sh doctor)"
  KIND="$(find_tool kind)" || die "kind not found: run scripts/install-k8s-tools.sh (see ./deploy.sh doctor)"
  KUBECTL="$(find_tool kubectl)" || die "kubectl not found (see ./deploy.sh doctor)"
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
  # The path sits in a single-quoted YAML scalar: ' becomes ''. (Through a variable: bash 3.2 keeps the
  # backslashes of \' in a quoted replacement.)
  local q="'"
  local dir="${DATA_DIR//$q/$q$q}"
  sed -e "s|@NODE_IMAGE@|$(sed_escape "$KIND_NODE_IMAGE")|g" \
      -e "s|@LISTEN_ADDRESS@|$(sed_escape "${KIND_LISTEN_ADDRESS:-127.0.0.1}")|g" \
      -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
      -e "s|@HTTPS_PORT@|$HTTPS_PORT|g" \
      -e "s|@DATA_DIR@|$(sed_escape "$dir")|g" \
      "$HERE/cluster.yaml" >"$1"
}

# The brokers run as uid $KAFKA_UID inside their containers, and a hostPath volume ignores fsGroup. Which host uid
# that is depends on the engine: the same uid with rootful Docker on Linux, a subuid with rootless Docker, whatever
# Docker Desktop's file sharing makes of it. So the directories are opened to everyone unless we are root on a
# rootful engine and can give them to uid $KAFKA_UID (docs/decisions.md).
prepare_data_dir() {
  local b d
  mkdir -p "$DATA_DIR" || die "cannot create the data directory $DATA_DIR"
  for b in ${BROKERS[@]+"${BROKERS[@]}"}; do
    d="$DATA_DIR/$b"
    mkdir -p "$d" || die "cannot create $d"
    if [[ "$(id -u)" -eq 0 && "$DOCKER_FLAVOUR" != "rootless Docker" ]] && chown "$KAFKA_UID:$KAFKA_UID" "$d" 2>/dev/null; then
      continue
    fi
    chmod 0777 "$d" 2>/dev/null ||
      die "cannot make $d writable for the brokers (uid $KAFKA_UID in their containers): 'sudo chmod 0777 $d', or choose another --data-dir"
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

  prepare_data_dir
  mkdir -p "$WORK"
  render_cluster_config "$WORK/cluster.yaml"
  log "creating kind cluster '$CLUSTER' (1 control-plane + 3 workers, $KIND_NODE_IMAGE; data in $DATA_DIR)"
  "$KIND" create cluster --name "$CLUSTER" --config "$WORK/cluster.yaml" --wait 180s
  log "cluster '$CLUSTER': created in $(since "$PHASE_START")"
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
  if [[ -z "$(git -C "$ROOT" status --porcelain -- ${paths[@]+"${paths[@]}"})" ]]; then
    echo "$commit"
    return
  fi
  digest="$(
    cd "$ROOT"
    {
      git diff HEAD -- ${paths[@]+"${paths[@]}"}
      git ls-files --others --exclude-standard -z -- ${paths[@]+"${paths[@]}"} |
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

build_service_image() {  # build_service_image IMAGE: both services in one image, compiled once
  local image="$1" args=()
  if image_present "$image"; then
    log "image $image: already built"
    return
  fi
  if [[ -n "${BUILDER_IMAGE:-}" ]]; then args+=(--build-arg "BUILDER_IMAGE=$BUILDER_IMAGE"); fi
  if [[ -n "${RUNTIME_IMAGE:-}" ]]; then args+=(--build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE"); fi
  args+=(--build-arg "JOBS=${JOBS:-2}")
  local dockerfile="$ROOT/images/service/Dockerfile" buildkit=1
  if [[ "$BUILD_MODE" == legacy ]]; then
    # The legacy builder knows no RUN --mount: the same Dockerfile without the cache mount.
    buildkit=0
    mkdir -p "$WORK"
    sed -E 's/^RUN --mount=[^ ]+ /RUN /' "$dockerfile" >"$WORK/Dockerfile.legacy"
    dockerfile="$WORK/Dockerfile.legacy"
  fi
  log "building $image (the first build compiles both services, ${JOBS:-2} jobs: several minutes)"
  local start=$SECONDS
  DOCKER_BUILDKIT=$buildkit docker build -f "$dockerfile" ${BUILD_FLAGS[@]+"${BUILD_FLAGS[@]}"} \
    ${args[@]+"${args[@]}"} -t "$image" "$ROOT"
  log "image $image: built in $(since "$start")"
}

# A registry image is pulled once, on the host (with the user's docker login), then loaded like the others: the
# nodes never pull from a registry themselves.
pull_once() {
  image_present "$1" && return 0
  log "pulling $1 on the host (once: the nodes get it from here)"
  if ! docker pull "$1" >&2; then
    die "could not pull $1. 'toomanyrequests' is Docker Hub's pull limit for anonymous users and 'unauthorized' a missing login: run 'docker login' and try again. Behind a proxy, configure it for Docker (Docker Desktop: Settings > Resources > Proxies). Or get the image into 'docker images' any other way: it is used from there."
  fi
}

# containerd's name of an image reference: traefik:v3 -> docker.io/library/traefik:v3.
normalized_ref() {
  local ref="$1" first="${1%%/*}"
  if [[ "$ref" != */* ]]; then echo "docker.io/library/$ref"
  elif [[ "$first" != *.* && "$first" != *:* && "$first" != localhost ]]; then echo "docker.io/$ref"
  else echo "$ref"
  fi
}

# True when node $1 holds image $2 with Docker's image ID $3. The classic store's ID is the config digest: crictl's
# image id, and the name containerd's CRI keeps for it (sha256:...); the containerd store's ID is the index/manifest
# digest: ctr's target digest of the name. Nodes without crictl are asked through ctr alone.
node_has_image() {
  docker exec "$1" sh -c '
    crictl inspecti -o go-template --template "{{.status.id}}" "$1" 2>/dev/null; echo
    ctr -n k8s.io images ls 2>/dev/null |
      awk -v ref="$2" -v id="$3" "\$1 == ref { named = 1; print \$3 } \$1 == id { byid = 1 } END { if (named && byid) print id }"
  ' sh "$2" "$(normalized_ref "$2")" "$3" 2>/dev/null | grep -qxF "$3"
}

# Copies local images into the nodes that do not have them yet: docker save (for the nodes' platform where the CLI
# can) to an archive, then kind load image-archive. Works with the classic and the containerd image store alike.
load_images() {
  local image id node missing archive save=(save)
  if $SAVE_PLATFORM && [[ -n "$NODE_ARCH" ]]; then save+=(--platform "linux/$NODE_ARCH"); fi
  mkdir -p "$WORK/archives"
  for image in "$@"; do
    id="$(docker image inspect -f '{{.Id}}' "$image")" || die "image $image is not in the local Docker"
    missing=()
    for node in $(nodes); do node_has_image "$node" "$image" "$id" || missing+=("$node"); done
    if ((${#missing[@]} == 0)); then
      log "image $image: already on every node"
      continue
    fi
    log "loading $image into ${#missing[@]} node(s)"
    archive="$(mktemp "$WORK/archives/image.XXXXXX")"
    if ! docker ${save[@]+"${save[@]}"} -o "$archive" "$image"; then
      rm -f "$archive"
      die "docker save $image failed"
    fi
    if ! "$KIND" load image-archive "$archive" --name "$CLUSTER" --nodes "$(IFS=,; echo "${missing[*]-}")" >/dev/null; then
      rm -f "$archive"
      die "kind load image-archive ($image) failed"
    fi
    rm -f "$archive"
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
    echo "  - ../../deploy/k8s/overlays/$OVERLAY"
    if $WITH_UI; then
      echo "components:"
      echo "  - ../../deploy/k8s/components/kafka-ui"
    fi
    echo "images:"
    image_entry apache/kafka "$KAFKA_IMAGE"
    image_entry traefik "$TRAEFIK_IMAGE"
    image_entry kok-service "$SERVICE_IMAGE"
    $WITH_UI && image_entry ghcr.io/kafbat/kafka-ui "$KAFKA_UI_IMAGE"
    echo "configMapGenerator:"
    echo "  - name: kafka-cluster"
    echo "    namespace: $NAMESPACE"
    echo "    behavior: replace"
    echo "    literals:"
    echo "      - CLUSTER_ID=$KAFKA_CLUSTER_ID"
  } >"$WORK/kustomization.yaml"
  ${KUSTOMIZE[@]+"${KUSTOMIZE[@]}"} "$WORK" >"$WORK/manifests.yaml"
}

# wait_for KIND/NAME NAMESPACE TIMEOUT_SECONDS WHAT: a line every WAIT_INTERVAL (15) seconds saying what it waits
# for and for how long already; on timeout the pods' states and where to look.
WAIT_INTERVAL="${KOK_WAIT_INTERVAL:-15}"
wait_for() {
  local start=$SECONDS t out
  while :; do
    t=$SECONDS
    if out="$(kc -n "$2" rollout status "$1" --timeout "${WAIT_INTERVAL}s" 2>&1)"; then
      log "[$PHASE] $1 ready ($4) after $(since "$start")"
      return 0
    fi
    if ((SECONDS - start >= $3)); then
      printf '%s\n' "$out" >&2
      kc -n "$2" get pods -o wide >&2 || true
      die "$1 did not become ready within $3s: see 'kubectl --context $CONTEXT -n $2 describe $1' and the pods' logs"
    fi
    log "[$PHASE] waiting for $1 ($4) … $(since "$start")"
    # kubectl may give up early (object not there yet): keep to one line per interval.
    if ((SECONDS - t < WAIT_INTERVAL)); then sleep $((WAIT_INTERVAL - (SECONDS - t))); fi
  done
}

PHASE="" PHASE_START=0 PHASE_N=0
phase() { PHASE_N=$((PHASE_N + 1)) PHASE="$1" PHASE_START=$SECONDS; log "phase $PHASE_N/6: $1${2:+ ($2)}"; }

# ---------------------------------------------------------------------------------------------------------- verbs

cmd_up() {
  local started=$SECONDS
  if [[ -n "${PRODUCER_IMAGE:-}${CONSUMER_IMAGE:-}" ]]; then
    die "PRODUCER_IMAGE / CONSUMER_IMAGE are replaced by SERVICE_IMAGE: one image holds both services"
  fi
  phase preflight "nothing is created before it passes"
  preflight || die "preflight found problems (above, each with its fix); nothing was created. './deploy.sh doctor' runs the checks alone."

  phase cluster
  mkdir -p "$DATA_DIR" || die "cannot create the data directory $DATA_DIR"
  DATA_DIR="$(host_path "$DATA_DIR")"
  ensure_cluster

  phase images "pulled or built once on the host, loaded into the nodes as archives"
  local tag
  tag="$(source_tag)"
  KAFKA_IMAGE="${KAFKA_IMAGE:-apache/kafka:$KAFKA_VERSION}"
  TRAEFIK_IMAGE="${TRAEFIK_IMAGE:-traefik:$TRAEFIK_VERSION}"
  KAFKA_UI_IMAGE="${KAFKA_UI_IMAGE:-ghcr.io/kafbat/kafka-ui:$KAFKA_UI_VERSION}"
  if [[ -z "${SERVICE_IMAGE:-}" ]]; then
    SERVICE_IMAGE="kok-service:$tag"
    build_service_image "$SERVICE_IMAGE"
  fi
  local images=("$KAFKA_IMAGE" "$TRAEFIK_IMAGE" "$SERVICE_IMAGE") image
  if $WITH_UI; then images+=("$KAFKA_UI_IMAGE"); fi
  for image in ${images[@]+"${images[@]}"}; do
    if [[ "$image" != "$SERVICE_IMAGE" ]]; then pull_once "$image"; fi
  done
  load_images ${images[@]+"${images[@]}"}
  log "images: ready in $(since "$PHASE_START")"

  phase apply
  render_manifests
  log "applying deploy/k8s/overlays/$OVERLAY$($WITH_UI && echo ' + components/kafka-ui')"
  kc apply -f "$WORK/manifests.yaml"
  if ! $WITH_UI; then
    # A previous --with-ui run left the UI behind: this run did not ask for it.
    kc -n "$NAMESPACE" delete deployment/kafka-ui service/kafka-ui networkpolicy/kafka-ui ingress/kafka-ui \
      --ignore-not-found >/dev/null
  fi

  phase wait "rollouts, a line every ${WAIT_INTERVAL}s"
  wait_for deployment/traefik traefik 180 "the Ingress controller"
  wait_for statefulset/kafka "$NAMESPACE" 600 "3 brokers, quorum"
  wait_for deployment/producer "$NAMESPACE" 180 "2 replicas, Kafka reachable"
  wait_for deployment/consumer "$NAMESPACE" 180 "1 replica, Kafka reachable"
  if $WITH_UI; then wait_for deployment/kafka-ui "$NAMESPACE" 300 "the cluster UI"; fi

  phase smoke
  local url forward
  url="$(gateway_url)"
  if ! $SMOKE; then
    log "skipped (--no-smoke)"
  elif [[ "$OVERLAY" == cloud ]]; then
    # No host port reaches Traefik here: the smoke check goes through a port-forward of its own.
    forward="$(start_port_forward)" || die "kubectl port-forward to svc/traefik did not start"
    "$HERE/smoke-check.sh" "http://localhost:${forward#* }" || { kill "${forward%% *}"; exit 1; }
    kill "${forward%% *}" 2>/dev/null || true
  else
    "$HERE/smoke-check.sh" "$url"
  fi
  [[ "$OVERLAY" != cloud ]] || url="http://localhost:8080"  # what the printed port-forward command serves
  print_walkthrough "$url" "$((SECONDS - started))"
}

# Starts `kubectl port-forward svc/traefik` on the first free local port from 18180 up and prints "PID PORT" once it
# answers. For the cloud overlay, whose Traefik is a LoadBalancer Service.
start_port_forward() {
  local port pid tries=30
  for port in $(seq 18180 18280); do port_open "$port" || break; done
  kc -n traefik port-forward svc/traefik "$port:80" >/dev/null 2>&1 &
  pid=$!
  while ((tries-- > 0)); do
    if port_open "$port"; then echo "$pid $port"; return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 1
  done
  kill "$pid" 2>/dev/null || true
  return 1
}

# http://ui.localhost[:port]: the UI's own host name on the same Ingress (a /ui prefix would shadow topic 'ui').
ui_url() { local url="$1"; echo "${url/localhost/ui.localhost}"; }

print_walkthrough() {
  local url="$1" took="$2"
  cat <<EOF

Kafka on kind is up (took $((took / 60))m$((took % 60))s).
EOF
  if [[ "$OVERLAY" == cloud ]]; then
    echo "  gateway:    none on this machine's ports: the cloud overlay puts Traefik behind a LoadBalancer Service."
    echo "              kubectl --context $CONTEXT -n traefik port-forward svc/traefik 8080:80   then $url"
  else
    echo "  gateway:    $url   (https on port ${HTTPS_PORT}, self-signed)"
  fi
  cat <<EOF
  if $WITH_UI; then
    echo "  ui:         $(ui_url "$url")   (kafbat kafka-ui; *.localhost is this machine: without a browser, curl -H 'Host: ui.localhost' $url/)"
  fi
  cat <<EOF
  bootstrap:  $(bootstrap_servers)   (inside the cluster)
  data:       $(data_location)

Try it:
  curl -X POST $url/topic/demo                         # create topic 'demo' (1 partition, RF 3)
  curl -X POST --data 'hello kafka' $url/message/demo  # send a message
  curl $url/demo                                       # read the next message: offset: 0 key: ... value: hello kafka
  curl $url/topics/demo                                # partitions, leader, replicas, ISR
  curl -N $url/consumer/demo/stream                    # follow the topic (Server-Sent Events)

Look around:
  kubectl --context $CONTEXT -n $NAMESPACE get pods -o wide
  kubectl --context $CONTEXT -n $NAMESPACE logs statefulset/kafka

Stop: ./deploy.sh down   (data kept; --purge deletes it)      State: ./deploy.sh status
EOF
}

data_location() {
  if [[ "$OVERLAY" == cloud ]]; then echo "volume claims data-kafka-0..2 (kind's default StorageClass, inside the nodes)"
  else echo "$DATA_DIR/{kafka-0,kafka-1,kafka-2}"
  fi
}

bootstrap_servers() {
  local b out=()
  for b in ${BROKERS[@]+"${BROKERS[@]}"}; do out+=("$b.kafka-headless.$NAMESPACE.svc.cluster.local:9092"); done
  (IFS=,; echo "${out[*]-}")
}

cmd_status() {
  check_tools
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
  check_tools
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

# The default data directory: ./data/kind, except in WSL when this checkout is on a Windows drive (/mnt/c/...):
# Kafka on NTFS shared through Docker Desktop fails at segment renames (KAFKA-1194), so the data then lives on the
# WSL file system.
default_data_dir() {
  if [[ "$ROOT" == /mnt/[a-z]/* ]] && grep -qi microsoft /proc/version 2>/dev/null; then
    echo "${XDG_DATA_HOME:-$HOME/.local/share}/kafka-on-kind/kind"
  else
    echo "$ROOT/data/kind"
  fi
}

# A path as Docker Desktop mounts it: Git Bash's /c/Users/... becomes C:/Users/...
host_path() {
  case "$(uname -s)" in
    MINGW*|MSYS*|CYGWIN*) (cd "$1" && pwd -W) ;;
    *) (cd "$1" && pwd -P) ;;
  esac
}

main() {
  local verb=up
  DATA_DIR="$(default_data_dir)" DATA_DIR_GIVEN=false
  HTTP_PORT=80 HTTPS_PORT=443 WITH_UI=false PURGE=false SMOKE=true OVERLAY=kind
  while (($#)); do
    case "$1" in
      up|down|status|doctor) verb="$1" ;;
      --data-dir) [[ $# -ge 2 ]] || usage_error "--data-dir needs a directory" "$USAGE"; DATA_DIR="$2" DATA_DIR_GIVEN=true; shift ;;
      --data-dir=*) DATA_DIR="${1#*=}" DATA_DIR_GIVEN=true ;;
      --http-port) [[ $# -ge 2 ]] || usage_error "--http-port needs a port" "$USAGE"; HTTP_PORT="$2"; shift ;;
      --http-port=*) HTTP_PORT="${1#*=}" ;;
      --https-port) [[ $# -ge 2 ]] || usage_error "--https-port needs a port" "$USAGE"; HTTPS_PORT="$2"; shift ;;
      --https-port=*) HTTPS_PORT="${1#*=}" ;;
      --with-ui) WITH_UI=true ;;
      --purge) PURGE=true ;;
      --no-smoke) SMOKE=false ;;
      --overlay) [[ $# -ge 2 ]] || usage_error "--overlay needs kind or cloud" "$USAGE"; OVERLAY="$2"; shift ;;
      --overlay=*) OVERLAY="${1#*=}" ;;
      -h|--help) usage; exit 0 ;;
      *) usage_error "unknown argument: $1" "$USAGE" ;;
    esac
    shift
  done
  [[ "$HTTP_PORT" =~ ^[0-9]+$ && "$HTTPS_PORT" =~ ^[0-9]+$ ]] || usage_error "ports must be numbers" "$USAGE"
  [[ "$OVERLAY" == kind || "$OVERLAY" == cloud ]] || usage_error "--overlay: kind or cloud, not '$OVERLAY'" "$USAGE"
  case "$verb" in
    up) cmd_up ;;
    doctor) preflight ;;
    down) cmd_down ;;
    status) cmd_status ;;
  esac
}

main "$@"
