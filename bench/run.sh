#!/usr/bin/env bash
# One benchmark run against one real local 3-broker cluster: the limits (HTTP no-op, Kafka through librdkafka with kcat
# and with the services' own client settings), the services' produce and consume paths, their memory and CPU, and the
# ratios the project sets targets for (the table's target column). Prints ONE Markdown table plus the machine
# description and writes them into docs/benchmarks.md (between its bench/run.sh markers).
#
#   bench/run.sh [--duration SECONDS] [--read-limit SECONDS] [--docs FILE | --no-docs]
#
#   --duration S     length of each timed load row (wrk, vegeta, kok-kafka-produce); default 10, a run then takes
#                    about 7 min
#   --read-limit S   bound of each consume row (100k messages, or 20k for GET /{t}); default 30
#   --docs FILE      where to write the result (default docs/benchmarks.md); --no-docs only prints it
#
# Every row says whether it got the load it claims: a row that saw an unexpected status or socket error, whose
# achieved rate is under 95 % of the rate it asked for, or that did not read all its messages is marked invalid in the
# table (and left out of the ratios), and the run then exits with status 1 after printing the table.
#
# Uses its own cluster and ports (data/bench, brokers 26092-26094, services 28070/28072, gateway 28080), a release build
# (BUILD_PRESET=release), loopback only, and deletes the cluster's data at the end. Installs on demand: wrk and kcat
# (Debian packages), vegeta (Go module, into .cache/bin). Nothing here is a pass/fail test: it measures.
set -euo pipefail
# shellcheck source=../scripts/lib/common.sh
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$ROOT"

USAGE="bench/run.sh [--duration SECONDS] [--read-limit SECONDS] [--docs FILE | --no-docs]"
duration=10
read_limit=30
docs="docs/benchmarks.md"
while (($#)); do
  case "$1" in
    --duration|--read-limit|--docs)
      [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value" "$USAGE"
      case "$1" in
        --duration) duration="$2" ;;
        --read-limit) read_limit="$2" ;;
        --docs) docs="$2" ;;
      esac
      shift 2 ;;
    --no-docs) docs=""; shift ;;
    -h|--help) script_help "$0"; exit 0 ;;
    *) usage_error "unknown option: $1" "$USAGE" ;;
  esac
done
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || usage_error "--duration takes whole seconds (got '$duration')" "$USAGE"
[[ "$read_limit" =~ ^[1-9][0-9]*$ ]] || usage_error "--read-limit takes whole seconds (got '$read_limit')" "$USAGE"
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
CONSUMER="http://$HOST:$CONSUMER_PORT"
VEGETA="$ROOT/.cache/bin/vegeta"
VEGETA_VERSION=v12.13.0
KCAT_MESSAGES=200000
READ_MESSAGES=100000
TEXT_MESSAGES=20000
MIN_RATE_SHARE=95  # % of the asked rate a row must achieve to be valid
# An open-loop row starts after the cluster has been idle this long, so that it does not inherit the previous row's
# aftermath (followers catching up, log flushes, a GC): the raw-librdkafka row follows a maximum-rate row, the HTTP row
# a row at its own rate, and without the pause the comparison between them favoured the HTTP row.
SETTLE_SECONDS=5
# An open-loop row keeps its schedule only while vegeta has a free worker: at 75 % of the 64-connection produce rate,
# 64 workers fell behind (7,574 of 8,566 req/s sent) while librdkafka kept the same rate.
VEGETA_WORKERS=256
# The rate an open-loop row takes its share of is vegeta's own maximum (as fast as 64 workers go), not wrk's: vegeta
# spends more CPU per request than wrk, on the cores the services and brokers use, so 50 % of wrk's GET /{t} rate
# asked vegeta for more than it could send (11,968 of 12,656 req/s).
VEGETA_MAX_WORKERS=64
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
cmake --build --preset release --target kok-kafka-produce >/dev/null
KAFKA_PRODUCE="$ROOT/build/release/bench/kok-kafka-produce"
BOOTSTRAP="$(deploy/local/kafka.sh bootstrap)"

