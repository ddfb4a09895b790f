#!/usr/bin/env bash
# One benchmark run against one real local 3-broker cluster: the limits (HTTP no-op, Kafka through librdkafka with kcat),
# the services' produce and consume paths, their memory and CPU, and the ratios the project sets targets for (the
# table's target column). Prints ONE Markdown table plus the machine description and writes them into
# docs/benchmarks.md (between its bench/run.sh markers).
#
#   bench/run.sh [--duration SECONDS] [--read-limit SECONDS] [--docs FILE | --no-docs]
#
#   --duration S     length of each timed load row (wrk, vegeta; 11 of them); default 10, a run then takes about 6 min
#   --read-limit S   bound of each consume row (100k messages, or 20k for GET /{t}); default 30
#   --docs FILE      where to write the result (default docs/benchmarks.md); --no-docs only prints it
#
# Uses its own cluster and ports (data/bench, brokers 26092-26094, services 28070/28072, gateway 28080), a release build
# (BUILD_PRESET=release), loopback only, and deletes the cluster's data at the end. Installs on demand: wrk and kcat
# (Debian packages), vegeta (Go module, into .cache/bin). Nothing here is a pass/fail test: it measures.
set -euo pipefail
# shellcheck source=../scripts/lib/common.sh
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$ROOT"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

duration=10
read_limit=30
docs="docs/benchmarks.md"
while (($#)); do
  case "$1" in
    --duration) duration="${2:-}"; shift 2 ;;
    --read-limit) read_limit="${2:-}"; shift 2 ;;
    --docs) docs="${2:-}"; shift 2 ;;
    --no-docs) docs=""; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || die "--duration takes whole seconds (got '$duration')"
[[ "$read_limit" =~ ^[1-9][0-9]*$ ]] || die "--read-limit takes whole seconds (got '$read_limit')"
if [[ -n "$docs" ]]; then
  [[ -f "$docs" ]] || die "$docs not found"
  if ! grep -q '^<!-- bench/run.sh: begin -->$' "$docs" || ! grep -q '^<!-- bench/run.sh: end -->$' "$docs"; then
    die "$docs has no '<!-- bench/run.sh: begin -->' / '<!-- bench/run.sh: end -->' lines to write between"
  fi
fi

run_started=$SECONDS
load_versions
export KAFKA_LOCAL_DIR="$ROOT/data/bench" KAFKA_LOCAL_PORT_BASE=26092 BUILD_PRESET=release SKIP_INSTALL=1
export PRODUCER_PORT=28070 CONSUMER_PORT=28072 GATEWAY_PORT=28080
HOST=127.0.0.1
PRODUCER="http://$HOST:$PRODUCER_PORT"
VEGETA="$ROOT/.cache/bin/vegeta"
VEGETA_VERSION=v12.13.0
KCAT_MESSAGES=200000
READ_MESSAGES=100000
TEXT_MESSAGES=20000
LOAD_READ_MESSAGES=400000  # enough for the 64-connection GET /{t} row and the open-loop row after it
TICKS_PER_SECOND="$(getconf CLK_TCK)"

# --- tools --------------------------------------------------------------------------------------------------------
missing=""
for tool in wrk kcat python3; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
if [[ -n "$missing" ]]; then
  log "installing$missing (Debian packages)"
  # shellcheck disable=SC2086 # one package name per word
  apt_install --no-install-recommends $missing
fi
if [[ ! -x "$VEGETA" ]]; then
  command -v go >/dev/null || die "vegeta needs Go to install (github.com/tsenart/vegeta/v12@$VEGETA_VERSION)"
  log "installing vegeta $VEGETA_VERSION into ${VEGETA%/*}"
  GOBIN="${VEGETA%/*}" GOFLAGS=-mod=mod go install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION"
fi
scripts/install-deps.sh build kafka >/dev/null

