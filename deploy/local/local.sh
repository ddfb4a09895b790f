#!/usr/bin/env bash
# The local run mode: no Docker, no Kubernetes. Three broker JVMs on loopback (deploy/local/kafka.sh), the producer
# and consumer services built from this tree, and an nginx gateway with the Ingress's routes. Linux only (Debian or
# Ubuntu, WSL 2 included): on macOS use ./deploy.sh (kind); down and status work on any host.
#
#   deploy/local/local.sh up [--gateway-port P]   build if needed, start what is not running, print the URLs
#   deploy/local/local.sh down [--purge]          stop everything; --purge also deletes the Kafka data
#   deploy/local/local.sh down --keep-kafka       stop the gateway and the services only
#   deploy/local/local.sh status                  what runs; 'gateway: URL' and 'bootstrap: ...' lines
#
# Environment: GATEWAY_PORT (8080), PRODUCER_PORT (8070), CONSUMER_PORT (8072), BUILD_PRESET (release) or BUILD_DIR
# (an existing build tree; then nothing is built), KAFKA_LOCAL_DIR / KAFKA_LOCAL_PORT_BASE (see deploy/local/kafka.sh),
# SKIP_INSTALL=1 to skip scripts/install-deps.sh.
set -euo pipefail
# shellcheck source=../../scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"

DIR="${KAFKA_LOCAL_DIR:-$ROOT/data/local}"
RUN_DIR="$DIR/run"
LOG_DIR="$DIR/logs"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
PRODUCER_PORT="${PRODUCER_PORT:-8070}"
CONSUMER_PORT="${CONSUMER_PORT:-8072}"
BUILD_PRESET="${BUILD_PRESET:-release}"
PREBUILT=false
[[ -n "${BUILD_DIR:-}" ]] && PREBUILT=true
BUILD_DIR="${BUILD_DIR:-$ROOT/build/$BUILD_PRESET}"
KAFKA="$ROOT/deploy/local/kafka.sh"
SERVICES=(producer consumer)

usage() { script_help "$0"; }
USAGE="./deploy.sh [up|down|status] --local [--gateway-port P] [--purge] [--keep-kafka]"

# The local mode installs Debian packages and runs its processes the Linux way (setsid, /proc): refuse any other host
# before anything is installed, built or created. down and status still work there (they need neither).
require_linux() {
  local os
  os="$(uname -s)"
  [[ "$os" == Linux ]] && return 0
  die "the local mode (./deploy.sh --local) runs on Linux only, and this host is $os. On macOS use ./deploy.sh (kind, with Docker Desktop or Colima); on Windows use ./deploy.sh --local inside WSL 2."
}

service_port() { if [[ "$1" == producer ]]; then echo "$PRODUCER_PORT"; else echo "$CONSUMER_PORT"; fi; }
service_bin()  { echo "$BUILD_DIR/services/$1/kok-$1"; }

