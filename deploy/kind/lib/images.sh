# shellcheck shell=bash
# Phase "images": the service image built from this tree, registry images pulled once on the host (with the user's
# docker login), and each image copied into the nodes that run it — as an archive (docker save + kind load
# image-archive), which works with the classic and the containerd image store alike. The nodes never pull.
# Reads the detected BUILD_MODE, BUILDER, BUILD_FLAGS, SAVE_PLATFORM, NODE_ARCH, KIND and the option OVERLAY.

image_present() { docker image inspect "$1" >/dev/null 2>&1; }

checksum() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1
  else shasum -a 256 | cut -d' ' -f1
  fi
}

# The tag for images built from this tree: the commit, plus a digest of uncommitted changes to what goes into the
# image, so a rebuilt image never hides behind an old tag. Without git: the project version.
source_tag() {
  local paths=(CMakeLists.txt CMakePresets.json cmake libs services tests images/service docs/openapi.yaml) commit digest
  if ! commit="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null)"; then
    sed -nE 's/^project\([^)]*VERSION ([0-9.]+).*/\1/p' "$ROOT/CMakeLists.txt" | awk 'NR == 1'
    return
  fi
  if [[ -z "$(git -C "$ROOT" status --porcelain -- ${paths[@]+"${paths[@]}"})" ]]; then
    echo "$commit"
    return
  fi
  digest="$(
    cd "$ROOT" || exit
    {
      git diff HEAD -- ${paths[@]+"${paths[@]}"}
      git ls-files --others --exclude-standard -z -- ${paths[@]+"${paths[@]}"} |
        while IFS= read -r -d '' f; do cat "$f"; done
    } | checksum
  )"
  echo "$commit-dirty-${digest:0:8}"
}

# Indents its input line by line as it comes (sed would hold it back in a 4 KiB buffer when stderr is a file or a pipe).
indent() {
  local line
  while IFS= read -r line || [[ -n "$line" ]]; do printf '    %s\n' "$line"; done
}

build_service_image() {  # build_service_image IMAGE: both services in one image, compiled once
  local image="$1" args=() dockerfile="$ROOT/images/service/Dockerfile" buildkit=1 start=$SECONDS rc=0
  if image_present "$image"; then
    log "image $image: already built"
    return
  fi
  if [[ -n "${BUILDER_IMAGE:-}" ]]; then args+=(--build-arg "BUILDER_IMAGE=$BUILDER_IMAGE"); fi
  if [[ -n "${RUNTIME_IMAGE:-}" ]]; then args+=(--build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE"); fi
  # Without JOBS the build takes as many jobs as the builder's CPUs and memory allow (images/service/Dockerfile).
  if [[ -n "${JOBS:-}" ]]; then args+=(--build-arg "JOBS=$JOBS"); fi
  if [[ "$BUILD_MODE" == legacy ]]; then
    # The legacy builder knows no RUN --mount: the same Dockerfile without the cache mount.
    buildkit=0
    mkdir -p "$WORK"
    sed -E 's/^RUN --mount=[^ ]+ /RUN /' "$dockerfile" >"$WORK/Dockerfile.legacy"
    dockerfile="$WORK/Dockerfile.legacy"
  fi
  # BuildKit's plain output, condensed: one line per step and per compile step, the whole text from a failure on.
  if ((buildkit)); then args+=(--progress=plain); fi
  log "building $image (the first build compiles both services: a few minutes; each compile step is shown)"
  BUILDX_BUILDER="${BUILDER:-${BUILDX_BUILDER:-}}" DOCKER_BUILDKIT=$buildkit docker build -f "$dockerfile" \
    ${BUILD_FLAGS[@]+"${BUILD_FLAGS[@]}"} ${args[@]+"${args[@]}"} -t "$image" "$ROOT" 2>&1 |
    "$ROOT/images/service/build-progress.sh" | indent >&2 || rc=$?
  ((rc == 0)) || die "building $image failed (the build's own message is above)"
  log "image $image: built in $(since "$start")"
}

# A registry image is pulled once, on the host (with the user's docker login), then loaded like the others.
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
  local held
  held="$(docker exec "$1" sh -c '
    crictl inspecti -o go-template --template "{{.status.id}}" "$1" 2>/dev/null; echo
    ctr -n k8s.io images ls 2>/dev/null |
      awk -v ref="$2" -v id="$3" "\$1 == ref { named = 1; print \$3 } \$1 == id { byid = 1 } END { if (named && byid) print id }"
  ' sh "$2" "$(normalized_ref "$2")" "$3" 2>/dev/null || true)"
  has_line "$held" "$3"
}

# Which nodes run an image: Traefik runs on the control plane in the kind overlay (its ports are the host's),
# everything else on the workers.
image_role() {
  if [[ "$1" == "$TRAEFIK_IMAGE" && "$OVERLAY" == kind ]]; then echo control-plane; else echo worker; fi
}

# load_one IMAGE NODES(comma-separated) LOG: one image into some nodes, as an archive; its output goes to LOG.
load_one() {
  local image="$1" nodes="$2" out="$3" archive save=(save)
  if $SAVE_PLATFORM && [[ -n "$NODE_ARCH" ]]; then save+=(--platform "linux/$NODE_ARCH"); fi
  archive="$(mktemp "$WORK/archives/image.XXXXXX")"
  {
    docker ${save[@]+"${save[@]}"} -o "$archive" "$image" || { echo "docker save $image failed"; rm -f "$archive"; return 1; }
    "$KIND" load image-archive "$archive" --name "$CLUSTER" --nodes "$nodes" >/dev/null ||
      { echo "kind load image-archive ($image into $nodes) failed"; rm -f "$archive"; return 1; }
    rm -f "$archive"
  } >"$out" 2>&1
}

# Copies local images into the nodes that run them and do not hold them yet; the images load in parallel.
load_images() {
  local image id node missing targets pids=() names=() logs=() i rc failed=""
  mkdir -p "$WORK/archives"
  for image in "$@"; do
    id="$(docker image inspect -f '{{.Id}}' "$image")" || die "image $image is not in the local Docker"
    missing=() targets="$(nodes_of "$(image_role "$image")")"
    [[ -n "$targets" ]] || die "cluster '$CLUSTER' has no $(image_role "$image") node to load $image into: './deploy.sh status' shows its state"
    for node in $targets; do node_has_image "$node" "$image" "$id" || missing+=("$node"); done
    if ((${#missing[@]} == 0)); then
      log "image $image: already on its node(s)"
      continue
    fi
    log "loading $image into ${missing[*]-}"
    logs+=("$(mktemp "$WORK/archives/log.XXXXXX")")
    load_one "$image" "$(IFS=,; echo "${missing[*]-}")" "${logs[${#logs[@]} - 1]}" &
    pids+=("$!") names+=("$image")
  done
  i=0
  while ((i < ${#pids[@]})); do
    rc=0
    wait "${pids[$i]}" || rc=$?
    if ((rc != 0)); then failed+="${names[$i]}: $(cat "${logs[$i]}")"$'\n'; fi
    rm -f "${logs[$i]}"
    i=$((i + 1))
  done
  [[ -z "$failed" ]] || die "loading images into the nodes failed:"$'\n'"$failed"
  return 0
}