# The pid of a service, from the local mode's status ('producer: running (pid N)').
service_pid() {
  deploy/local/local.sh status | awk -v name="$1:" '$1 == name && $2 == "running" { gsub(/[^0-9]/, "", $4); print $4 }'
}
PRODUCER_PID="$(service_pid producer)"
CONSUMER_PID="$(service_pid consumer)"
[[ -n "$PRODUCER_PID" && -n "$CONSUMER_PID" ]] || die "the local services are not running (deploy/local/local.sh status)"
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

# --- numbers and verdicts -------------------------------------------------------------------------------------------
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

# --- results --------------------------------------------------------------------------------------------------------
# Every load tool prints one result line (bench/report.lua for wrk, bench/vegeta_summary.py for vegeta,
# kok-kafka-produce):
#   RESULT REQUESTS NON2XX SOCKET_ERRORS SENT_RATE OK_RATE P50 P99 P99.9 MAX
# rates per second, latencies in microseconds. A row keeps its line and reads what it needs with `field`.
RESULT_FIELDS="requests non2xx socket sent ok p50 p99 p999 max"
field() {  # field LINE NAME: one value of a result line
  awk -v name="$2" -v names="$RESULT_FIELDS" '
    { n = split(names, f, " "); for (i = 1; i <= n; i++) if (f[i] == name) { print $(i + 1); found = 1 } }
    END { exit !found }' <<<"$1" || die "field: no field $2 in '$1'"
}
# validity LINE [ASKED_RATE]: "valid", or "**invalid**: why" when the row saw an answer that was not 2xx, a socket
# error, or sent under MIN_RATE_SHARE % of the asked rate.
validity() {
  local why=""
  (($(field "$1" non2xx) == 0)) || why="$(field "$1" non2xx) answers not 2xx"
  (($(field "$1" socket) == 0)) || why="${why:+$why, }$(field "$1" socket) socket errors"
  if [[ -n "${2:-}" ]] && awk -v s="$(field "$1" sent)" -v a="$2" -v m="$MIN_RATE_SHARE" 'BEGIN { exit !(s < a * m / 100) }'
  then
    why="${why:+$why, }sent $(thousands "$(field "$1" sent)") of the $(thousands "$2") req/s asked"
  fi
  if [[ -z "$why" ]]; then echo valid; else echo "**invalid**: $why"; fi
}

# wrk_run URL SCRIPT CONNECTIONS: wrk for --duration; prints its result line.
wrk_run() {
  local threads=2 output
  (($3 == 1)) && threads=1
  output="$(wrk -t"$threads" -c"$3" -d"${duration}s" --timeout 10s -s "$2" "$1")" \
    || die "wrk $2 at $3 connections failed"
  printf '%s\n' "$output" | awk '/^RESULT / { print; found = 1 } END { exit !found }' \
    || die "wrk $2 at $3 connections printed no result"
}
# vegeta_run TARGETS RATE: a constant-rate attack of --duration, at most VEGETA_WORKERS; rate 0 is as fast as
# VEGETA_MAX_WORKERS go. Prints its result line.
vegeta_run() {
  local workers="$VEGETA_WORKERS"
  (($2 > 0)) || workers="$VEGETA_MAX_WORKERS"
  "$VEGETA" attack -targets="$1" -rate="$2/1s" -duration="${duration}s" -workers="$((workers < VEGETA_MAX_WORKERS ? workers : VEGETA_MAX_WORKERS))" \
    -max-workers="$workers" -timeout=30s >"$work/vegeta.bin" || die "vegeta attack failed"
  "$VEGETA" encode -to csv "$work/vegeta.bin" | bench/vegeta_summary.py || die "no vegeta results at $2 req/s"
}
# kafka_produce TOPIC window|rate N: kok-kafka-produce for --duration; prints its result line.
kafka_produce() {
  "$KAFKA_PRODUCE" "$BOOTSTRAP" "$1" "$2" "$3" "$duration" || die "kok-kafka-produce $2 $3 failed"
}
# kcat_produce TOPIC COUNT: COUNT messages of 100 B with acks=all and idempotence; prints the seconds it took.
kcat_produce() {
  local result
  awk -v n="$2" 'BEGIN { s = sprintf("%100s", ""); gsub(/ /, "x", s); for (i = 0; i < n; i++) print s }' >"$work/messages"
  result="$(timeout 300 bench/timed.py kcat -P -b "$BOOTSTRAP" -t "$1" -X enable.idempotence=true -X acks=all \
    -X linger.ms=1 <"$work/messages")" || die "kcat produce to $1 failed"
  echo "${result#* }"
}
# kcat_consume TOPIC: reads the topic from the beginning to its end; prints "COUNT SECONDS".
kcat_consume() {
  timeout 300 bench/timed.py kcat -C -b "$BOOTSTRAP" -t "$1" -o beginning -e -q || die "kcat consume of $1 failed"
}

