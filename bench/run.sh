#!/usr/bin/env bash
# Latency, throughput and memory of the two services against a real local 3-broker cluster, printed as a Markdown table.
#   bench/run.sh [--duration SECONDS]    (default 10 s per row)
# Uses its own cluster and ports (data/bench, brokers 26092-26094, services 28070/28072) and a release build; needs wrk
# (Debian package, installed on demand). Nothing here is a pass/fail test: it measures.
set -euo pipefail
# shellcheck source=../scripts/lib/common.sh
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$ROOT"

duration=10
while (($#)); do
  case "$1" in
    --duration) [[ $# -ge 2 ]] || usage_error "--duration needs seconds" "bench/run.sh [--duration SECONDS]"; duration="$2"; shift 2 ;;
    -h|--help) script_help "$0"; exit 0 ;;
    *) usage_error "unknown option: $1" "bench/run.sh [--duration SECONDS]" ;;
  esac
done

export KAFKA_LOCAL_DIR="$ROOT/data/bench" KAFKA_LOCAL_PORT_BASE=26092 BUILD_PRESET=release SKIP_INSTALL=1
export PRODUCER_PORT=28070 CONSUMER_PORT=28072 GATEWAY_PORT=28080
command -v wrk >/dev/null || apt_install wrk
scripts/install-deps.sh build kafka >/dev/null
deploy/local/local.sh up >/dev/null
trap 'deploy/local/local.sh down --purge >/dev/null 2>&1 || true' EXIT

rss_kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$(<"$KAFKA_LOCAL_DIR/run/$1.pid")/status"; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

topic="bench-$(date +%s)"
curl -fsS -X POST "http://127.0.0.1:$PRODUCER_PORT/topic/$topic" >/dev/null
export BENCH_TOPIC="$topic"
idle_producer="$(rss_kb producer VmRSS)"
idle_consumer="$(rss_kb consumer VmRSS)"

rows=()
run() {  # run LABEL URL SCRIPT CONNECTIONS
  local label="$1" url="$2" script="$3" conns="$4" threads=2 line
  ((conns == 1)) && threads=1
  line="$(wrk -t"$threads" -c"$conns" -d"${duration}s" -s "$script" "$url" | grep '^RESULT')"
  read -r _ requests non2xx errors p50 p99 micros <<<"$line"
  rows+=("$(awk -v l="$label" -v c="$conns" -v r="$requests" -v n="$non2xx" -v e="$errors" -v p50="$p50" -v p99="$p99" -v us="$micros" \
    'BEGIN { printf "| %s | %d | %.0f | %.2f | %.2f | %d | %d |", l, c, r / (us / 1e6), p50 / 1000, p99 / 1000, n, e }')")
}

log "producing (POST /message/{t}, 100-byte bodies), ${duration}s per row"
run "POST /message/{t}" "http://127.0.0.1:$PRODUCER_PORT" bench/produce.lua 1
run "POST /message/{t}" "http://127.0.0.1:$PRODUCER_PORT" bench/produce.lua 64
loaded_producer="$(rss_kb producer VmHWM)"

# Each read row gets a topic of its own, filled beforehand with more messages than it can read in its time, so the
# row measures reads of messages that exist (404s would measure the empty-topic wait instead).
fill() {  # fill TOPIC: 64 connections writing for twice the row duration
  curl -fsS -X POST "http://127.0.0.1:$PRODUCER_PORT/topic/$1" >/dev/null
  BENCH_TOPIC="$1" wrk -t2 -c64 -d"$((2 * duration))s" -s bench/produce.lua "http://127.0.0.1:$PRODUCER_PORT" >/dev/null
}
log "consuming (GET /{t}), ${duration}s per row, each from a topic filled for $((2 * duration))s first"
for conns in 1 64; do
  export BENCH_TOPIC="$topic-read-$conns"
  fill "$BENCH_TOPIC"
  run "GET /{t}" "http://127.0.0.1:$CONSUMER_PORT" bench/consume.lua "$conns"
done
loaded_consumer="$(rss_kb consumer VmHWM)"

echo
echo "| request | connections | req/s | p50 ms | p99 ms | non-2xx | socket errors |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' ${rows[@]+"${rows[@]}"}
echo
echo "| service | RSS idle MiB | RSS peak under load MiB |"
echo "|---|---|---|"
echo "| producer | $(mib "$idle_producer") | $(mib "$loaded_producer") |"
echo "| consumer | $(mib "$idle_consumer") | $(mib "$loaded_consumer") |"
echo
echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); brokers, services and wrk share them."
