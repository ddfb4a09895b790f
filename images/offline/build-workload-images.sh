#!/usr/bin/env bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# Builds the images the deployment runs, without any registry, and writes the image overrides deploy-kind.sh reads
# to $OFFLINE_CACHE/images.env (KAFKA_IMAGE, TRAEFIK_IMAGE, BUILDER_IMAGE, RUNTIME_IMAGE):
#   - the test broker image (broker/): the apache/kafka image's contract, from the Maven jars and Debian's JRE;
#   - Traefik from its Go module (OFFLINE_TRAEFIK_VERSION: the newest patch the module proxy here has);
#   - the Debian bases of the service image, which ./deploy.sh builds the way it does for users.
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
# OFFLINE_TRAEFIK_VERSION: the users' TRAEFIK_VERSION cannot be built from the module proxy (docs/decisions.md).
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
# Not built here: ./deploy.sh builds the service image as it does for users (images/service/Dockerfile, the default
# jobs), on these Debian bases: the full image to compile in, a slim one (as debian:bookworm-slim) to run on.
"$OFFLINE_DIR/debian-rootfs.sh" debian-bookworm-slim "$P/debian:bookworm-slim" "" slim >&2

{
  echo "KAFKA_IMAGE=$KAFKA_IMAGE"
  echo "TRAEFIK_IMAGE=$TRAEFIK_IMAGE"
  echo "BUILDER_IMAGE=$P/debian:bookworm"
  echo "RUNTIME_IMAGE=$P/debian:bookworm-slim"
} > "$env_file"
cat "$env_file"