# --- the cluster and the services ---------------------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/kok-bench.XXXXXX")"
cleanup() {
  deploy/local/local.sh down --purge >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
log "starting the bench cluster and the services (release build); load average $load_at_start"
deploy/local/local.sh up >/dev/null
cmake --build --preset release --target kok-window-produce >/dev/null
WINDOW_PRODUCE="$ROOT/build/release/bench/kok-window-produce"
BOOTSTRAP="$(deploy/local/kafka.sh bootstrap)"

pid_of() { cat "$KAFKA_LOCAL_DIR/run/$1.pid"; }
PRODUCER_PID="$(pid_of producer)"
CONSUMER_PID="$(pid_of consumer)"
pid_for() { if [[ "$1" == producer ]]; then echo "$PRODUCER_PID"; else echo "$CONSUMER_PID"; fi; }
# status_kb SERVICE KEY: a /proc/PID/status field (VmRSS, VmHWM) in KiB.
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$(pid_for "$1")/status"; }
# ticks SERVICE: utime + stime of the service so far, in clock ticks (the command name is cut off before counting).
ticks() { sed 's/^.*) //' "/proc/$(pid_for "$1")/stat" | awk '{ print $12 + $13 }'; }

idle_producer_kb="$(status_kb producer VmRSS)"
idle_consumer_kb="$(status_kb consumer VmRSS)"

new_topic() {  # new_topic NAME-PART: creates a fresh topic (1 partition, RF 3, as POST /topic/{t}) and prints its name
  local t="bench-$1-$$"
  curl -fsS --max-time 30 -X POST "$PRODUCER/topic/$t" >/dev/null || die "could not create topic $t"
  echo "$t"
}

# --- formatting -----------------------------------------------------------------------------------------------------
rows=()
add_row() {  # add_row ROW LOAD THROUGHPUT P50 P99 P99.9 MAX CPU ERRORS TARGET
  local line="|" cell
  for cell in "$@"; do line="$line $cell |"; done
  rows+=("$line")
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }  # calc FORMAT EXPRESSION
# thousands: an integer with comma separators
thousands() {
  awk -v n="$1" 'BEGIN {
    n = sprintf("%.0f", n); s = ""
    while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) }
    print n s
  }'
}
ms() { calc '%.2f' "$1 / 1000"; }  # microseconds to milliseconds
errors_text() {  # errors_text NON2XX SOCKET_ERRORS
  if (($1 == 0 && $2 == 0)); then echo 0; else echo "$1 non-2xx, $2 socket"; fi
}
cpu_per_10k() {  # cpu_per_10k TICKS_BEFORE TICKS_AFTER COUNT
  if (($3 > 0)); then calc '%.2f' "($2 - $1) / $TICKS_PER_SECOND / ($3 / 10000)"; else echo "-"; fi
}
verdict() {  # verdict VALUE OP LIMIT: "met" or "missed"
  if awk -v v="$1" -v op="$2" -v l="$3" \
    'BEGIN { exit !((op == ">=" && v >= l) || (op == "<=" && v <= l) || (op == "<" && v < l)) }'; then
    echo met
  else
    echo "**missed**"
  fi
}

# --- load generators ------------------------------------------------------------------------------------------------
# wrk_run URL SCRIPT CONNECTIONS: runs wrk for --duration and sets R_REQUESTS R_NON2XX R_ERRORS R_P50 R_P99 R_MAX (us)
# and R_RATE (requests per second).
wrk_run() {
  local url="$1" script="$2" conns="$3" threads=2 line
  ((conns == 1)) && threads=1
  line="$(wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 10s -s "$script" "$url" | grep '^RESULT')" \
    || die "wrk $script at $conns connections printed no result"
  read_result "$line"
}
# read_result LINE: a "RESULT requests non2xx errors p50 p99 max duration" line (bench/report.lua, kok-window-produce)
# into R_REQUESTS R_NON2XX R_ERRORS R_P50 R_P99 R_MAX (us) and R_RATE (per second).
read_result() {
  local us
  read -r _ R_REQUESTS R_NON2XX R_ERRORS R_P50 R_P99 R_MAX us <<<"$1"
  R_RATE="$(calc '%.1f' "$R_REQUESTS / ($us / 1e6)")"
}