# --- the table ------------------------------------------------------------------------------------------------------
rows=()
invalid_rows=()
# add_row NAME=VALUE...: one table row. Cells: row load rate p50 p99 p999 max cpu gc errors target validity
# (latencies in microseconds, printed in ms; validity defaults to "valid").
add_row() {
  local row="" load="" rate="" p50="" p99="" p999="" max="" cpu="" gc="" errors="" target="" validity=valid arg
  for arg in "$@"; do
    case "$arg" in
      row=*) row="${arg#*=}" ;;
      load=*) load="${arg#*=}" ;;
      rate=*) rate="${arg#*=}" ;;
      p50=*) p50="$(ms "${arg#*=}")" ;;
      p99=*) p99="$(ms "${arg#*=}")" ;;
      p999=*) p999="$(ms "${arg#*=}")" ;;
      max=*) max="$(ms "${arg#*=}")" ;;
      cpu=*) cpu="${arg#*=}" ;;
      gc=*) gc="${arg#*=}" ;;
      errors=*) errors="${arg#*=}" ;;
      target=*) target="${arg#*=}" ;;
      validity=*) validity="${arg#*=}" ;;
      *) die "add_row: unknown cell '$arg'" ;;
    esac
  done
  rows+=("| $row | $load | $rate | $p50 | $p99 | $p999 | $max | $cpu | $gc | $errors | $target | $validity |")
  [[ "$validity" == valid ]] || invalid_rows+=("$row ($load): ${validity#\*\*invalid\*\*: }")
}
# load_row LINE [ASKED_RATE] NAME=VALUE...: a row of a load tool's result line (latencies, errors, validity) plus the
# cells given.
load_row() {
  local line="$1" asked=""
  shift
  if (($#)) && [[ "$1" != *=* ]]; then asked="$1"; shift; fi
  local errors=0
  if (($(field "$line" non2xx) + $(field "$line" socket) > 0)); then
    errors="$(field "$line" non2xx) non-2xx, $(field "$line" socket) socket"
  fi
  add_row "p50=$(field "$line" p50)" "p99=$(field "$line" p99)" "p999=$(field "$line" p999)" \
    "max=$(field "$line" max)" "errors=$errors" "validity=$(validity "$line" "$asked")" "$@"
}
# keep_rate NAME RATE VALIDITY: a rate later rows and the ratios use, with the validity of the row it comes from.
keep_rate() { printf '%s %s %s\n' "$1" "$2" "$3" >>"$work/rates"; }
rate_of() { awk -v name="$1" '$1 == name { print $2; found = 1 } END { exit !found }' "$work/rates"; }
validity_of() { awk -v name="$1" '$1 == name { $1 = ""; $2 = ""; sub(/^  /, ""); print }' "$work/rates"; }
# now: wall-clock seconds, the time base of the brokers' GC logs. gc_since FROM: the brokers' stop-the-world GC pauses
# since FROM, as a cell ("N, longest X ms"): whether a tail in the row was the brokers'.
now() { date +%s.%N; }
gc_since() {
  local count longest _
  read -r count longest _ <<<"$(bench/gc_pauses.py "$1" "$(now)" "$KAFKA_LOCAL_DIR"/logs/gc-*.log)"
  echo "$count, longest $longest ms"
}
# Produce rows share one target: no answer over 250 ms.
max_target() { echo "max ≤ 250 ms: $(verdict "$(field "$1" max)" "<=" 250000)"; }

# --- limits ---------------------------------------------------------------------------------------------------------
log "limit: GET /healthz of the producer, 64 connections, ${duration}s"
line="$(wrk_run "$PRODUCER" bench/healthz.lua 64)"
keep_rate http "$(field "$line" sent)" "$(validity "$line")"
load_row "$line" row="limit: HTTP no-op \`GET /healthz\` (producer)" load="64 conn, closed-loop (wrk)" \
  rate="$(thousands "$(rate_of http)") req/s"

log "limit: kcat produce and consume of $KCAT_MESSAGES x 100 B (acks=all, idempotent, linger.ms=1)"
# Untimed produces first, one bootstrapped through each broker: a broker's first idempotent producer waits
# ("Coordinator load in progress") for the broker to be able to hand out producer ids, and fresh broker JVMs are
# slower until their produce and replication paths are compiled (the first 200k ran ~1.6x slower than the second).
warmup_topic="$(new_topic warmup)"
all_brokers="$BOOTSTRAP"
for broker in ${all_brokers//,/ }; do
  BOOTSTRAP="$broker" kcat_produce "$warmup_topic" 20000 >/dev/null
done
BOOTSTRAP="$all_brokers"
topic="$(new_topic kcat)"
seconds="$(kcat_produce "$topic" "$KCAT_MESSAGES")"
keep_rate kcat_produce "$(calc '%.1f' "$KCAT_MESSAGES / $seconds")" valid
add_row row="limit: kcat produce $(thousands "$KCAT_MESSAGES") × 100 B" load="acks=all, idempotent, linger.ms=1" \
  rate="$(thousands "$(rate_of kcat_produce)") msg/s"
read -r count seconds <<<"$(kcat_consume "$topic")"
consumed_validity=valid
((count == KCAT_MESSAGES)) || consumed_validity="**invalid**: read $count of $KCAT_MESSAGES"
keep_rate kcat_consume "$(calc '%.1f' "$count / $seconds")" "$consumed_validity"
add_row row="limit: kcat consume $(thousands "$KCAT_MESSAGES") (\`-C -e -o beginning\`)" load="one consumer" \
  rate="$(thousands "$(rate_of kcat_consume)") msg/s" validity="$consumed_validity"

# The Kafka side of the 64-connection produce row: 64 messages in flight through librdkafka with the producer service's
# own client settings, each next one sent when one is acknowledged. No HTTP.
log "limit: librdkafka with 64 messages in flight (the service's producer settings), ${duration}s"
topic="$(new_topic window)"
started="$(now)"
line="$(kafka_produce "$topic" window 64)"
keep_rate window "$(field "$line" sent)" "$(validity "$line")"
load_row "$line" row="limit: librdkafka, 64 messages in flight (closed loop, no HTTP)" \
  load="the producer service's client settings" rate="$(thousands "$(rate_of window)") msg/s" gc="$(gc_since "$started")"

# --- single-message produce, closed loop ----------------------------------------------------------------------------
topic="$(new_topic produce)"
export BENCH_TOPIC="$topic"
for conns in 1 16 64 256; do
  log "POST /message/{t}, 100 B, $conns connections, ${duration}s"
  before="$(ticks producer)" started="$(now)"
  line="$(wrk_run "$PRODUCER" bench/produce.lua "$conns")"
  after="$(ticks producer)"
  cpu=""
  if ((conns == 64)); then
    keep_rate produce64 "$(field "$line" sent)" "$(validity "$line")"
    cpu="$(cpu_per_10k "$before" "$after" "$(field "$line" requests)")"
  fi
  load_row "$line" row="produce \`POST /message/{t}\` 100 B" load="$conns conn, closed-loop (wrk)" \
    rate="$(thousands "$(field "$line" sent)") req/s" cpu="$cpu" gc="$(gc_since "$started")" target="$(max_target "$line")"
done

# --- single-message produce, open loop (constant rate), beside librdkafka at the same rate -------------------------
# open_loop_rate PCT OF_RATE: the constant rate of an open-loop row (at least 1 per second).
open_loop_rate() {
  local rate
  rate="$(calc '%.0f' "$2 * $1 / 100")"
  if ((rate >= 1)); then echo "$rate"; else echo 1; fi
}
printf '%100s' '' | tr ' ' x >"$work/body"
printf 'POST %s/message/%s\nContent-Type: text/plain\n@%s\n' "$PRODUCER" "$topic" "$work/body" >"$work/targets"
log "POST /message/{t}, as fast as $VEGETA_MAX_WORKERS vegeta workers go, ${duration}s"
started="$(now)"
line="$(vegeta_run "$work/targets" 0)"
keep_rate produce_vegeta "$(field "$line" sent)" "$(validity "$line")"
load_row "$line" row="produce \`POST /message/{t}\` 100 B" \
  load="$VEGETA_MAX_WORKERS workers, closed-loop (vegeta): the open-loop rows' 100 %" \
  rate="$(thousands "$(rate_of produce_vegeta)") req/s" gc="$(gc_since "$started")" target="$(max_target "$line")"
raw_topic="$(new_topic raw-rate)"
for pct in 25 50 75; do
  rate="$(open_loop_rate "$pct" "$(rate_of produce_vegeta)")"
  log "librdkafka at a constant $rate msg/s ($pct% of vegeta's maximum), ${duration}s"
  sleep "$SETTLE_SECONDS"
  started="$(now)"
  raw="$(kafka_produce "$raw_topic" rate "$rate")"
  load_row "$raw" "$rate" row="limit: librdkafka open-loop (no HTTP)" \
    load="constant $(thousands "$rate") msg/s = $pct% of vegeta's max, the producer service's client settings" \
    rate="$(thousands "$(field "$raw" sent)") msg/s sent, $(thousands "$(field "$raw" ok)") ok/s" gc="$(gc_since "$started")"
  log "POST /message/{t} at a constant $rate req/s, at most $VEGETA_WORKERS workers, ${duration}s"
  sleep "$SETTLE_SECONDS"
  started="$(now)"
  line="$(vegeta_run "$work/targets" "$rate")"
  target="p99 ≤ 1.5 × librdkafka's: $(verdict "$(field "$line" p99)" "<=" "$(calc '%.0f' "1.5 * $(field "$raw" p99)")")"
  target="$target; p99 ≤ 5 × p50: $(verdict "$(field "$line" p99)" "<=" "$((5 * $(field "$line" p50)))")"
  target="$target; $(max_target "$line")"
  load_row "$line" "$rate" row="produce \`POST /message/{t}\` 100 B" \
    load="constant $(thousands "$rate") req/s = $pct% of vegeta's max, open-loop (vegeta, ≤ $VEGETA_WORKERS workers)" \
    rate="$(thousands "$(field "$line" sent)") req/s sent, $(thousands "$(field "$line" ok)") ok/s" target="$target" \
    gc="$(gc_since "$started")"
done

# --- batch produce --------------------------------------------------------------------------------------------------
BENCH_TOPIC="$(new_topic batch)"
export BENCH_TOPIC
log "POST /topics/{t}/messages, 100 records x 100 B, 16 connections, ${duration}s"
started="$(now)"
line="$(wrk_run "$PRODUCER" bench/batch.lua 16)"
keep_rate batch "$(calc '%.1f' "$(field "$line" sent) * 100")" "$(validity "$line")"
load_row "$line" row="batch produce \`POST /topics/{t}/messages\` 100 × 100 B" load="16 conn, closed-loop (wrk)" \
  rate="$(thousands "$(rate_of batch)") msg/s ($(thousands "$(field "$line" sent)") req/s)" \
  target="p99 ≤ 100 ms: $(verdict "$(field "$line" p99)" "<=" 100000); $(max_target "$line")" gc="$(gc_since "$started")"

# --- consume --------------------------------------------------------------------------------------------------------
# Each read row gets a topic of its own. The consumer service opens it first with one read of the still empty topic
# (a JSON long-poll answered 204), so the row times reads rather than the consumer group's join; then kcat fills it
# with the messages of 100 B the row reads.
# open_topic T: the consumer's first read of the still empty topic T (204); prints the seconds it took.
open_topic() {
  local try opened
  for ((try = 0; try < 20; try++)); do  # a 404 while the consumer's metadata does not know the new topic yet
    opened="$(curl -sS --max-time 60 -o /dev/null -w '%{http_code} %{time_total}' -H 'Accept: application/json' \
      "$CONSUMER/consumer/$1?wait=1s&max=1")" || die "could not open $1 in the consumer"
    [[ "${opened%% *}" == 404 ]] || break
    sleep 0.5
  done
  [[ "${opened%% *}" == 204 ]] || die "the first read of the empty topic $1 answered ${opened%% *}, expected 204"
  echo "${opened#* }"
}
# filled_topic NAME-PART COUNT: a new topic the consumer has opened, holding COUNT messages of 100 B; prints
# "TOPIC OPEN_SECONDS".
filled_topic() {
  local t opened
  t="$(new_topic "$1")"
  opened="$(open_topic "$t")"
  log "filling $t with $(thousands "$2") x 100 B (kcat); the consumer opened it in $opened s"
  kcat_produce "$t" "$2" >/dev/null
  echo "$t $opened"
}
# read_row NAME RATE-NAME CLIENT COUNT: bench/CLIENT reads COUNT messages from a fresh filled topic on one
# connection; adds the row and keeps its rate (messages per second) as RATE-NAME. Exactly what the row reads is
# written: a backlog left behind would stay in the consumer's prefetch (docs/decisions.md, "Consumer prefetch") and
# count in the memory of later rows.
read_row() {
  local t opened before after messages requests seconds other load rate validity=valid
  read -r t opened <<<"$(filled_topic "$2" "$4")"
  log "$1: reading $4 messages (at most ${read_limit}s)"
  before="$(ticks consumer)"
  read -r messages requests seconds other <<<"$(bench/"$3" "$HOST" "$CONSUMER_PORT" "$t" "$4" "$read_limit")" \
    || die "bench/$3 failed"
  after="$(ticks consumer)"
  rate="$(calc '%.1f' "$messages / $seconds")"
  ((messages == $4)) || validity="**invalid**: read $(thousands "$messages") of $(thousands "$4") in the ${read_limit}s bound"
  ((other == 0)) || validity="**invalid**: $other unexpected answers"
  load="one connection, $(thousands "$messages") of $(thousands "$4") msgs in $(calc '%.2f' "$seconds") s"
  load="$load (topic opened first: $(calc '%.1f' "$opened") s)"
  add_row row="$1" load="$load" rate="$(thousands "$rate") msg/s ($(thousands "$requests") req)" \
    cpu="$(cpu_per_10k "$before" "$after" "$messages")" errors="$other" validity="$validity"
  keep_rate "$2" "$rate" "$validity"
}
read_row "consume \`GET /consumer/{t}?max=100\` JSON" json read_json.py "$READ_MESSAGES"
read_row "consume \`GET /{t}\` one by one (text)" text read_text.py "$TEXT_MESSAGES"
read_row "consume SSE \`GET /consumer/{t}/stream\`" sse read_sse.py "$READ_MESSAGES"

# Single-message reads under load: GET /{t} (one message per request, committed after each answer) at 64 connections
# (wrk), as fast as vegeta goes, then open-loop at 50% of vegeta's rate. Each row's topic holds more than the row can
# read (a closed-loop row cannot outrun the HTTP no-op rate; the open-loop row reads at most its rate), so every answer
# is a message (200): a row whose topic ran dry shows 404s and is invalid. The two closed-loop rows read one topic in
# turn: what a row leaves unread stays prefetched in the consumer until the run ends, and a third topic's worth of it
# would be counted in the consumer's peak memory.
read -r topic _ <<<"$(filled_topic read-load "$(calc '%.0f' "$(rate_of http) * $duration * 1.2 * 2")")"
export BENCH_TOPIC="$topic"
log "GET /{t}, 64 connections, ${duration}s"
before="$(ticks consumer)" started="$(now)"
line="$(wrk_run "$CONSUMER" bench/read.lua 64)"
after="$(ticks consumer)"
read64_rate="$(field "$line" sent)"
load_row "$line" row="consume \`GET /{t}\` one message per request" load="64 conn, closed-loop (wrk)" \
  rate="$(thousands "$read64_rate") req/s" cpu="$(cpu_per_10k "$before" "$after" "$(field "$line" requests)")" \
  gc="$(gc_since "$started")"
printf 'GET %s/%s\n' "$CONSUMER" "$topic" >"$work/read-targets"
log "GET /{t}, as fast as $VEGETA_MAX_WORKERS vegeta workers go, ${duration}s"
started="$(now)"
line="$(vegeta_run "$work/read-targets" 0)"
read_vegeta_rate="$(field "$line" sent)"
load_row "$line" row="consume \`GET /{t}\` one message per request" \
  load="$VEGETA_MAX_WORKERS workers, closed-loop (vegeta): the open-loop row's 100 %" \
  rate="$(thousands "$read_vegeta_rate") req/s" gc="$(gc_since "$started")"
rate="$(open_loop_rate 50 "$read_vegeta_rate")"
read -r topic _ <<<"$(filled_topic read-rate "$(calc '%.0f' "$rate * $duration * 1.2 + 1000")")"
printf 'GET %s/%s\n' "$CONSUMER" "$topic" >"$work/read-targets"
log "GET /{t} at a constant $rate req/s, at most $VEGETA_WORKERS workers, ${duration}s"
sleep "$SETTLE_SECONDS"
started="$(now)"
line="$(vegeta_run "$work/read-targets" "$rate")"
load_row "$line" "$rate" row="consume \`GET /{t}\` one message per request" \
  load="constant $(thousands "$rate") req/s = 50% of vegeta's max, open-loop (vegeta, ≤ $VEGETA_WORKERS workers)" \
  rate="$(thousands "$(field "$line" sent)") req/s sent, $(thousands "$(field "$line" ok)") ok/s" \
  target="p99 ≤ 5 × p50: $(verdict "$(field "$line" p99)" "<=" "$((5 * $(field "$line" p50)))")" \
  gc="$(gc_since "$started")"

# --- memory ---------------------------------------------------------------------------------------------------------
for svc in producer consumer; do
  if [[ "$svc" == producer ]]; then idle_kb="$idle_producer_kb"; else idle_kb="$idle_consumer_kb"; fi
  peak_kb="$(status_kb "$svc" VmHWM)"
  idle_mib="$(calc '%.1f' "$idle_kb / 1024")" peak_mib="$(calc '%.1f' "$peak_kb / 1024")"
  add_row row="RSS $svc (VmRSS idle, VmHWM peak)" load="idle before the rows; peak over the whole run" \
    rate="$idle_mib MiB idle, $peak_mib MiB peak" \
    target="≤ 20 MiB idle: $(verdict "$idle_mib" "<=" 20); ≤ 64 MiB peak: $(verdict "$peak_mib" "<=" 64)"
done

# --- ratios ---------------------------------------------------------------------------------------------------------
# ratio_row LABEL NUMERATOR DENOMINATOR [LIMIT]: rates kept by keep_rate, by name; no LIMIT, no target (the row only
# explains another). A ratio of an invalid row is invalid.
ratio_row() {
  local validity=valid r target=""
  if [[ "$(validity_of "$2")" != valid || "$(validity_of "$3")" != valid ]]; then
    validity="**invalid**: from an invalid row"
  fi
  r="$(calc '%.3f' "$(rate_of "$2") / $(rate_of "$3")")"
  [[ -z "${4:-}" ]] || target="≥ $4: $(verdict "$r" ">=" "$4")"
  add_row row="ratio: $1" load="same run" rate="$r" target="$target" validity="$validity"
}
ratio_row "produce 64 conn / HTTP no-op" produce64 http 0.30
ratio_row "produce 64 conn / librdkafka 64 in flight" produce64 window
ratio_row "batch produce / kcat produce" batch kcat_produce 0.50
ratio_row "consume JSON / kcat consume" json kcat_consume 0.50
ratio_row "SSE / consume JSON" sse json 1.00

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
  echo "| row | load | throughput | p50 ms | p99 ms | p99.9 ms | max ms | CPU s / 10k msgs | brokers' GC pauses | errors | target | valid |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' ${rows[@]+"${rows[@]}"}
  if ((${#invalid_rows[@]})); then
    echo
    echo "**Rows that did not get the load they claim** (not comparable): ${#invalid_rows[@]}"
    printf -- '- %s\n' ${invalid_rows[@]+"${invalid_rows[@]}"}
  fi
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
((${#invalid_rows[@]} == 0)) || die "rows that did not get the load they claim (marked invalid above): ${#invalid_rows[@]}"