# The pid recorded for $1 (a service name or 'gateway') when that process is still the one we started.
running_pid() {
  local f="$RUN_DIR/$1.pid" pid
  [[ -f "$f" ]] || return 1
  pid="$(<"$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

build_services() {
  local svc missing=false
  if $PREBUILT; then
    for svc in ${SERVICES[@]+"${SERVICES[@]}"}; do [[ -x "$(service_bin "$svc")" ]] || die "$(service_bin "$svc") not found (BUILD_DIR=$BUILD_DIR)"; done
    return
  fi
  for svc in ${SERVICES[@]+"${SERVICES[@]}"}; do [[ -x "$(service_bin "$svc")" ]] || missing=true; done
  # Always let the build system decide what is stale; it is quick when nothing changed.
  log "building the services (preset $BUILD_PRESET)"
  if $missing || [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
    cmake --preset "$BUILD_PRESET" >/dev/null
  fi
  cmake --build --preset "$BUILD_PRESET" --target kok-producer kok-consumer
}

wait_http() {
  local url="$1" what="$2" log_file="$3" i
  for ((i = 0; i < 300; i++)); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$what did not become ready at $url in 30s; see $log_file"
}

start_service() {
  local svc="$1" port pid bootstrap
  port="$(service_port "$svc")"
  if pid="$(running_pid "$svc")"; then log "$svc: running (pid $pid)"; return; fi
  port_open "$port" && die "port $port ($svc) is already in use by another process; set $(upper "$svc")_PORT=<port>"
  bootstrap="$("$KAFKA" bootstrap)"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  # setsid (Linux) keeps the service out of the caller's process group; macOS has none, nohup suffices there.
  local launch=(nohup)
  if command -v setsid >/dev/null 2>&1; then launch=(setsid nohup); fi
  HTTP_PORT="$port" KAFKA_BOOTSTRAP_SERVERS="$bootstrap" \
    ${launch[@]+"${launch[@]}"} "$(service_bin "$svc")" >>"$LOG_DIR/$svc.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$svc.pid"
  wait_http "http://127.0.0.1:$port/readyz" "$svc" "$LOG_DIR/$svc.log"
  log "$svc: started on http://127.0.0.1:$port (log $LOG_DIR/$svc.log)"
}

start_gateway() {
  local pid conf="$RUN_DIR/nginx.conf"
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || die "nginx not found: run scripts/install-deps.sh (Debian package nginx-light)"
  if pid="$(running_pid gateway)"; then log "nginx gateway already running (pid $pid)"; return; fi
  port_open "$GATEWAY_PORT" && die "port $GATEWAY_PORT (gateway) is already in use by another process; use --gateway-port <port>"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LOG_DIR@|$LOG_DIR|g" -e "s|@GATEWAY_PORT@|$GATEWAY_PORT|g" \
      -e "s|@PRODUCER_PORT@|$PRODUCER_PORT|g" -e "s|@CONSUMER_PORT@|$CONSUMER_PORT|g" \
      "$ROOT/deploy/local/gateway/nginx.conf.template" >"$conf"
  PATH="$PATH:/usr/sbin" nginx -p "$RUN_DIR" -c "$conf" -e "$LOG_DIR/gateway-error.log"
  # nginx daemonizes and writes its own pid file; the gateway pid file is that one.
  ln -sf "$RUN_DIR/nginx.pid" "$RUN_DIR/gateway.pid"
  echo "$GATEWAY_PORT" >"$RUN_DIR/gateway.port"  # for status: the port this gateway was started on
  wait_http "http://127.0.0.1:$GATEWAY_PORT/healthz" "gateway" "$LOG_DIR/gateway-error.log"
  log "gateway: started on http://localhost:$GATEWAY_PORT"
}

stop_pid() {
  local name="$1" pid i
  pid="$(running_pid "$name")" || { rm -f "$RUN_DIR/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { warn "$name did not stop in 30s; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  rm -f "$RUN_DIR/$name.pid"
  log "$name: stopped"
}

walkthrough() {
  local url="http://localhost:$GATEWAY_PORT"
  cat <<EOT

gateway: $url
bootstrap: $("$KAFKA" bootstrap)

Try it:
  curl -X POST $url/topic/primertopico
  curl -X POST $url/message/primertopico -d "Primer mensaje enviado"
  curl $url/primertopico
  curl $url/topics/primertopico
  curl -H 'Accept: application/json' "$url/consumer/primertopico?wait=5s&max=10"
  curl -N $url/consumer/primertopico/stream
API: $url/openapi.yaml    Stop: ./deploy.sh down --local
EOT
}

cmd_up() {
  require_linux
  while (($#)); do
    case "$1" in
      --gateway-port) [[ $# -ge 2 ]] || usage_error "--gateway-port needs a port" "$USAGE"; GATEWAY_PORT="$2"; shift 2 ;;
      --gateway-port=*) GATEWAY_PORT="${1#*=}"; shift ;;
      *) usage_error "unknown option for up: $1" "$USAGE" ;;
    esac
  done
  [[ "${SKIP_INSTALL:-0}" == 1 ]] || "$ROOT/scripts/install-deps.sh" build kafka
  build_services
  "$KAFKA" up >/dev/null
  local svc
  for svc in ${SERVICES[@]+"${SERVICES[@]}"}; do start_service "$svc"; done
  start_gateway
  walkthrough
}

cmd_down() {
  local svc keep_kafka=false kafka_args=()
  while (($#)); do
    case "$1" in
      --keep-kafka) keep_kafka=true ;;
      --purge) kafka_args+=(--purge) ;;
      *) usage_error "unknown option for down: $1" "$USAGE" ;;
    esac
    shift
  done
  local running=false
  for svc in gateway ${SERVICES[@]+"${SERVICES[@]}"}; do
    if running_pid "$svc" >/dev/null; then running=true; fi
  done
  stop_pid gateway
  for svc in ${SERVICES[@]+"${SERVICES[@]}"}; do stop_pid "$svc"; done
  $running || log "gateway and services: none was running"
  if $keep_kafka; then return; fi
  "$KAFKA" down ${kafka_args[@]+"${kafka_args[@]}"}
}

cmd_status() {
  local name pid
  for name in gateway ${SERVICES[@]+"${SERVICES[@]}"}; do
    # The gateway's process line is 'nginx: ...': the one 'gateway:' line is its URL, below.
    local label="$name"
    [[ "$name" == gateway ]] && label=nginx
    if pid="$(running_pid "$name")"; then echo "$label: running (pid $pid)"; else echo "$label: stopped"; fi
  done
  "$KAFKA" status | grep -v '^bootstrap:'
  local port="$GATEWAY_PORT"
  if running_pid gateway >/dev/null && [[ -f "$RUN_DIR/gateway.port" ]]; then port="$(<"$RUN_DIR/gateway.port")"; fi
  echo "gateway: http://localhost:$port"
  echo "bootstrap: $("$KAFKA" bootstrap)"
}

main() {
  local cmd="${1:-up}"
  (($#)) && shift
  case "$cmd" in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) (($# == 0)) || usage_error "status takes no options: $*" "$USAGE"; cmd_status ;;
    -h|--help|help) usage ;;
    *) usage_error "unknown command: $cmd" "$USAGE" ;;
  esac
}

main "$@"
