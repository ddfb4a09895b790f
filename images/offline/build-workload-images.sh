#!/usr/bin/env bash
# Builds the images the deployment runs, without any registry, and writes the image overrides deploy-kind.sh reads
# to $OFFLINE_CACHE/images.env (KAFKA_IMAGE, TRAEFIK_IMAGE, PRODUCER_IMAGE, CONSUMER_IMAGE, BUILDER_IMAGE,
# RUNTIME_IMAGE):
#   - the test broker image (broker/): the apache/kafka image's contract, from the Maven jars and Debian's JRE;
#   - Traefik from its Go module;
#   - the producer and consumer from their own Dockerfile (images/service/Dockerfile) on the imported Debian base,
#     unless PRODUCER_IMAGE / CONSUMER_IMAGE name images that exist already (then those are used as they are).
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
"$OFFLINE_DIR/build-go-module.sh" traefik github.com/traefik/traefik/v3 "$TRAEFIK_VERSION" \
  github.com/traefik/traefik/v3/cmd/traefik "-X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" >&2
traefik_hash="$(inputs_hash "$OFFLINE_CACHE/bin/traefik" "$0")"
TRAEFIK_IMAGE="$P/traefik:$TRAEFIK_VERSION-${traefik_hash:0:12}"
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
# Dockerfile, same build arguments deploy-kind.sh would pass.
service_images=()
if [[ -f "$ROOT/images/service/Dockerfile" && -d "$ROOT/services/producer" && -d "$ROOT/services/consumer" ]]; then
  src_hash="$(cd "$ROOT" && { git ls-files -s -- CMakeLists.txt CMakePresets.json cmake libs services images/service
                                 git diff HEAD -- CMakeLists.txt CMakePresets.json cmake libs services images/service; } | sha256sum | cut -c1-12)"
  for service in producer consumer; do
    override="$(tr '[:lower:]' '[:upper:]' <<<"$service")_IMAGE"
    image="$P/$service:$src_hash"
    if [[ -n "${!override:-}" ]]; then
      # Given by the caller (as deploy-kind.sh accepts it): used as it is, not built.
      image="${!override}"
      image_exists "$image" || die "$override=$image: no such image in the local Docker"
      log "image $image: given by $override"
    elif image_exists "$image"; then
      log "image $image: cached"
    else
      log "image $image: building images/service/Dockerfile (SERVICE=$service, one compile job)"
      DOCKER_BUILDKIT=1 docker build -q -f "$ROOT/images/service/Dockerfile" --build-arg "SERVICE=$service" \
        --build-arg "BUILDER_IMAGE=$P/debian:bookworm" --build-arg "RUNTIME_IMAGE=$P/debian:bookworm" \
        --build-arg JOBS=1 -t "$image" "$ROOT" >/dev/null
    fi
    service_images+=("$(tr '[:lower:]' '[:upper:]' <<<"$service")_IMAGE=$image")
  done
else
  warn "images/service/Dockerfile or the services are not in the tree yet: deploy-kind.sh will build them"
fi

{
  echo "KAFKA_IMAGE=$KAFKA_IMAGE"
  echo "TRAEFIK_IMAGE=$TRAEFIK_IMAGE"
  echo "BUILDER_IMAGE=$P/debian:bookworm"
  echo "RUNTIME_IMAGE=$P/debian:bookworm"
  printf '%s\n' "${service_images[@]}"
} > "$env_file"
cat "$env_file"