# kcat_produce TOPIC COUNT: COUNT messages of 100 B with acks=all and idempotence; sets K_SECONDS.
kcat_produce() {
  local result
  awk -v n="$2" 'BEGIN { s = sprintf("%100s", ""); gsub(/ /, "x", s); for (i = 0; i < n; i++) print s }' >"$work/messages"
  result="$(timeout 300 bench/timed.py kcat -P -b "$BOOTSTRAP" -t "$1" -X enable.idempotence=true -X acks=all \
    -X linger.ms=1 <"$work/messages")" || die "kcat produce to $1 failed"
  read -r _ K_SECONDS <<<"$result"
}

# kcat_consume TOPIC: reads the topic from the beginning to its end; sets K_COUNT and K_SECONDS.
kcat_consume() {
  local result
  result="$(timeout 300 bench/timed.py kcat -C -b "$BOOTSTRAP" -t "$1" -o beginning -e -q)" \
    || die "kcat consume of $1 failed"
  read -r K_COUNT K_SECONDS <<<"$result"
}

# --- limits ---------------------------------------------------------------------------------------------------------
log "limit: GET /healthz of the producer, 64 connections, ${duration}s"
wrk_run "$PRODUCER" bench/healthz.lua 64
http_limit="$R_RATE"
add_row "limit: HTTP no-op \`GET /healthz\` (producer)" "64 conn, closed-loop (wrk)" "$(thousands "$R_RATE") req/s" \
  "$(ms "$R_P50")" "$(ms "$R_P99")" "" "$(ms "$R_MAX")" "" "$(errors_text "$R_NON2XX" "$R_ERRORS")" ""

