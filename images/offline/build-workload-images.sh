#!/usr/bin/env bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# Builds the images the deployment runs, without any registry, and writes the image overrides deploy-kind.sh reads
# to $OFFLINE_CACHE/images.env (KAFKA_IMAGE, TRAEFIK_IMAGE, SERVICE_IMAGE, BUILDER_IMAGE, RUNTIME_IMAGE):
#   - the test broker image (broker/): the apache/kafka image's contract, from the Maven jars and Debian's JRE;
#   - Traefik from its Go module (OFFLINE_TRAEFIK_VERSION: the newest patch the module proxy here has);
#   - the one service image (both binaries, images/service/Dockerfile) on the imported Debian base, one compile
#     job, unless SERVICE_IMAGE names an image that exists already (then that one is used as it is).
# Idempotent: every image is tagged with a hash of its inputs and reused when present.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
# shellcheck source=images/offline/lib.sh
source "$ROOT/images/offline/lib.sh"
load_versions
ensure_docker_client

P="$OFFLINE_IMAGE_PREFIX"
env_file="$OFFLINE_CACHE/images.env"

# ------------------------------------------------------------------------------------------------ Debian bases
"$OFFLINE_DIR/debian-rootfs.sh" debian-bookworm "$P/debian:bookworm" >&2
# Debian's JRE 17 (Kafka 4 brokers need Java 17+); bash and coreutils serve the readiness probe.
"$OFFLINE_DIR/debian-rootfs.sh" kafka-runtime "$P/kafka-runtime:bookworm" openjdk-17-jre-headless,bash,procps >&2

# ------------------------------------------------------------------------------------------------------ broker
libs="$ROOT/.cache/kafka/$KAFKA_VERSION/libs"
if [[ ! -f "$libs/kafka_2.13-$KAFKA_VERSION.jar" ]]; then
  log "Kafka $KAFKA_VERSION jars: fetching from Maven Central (scripts/install-deps.sh kafka)"
  "$ROOT/scripts/install-deps.sh" kafka >&2
fi
[[ -f "$libs/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "Kafka jars not found in $libs"
broker_hash="$(inputs_hash "$OFFLINE_DIR/broker" "$libs" "$(docker image inspect -f '{{.Id}}' "$P/kafka-runtime:bookworm")")"
KAFKA_IMAGE="$P/kafka:$KAFKA_VERSION-${broker_hash:0:12}"
if image_exists "$KAFKA_IMAGE"; then
  log "image $KAFKA_IMAGE: cached"
else
  log "image $KAFKA_IMAGE: building (apache/kafka contract, Maven jars, Debian JRE)"
  ctx="$(mktemp -d)"
  cp -r "$OFFLINE_DIR/broker/docker" "$OFFLINE_DIR/broker/Dockerfile" "$ctx/"
  cp -r "$libs" "$ctx/libs"
  DOCKER_BUILDKIT=1 heavy docker build -q --build-arg "RUNTIME_IMAGE=$P/kafka-runtime:bookworm" -t "$KAFKA_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

# ----------------------------------------------------------------------------------------------------- Traefik
# Not TRAEFIK_VERSION (the users' pin): that release is not on the module proxy this host reaches (docs/decisions.md).
traefik_version="${OFFLINE_TRAEFIK_VERSION:-$TRAEFIK_VERSION}"
"$OFFLINE_DIR/build-go-module.sh" traefik github.com/traefik/traefik/v3 "$traefik_version" \
  github.com/traefik/traefik/v3/cmd/traefik "-X github.com/traefik/traefik/v3/pkg/version.Version=$traefik_version" >&2
traefik_hash="$(inputs_hash "$OFFLINE_CACHE/bin/traefik" "$0")"
TRAEFIK_IMAGE="$P/traefik:$traefik_version-${traefik_hash:0:12}"
if image_exists "$TRAEFIK_IMAGE"; then
  log "image $TRAEFIK_IMAGE: cached"
else
  log "image $TRAEFIK_IMAGE: building"
  ctx="$(mktemp -d)"
  cp "$OFFLINE_CACHE/bin/traefik" "$ctx/traefik"
  # As the official image: the binary is the entry point, so a pod's args are Traefik's flags. Static: no base.
  printf 'FROM scratch\nCOPY traefik /usr/local/bin/traefik\nENTRYPOINT ["/usr/local/bin/traefik"]\n' > "$ctx/Dockerfile"
  DOCKER_BUILDKIT=1 docker build -q -t "$TRAEFIK_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

# ----------------------------------------------------------------------------------------------------- services
# Built here (rather than by deploy-kind.sh) to keep the compile on one job: this machine is shared. Same
# Dockerfile, same build arguments deploy-kind.sh would pass; one image holds both services.
service_image_line=""
if [[ -f "$ROOT/images/service/Dockerfile" && -d "$ROOT/services/producer" && -d "$ROOT/services/consumer" ]]; then
  src_hash="$(cd "$ROOT" && { git ls-files -s -- CMakeLists.txt CMakePresets.json cmake libs services images/service
                                 git diff HEAD -- CMakeLists.txt CMakePresets.json cmake libs services images/service; } | sha256sum | cut -c1-12)"
  image="$P/service:$src_hash"
  if [[ -n "${SERVICE_IMAGE:-}" ]]; then
    # Given by the caller (as deploy-kind.sh accepts it): used as it is, not built.
    image="$SERVICE_IMAGE"
    image_exists "$image" || die "SERVICE_IMAGE=$image: no such image in the local Docker"
    log "image $image: given by SERVICE_IMAGE"
  elif image_exists "$image"; then
    log "image $image: cached"
  else
    log "image $image: building images/service/Dockerfile (both services, one compile job)"
    start=$SECONDS
    DOCKER_BUILDKIT=1 heavy docker build -q -f "$ROOT/images/service/Dockerfile" \
      --build-arg "BUILDER_IMAGE=$P/debian:bookworm" --build-arg "RUNTIME_IMAGE=$P/debian:bookworm" \
      --build-arg JOBS=1 -t "$image" "$ROOT" >/dev/null
    log "image $image: built in $((SECONDS - start))s, $(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
  fi
  service_image_line="SERVICE_IMAGE=$image"
else
  warn "images/service/Dockerfile or the services are not in the tree yet: deploy-kind.sh will build them"
fi

{
  echo "KAFKA_IMAGE=$KAFKA_IMAGE"
  echo "TRAEFIK_IMAGE=$TRAEFIK_IMAGE"
  echo "BUILDER_IMAGE=$P/debian:bookworm"
  echo "RUNTIME_IMAGE=$P/debian:bookworm"
  if [[ -n "$service_image_line" ]]; then echo "$service_image_line"; fi
} > "$env_file"
cat "$env_file"