log "limit: kcat produce and consume of $KCAT_MESSAGES x 100 B (acks=all, idempotent, linger.ms=1)"
# Untimed produces first, one bootstrapped through each broker: a broker's first idempotent producer waits
# ("Coordinator load in progress") for the broker to be able to hand out producer ids, and fresh broker JVMs are
# slower until their produce and replication paths are compiled (the first 200k ran ~1.6x slower than the second).
warmup_topic="$(new_topic warmup)"
all_brokers="$BOOTSTRAP"
for broker in ${all_brokers//,/ }; do
  BOOTSTRAP="$broker" kcat_produce "$warmup_topic" 20000
done
BOOTSTRAP="$all_brokers"
topic="$(new_topic kcat)"
kcat_produce "$topic" "$KCAT_MESSAGES"
kcat_produce_rate="$(calc '%.1f' "$KCAT_MESSAGES / $K_SECONDS")"
add_row "limit: kcat produce $(thousands "$KCAT_MESSAGES") × 100 B" "acks=all, idempotent, linger.ms=1" \
  "$(thousands "$kcat_produce_rate") msg/s" "" "" "" "" "" "" ""
kcat_consume "$topic"
((K_COUNT == KCAT_MESSAGES)) || warn "kcat consumed $K_COUNT messages, expected $KCAT_MESSAGES"
kcat_consume_rate="$(calc '%.1f' "$K_COUNT / $K_SECONDS")"
add_row "limit: kcat consume $(thousands "$K_COUNT") (\`-C -e -o beginning\`)" "one consumer" \
  "$(thousands "$kcat_consume_rate") msg/s" "" "" "" "" "" "" ""

# The Kafka side of the 64-connection produce row: 64 messages in flight through librdkafka with the producer service's
# own client settings, each next one sent when one is acknowledged (bench/window_produce.cpp). No HTTP.
topic="$(new_topic window)"
log "limit: librdkafka with 64 messages in flight (the service's producer settings), ${duration}s"
line="$("$WINDOW_PRODUCE" "$BOOTSTRAP" "$topic" 64 "$duration" | grep '^RESULT')" || die "kok-window-produce failed"
read_result "$line"
window_rate="$R_RATE"
add_row "limit: librdkafka, 64 messages in flight (closed loop, no HTTP)" "the producer service's client settings" \
  "$(thousands "$window_rate") msg/s" "$(ms "$R_P50")" "$(ms "$R_P99")" "" "$(ms "$R_MAX")" "" \
  "$(errors_text "$R_NON2XX" "$R_ERRORS")" ""

# --- single-message produce, closed loop ----------------------------------------------------------------------------
topic="$(new_topic produce)"
export BENCH_TOPIC="$topic"
produce64_rate=""
for conns in 1 16 64 256; do
  log "POST /message/{t}, 100 B, $conns connections, ${duration}s"
  before="$(ticks producer)"
  wrk_run "$PRODUCER" bench/produce.lua "$conns"
  after="$(ticks producer)"
  cpu="" target=""
  if ((conns == 64)); then
    produce64_rate="$R_RATE"
    cpu="$(cpu_per_10k "$before" "$after" "$R_REQUESTS")"
  fi
  if ((conns == 1)); then
    target="no 1 s outliers (max < 1000 ms): $(verdict "$R_MAX" "<" 1000000)"
  fi
  add_row "produce \`POST /message/{t}\` 100 B" "$conns conn, closed-loop (wrk)" "$(thousands "$R_RATE") req/s" \
    "$(ms "$R_P50")" "$(ms "$R_P99")" "" "$(ms "$R_MAX")" "$cpu" "$(errors_text "$R_NON2XX" "$R_ERRORS")" "$target"
done

# --- single-message produce, open loop (constant rate) --------------------------------------------------------------
# vegeta_run TARGETS RATE: a constant-rate attack of --duration, at most 64 workers; sets V_REQUESTS V_OK V_SENT
# V_THROUGHPUT and V_P50 V_P99 V_P999 V_MAX (us).
vegeta_run() {
  local summary
  "$VEGETA" attack -targets="$1" -rate="$2/1s" -duration="${duration}s" -max-workers=64 -timeout=30s \
    >"$work/vegeta.bin" || die "vegeta attack failed"
  "$VEGETA" encode -to csv "$work/vegeta.bin" >"$work/vegeta.csv"
  summary="$(bench/vegeta_summary.py <"$work/vegeta.csv")" || die "no vegeta results at $2 req/s"
  read -r _ V_REQUESTS V_OK V_SENT V_THROUGHPUT V_P50 V_P99 V_P999 V_MAX <<<"$summary"
}
# open_loop_row LABEL TARGETS MAX_RATE PCT: vegeta at PCT% of MAX_RATE, one row (the 50% row carries the tail target).
open_loop_row() {
  local rate target=""
  rate="$(calc '%.0f' "$3 * $4 / 100")"
  ((rate >= 1)) || rate=1
  log "$1 at a constant $rate req/s ($4% of the 64-connection rate), at most 64 workers, ${duration}s"
  vegeta_run "$2" "$rate"
  if (($4 == 50)); then
    target="p99 ≤ 5 × p50: $(verdict "$V_P99" "<=" "$((5 * V_P50))")"
  fi
  add_row "$1" "constant $(thousands "$rate") req/s = $4% of 64-conn max, open-loop (vegeta, ≤ 64 workers)" \
    "$(thousands "$V_SENT") req/s sent, $(thousands "$V_THROUGHPUT") ok/s" "$(ms "$V_P50")" "$(ms "$V_P99")" \
    "$(ms "$V_P999")" "$(ms "$V_MAX")" "" "$(errors_text "$((V_REQUESTS - V_OK))" 0)" "$target"
}
printf '%100s' '' | tr ' ' x >"$work/body"
printf 'POST %s/message/%s\nContent-Type: text/plain\n@%s\n' "$PRODUCER" "$topic" "$work/body" >"$work/targets"
for pct in 25 50 75; do
  open_loop_row "produce \`POST /message/{t}\` 100 B" "$work/targets" "$produce64_rate" "$pct"
done

# --- batch produce --------------------------------------------------------------------------------------------------
topic="$(new_topic batch)"
export BENCH_TOPIC="$topic"
log "POST /topics/{t}/messages, 100 records x 100 B, 16 connections, ${duration}s"
wrk_run "$PRODUCER" bench/batch.lua 16
batch_rate="$(calc '%.1f' "$R_RATE * 100")"
add_row "batch produce \`POST /topics/{t}/messages\` 100 × 100 B" "16 conn, closed-loop (wrk)" \
  "$(thousands "$batch_rate") msg/s ($(thousands "$R_RATE") req/s)" "$(ms "$R_P50")" "$(ms "$R_P99")" "" "$(ms "$R_MAX")" \
  "" \
  "$(errors_text "$R_NON2XX" "$R_ERRORS")" ""

# --- consume --------------------------------------------------------------------------------------------------------
# Each read row gets a topic of its own. The consumer service opens it first with one read of the still empty topic
# (a JSON long-poll answered 204), so the row times reads rather than the consumer group's join; then kcat fills it
# with exactly the COUNT messages of 100 B the row reads, as above.
# open_topic T: the consumer's first read of the still empty topic T (204); sets OPENED to "CODE SECONDS".
open_topic() {
  local try
  for ((try = 0; try < 20; try++)); do  # a 404 while the consumer's metadata does not know the new topic yet
    OPENED="$(curl -sS --max-time 60 -o /dev/null -w '%{http_code} %{time_total}' -H 'Accept: application/json' \
      "http://$HOST:$CONSUMER_PORT/consumer/$1?wait=1s&max=1")" || die "could not open $1 in the consumer"
    [[ "${OPENED%% *}" == 404 ]] || break
    sleep 0.5
  done
  [[ "${OPENED%% *}" == 204 ]] || die "the first read of the empty topic $1 answered ${OPENED%% *}, expected 204"
}
# read_row LABEL CLIENT COUNT: runs bench/CLIENT against a fresh filled topic; sets C_RATE and adds the row.
read_row() {
  local label="$1" client="$2" count="$3" t before after result messages requests seconds other
  t="$(new_topic "${client%.py}")"
  open_topic "$t"
  # Exactly what the row reads: a backlog left behind would stay in the consumer's prefetch (docs/decisions.md,
  # "Consumer prefetch") and be counted in the next rows' memory.
  log "filling $t with $count x 100 B (kcat); the consumer opened it in ${OPENED#* } s"
  kcat_produce "$t" "$count"
  log "$label: reading $count messages (at most ${read_limit}s)"
  before="$(ticks consumer)"
  result="$(bench/"$client" "$HOST" "$CONSUMER_PORT" "$t" "$count" "$read_limit")" || die "bench/$client failed"
  read -r messages requests seconds other <<<"$result"
  after="$(ticks consumer)"
  C_RATE="$(calc '%.1f' "$messages / $seconds")"
  local note=""
  ((messages < count)) && note="; stopped at the ${read_limit}s bound"
  local load
  load="one connection, $(thousands "$messages") of $(thousands "$count") msgs in $(calc '%.2f' "$seconds") s$note"
  load="$load (topic opened first: $(calc '%.1f' "${OPENED#* }") s)"
  add_row "$label" "$load" "$(thousands "$C_RATE") msg/s ($(thousands "$requests") req)" "" "" "" "" \
    "$(cpu_per_10k "$before" "$after" "$messages")" \
    "$(errors_text "$other" 0)" ""
}
read_row "consume \`GET /consumer/{t}?max=100\` JSON" read_json.py "$READ_MESSAGES"
json_rate="$C_RATE"
read_row "consume \`GET /{t}\` one by one (text)" read_text.py "$TEXT_MESSAGES"
read_row "consume SSE \`GET /consumer/{t}/stream\`" read_sse.py "$READ_MESSAGES"
sse_rate="$C_RATE"

# Single-message reads under load: GET /{t} (one message per request, committed after each answer) at 64 connections,
# then open-loop at 50% of that rate. The topic holds more than both rows read, so every answer is a message (200).
topic="$(new_topic read-load)"
open_topic "$topic"
log "filling $topic with $LOAD_READ_MESSAGES x 100 B (kcat) for the single-message read rows"
kcat_produce "$topic" "$LOAD_READ_MESSAGES"
export BENCH_TOPIC="$topic"
log "GET /{t}, 64 connections, ${duration}s"
before="$(ticks consumer)"
wrk_run "http://$HOST:$CONSUMER_PORT" bench/read.lua 64
after="$(ticks consumer)"
read64_rate="$R_RATE"
add_row "consume \`GET /{t}\` one message per request" "64 conn, closed-loop (wrk)" "$(thousands "$R_RATE") req/s" \
  "$(ms "$R_P50")" "$(ms "$R_P99")" "" "$(ms "$R_MAX")" "$(cpu_per_10k "$before" "$after" "$R_REQUESTS")" \
  "$(errors_text "$R_NON2XX" "$R_ERRORS")" ""
printf 'GET http://%s:%s/%s\n' "$HOST" "$CONSUMER_PORT" "$topic" >"$work/read-targets"
open_loop_row "consume \`GET /{t}\` one message per request" "$work/read-targets" "$read64_rate" 50

# --- memory ---------------------------------------------------------------------------------------------------------
for svc in producer consumer; do
  if [[ "$svc" == producer ]]; then idle_kb="$idle_producer_kb"; else idle_kb="$idle_consumer_kb"; fi
  peak_kb="$(status_kb "$svc" VmHWM)"
  idle_mib="$(calc '%.1f' "$idle_kb / 1024")" peak_mib="$(calc '%.1f' "$peak_kb / 1024")"
  add_row "RSS $svc (VmRSS idle, VmHWM peak)" "idle before the rows; peak over the whole run" \
    "$idle_mib MiB idle, $peak_mib MiB peak" "" "" "" "" "" "" \
    "≤ 20 MiB idle: $(verdict "$idle_mib" "<=" 20); ≤ 64 MiB peak: $(verdict "$peak_mib" "<=" 64)"
done

# --- ratios ---------------------------------------------------------------------------------------------------------
ratio_row() {  # ratio_row LABEL NUMERATOR DENOMINATOR [LIMIT]: no LIMIT, no target (the row only explains another)
  local r target=""
  r="$(calc '%.3f' "$2 / $3")"
  [[ -z "$4" ]] || target="≥ $4: $(verdict "$r" ">=" "$4")"
  add_row "ratio: $1" "same run" "$r" "" "" "" "" "" "" "$target"
}
ratio_row "produce 64 conn / HTTP no-op" "$produce64_rate" "$http_limit" 0.30
ratio_row "produce 64 conn / librdkafka 64 in flight" "$produce64_rate" "$window_rate" ""
ratio_row "batch produce / kcat produce" "$batch_rate" "$kcat_produce_rate" 0.50
ratio_row "consume JSON / kcat consume" "$json_rate" "$kcat_consume_rate" 0.50
ratio_row "SSE / consume JSON" "$sse_rate" "$json_rate" 1.00

# --- output ---------------------------------------------------------------------------------------------------------
if commit="$(git rev-parse --short HEAD 2>/dev/null)"; then
  changes="$(git status --porcelain --untracked-files=no -- . ':(exclude)docs/benchmarks.md')"
  [[ -z "$changes" ]] || commit="$commit (with uncommitted changes)"
else
  commit="unknown (not a git checkout)"
fi
cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
memory="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
machine="$(nproc) cores (${cpu_model:-unknown CPU}), $memory RAM, Debian $(cat /etc/debian_version 2>/dev/null || echo '?'),"
machine="$machine Linux $(uname -r); load average $load_at_start at the start."
librdkafka="$(dpkg-query -W -f='${Version}' librdkafka1 2>/dev/null || echo '?')"
{
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, ${duration} s per load row"
  echo
  echo "Machine: $machine The three broker JVMs, both services and the load tools share these cores."
  echo "Kafka $KAFKA_VERSION (3 KRaft nodes, RF 3, min.insync.replicas 2), librdkafka $librdkafka," \
    "services built RelWithDebInfo (release preset)."
  echo "The run took $(since "$run_started") up to this table (bench/run.sh --duration $duration --read-limit $read_limit)."
  echo
  echo "| row | load | throughput | p50 ms | p99 ms | p99.9 ms | max ms | CPU s / 10k msgs | errors | target |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' ${rows[@]+"${rows[@]}"}
} >"$work/result.md"

echo
cat "$work/result.md"
if [[ -n "$docs" ]]; then
  awk -v result="$work/result.md" '
    $0 == "<!-- bench/run.sh: end -->" { while ((getline line < result) > 0) print line; print ""; skip = 0 }
    !skip { print }
    $0 == "<!-- bench/run.sh: begin -->" { print ""; skip = 1 }
  ' "$docs" >"$work/docs.md"
  cat "$work/docs.md" >"$docs"
  log "wrote $docs"
fi
