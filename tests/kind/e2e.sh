#!/usr/bin/env bash
# End-to-end checks against the deployment on kind, through the Ingress (real HTTP to the real services, real
# brokers). Called by tests/kind/run.sh after ./deploy.sh; can be run alone against a running cluster:
#
#   HTTP_PORT=80 tests/kind/e2e.sh [CHECK...]       checks: walkthrough replication logging routes volumes
#                                                   producer_replicas failover auth persistence
#
# Environment: KIND_CLUSTER_NAME (kok-test), HTTP_PORT, or KIND_GATEWAY_URL (the Ingress's URL when no host port serves
# it, e.g. a port-forward) and KIND_GATEWAY_TLS_URL (the same on Traefik's TLS port, for 'auth'); EXPECT_STORAGE_CLASS
# (kok-host-data) for 'volumes'; EXPECT_AUTH=basic when the gateway asks for credentials (the cloud overlay): every
# request then carries those of the Secret traefik/api-credentials, and 'auth' checks that none gets in without them.
#
# 'persistence' runs ./deploy.sh down (with DOWN_ARGS) and ./deploy.sh up again (with DEPLOY_ARGS), so it goes last.
# Prints one line per check and ends with 'N passed, N failed'; exit status 1 when anything failed.
set -uo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$ROOT" || exit 1

URL="${KIND_GATEWAY_URL:-http://localhost:${HTTP_PORT:-80}}"
CONTEXT="kind-${KIND_CLUSTER_NAME:-kok-test}"
NS=kok
RUN_ID="$(date +%s)"
passed=0
failed=0
failures=()

kc() { kubectl --context "$CONTEXT" "$@"; }
ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$*"; }
fail() { failed=$((failed + 1)); failures+=("$*"); printf '  FAIL  %s\n' "$*"; }
check() {  # check DESCRIPTION COMMAND...: ok when the command succeeds
  local what="$1"
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

# Small predicates for check (each prints what it saw when it fails).
is() { [[ "$1" == "$2" ]] || { echo "    expected '$2', got '${1:0:300}'" >&2; return 1; }; }
# shellcheck disable=SC2053 # the pattern is meant as a glob
matches() { [[ "$1" == $2 ]] || { echo "    '${1:0:300}' does not match '$2'" >&2; return 1; }; }
contains() { grep -qF -- "$2" <<<"$1" || { echo "    '$2' not found in '${1:0:300}'" >&2; return 1; }; }
json_is() { is "$(jq -c "$2" <<<"$1" 2>/dev/null)" "$3"; }  # json_is JSON FILTER EXPECTED
differs() { [[ "$1" != "$2" ]] || { echo "    unchanged: '$1'" >&2; return 1; }; }
pod_ready() { kc -n "$NS" wait --for=condition=Ready "pod/$1" --timeout=300s >/dev/null; }
delete_pod() { kc -n "$NS" delete pod "$1" --wait=false >/dev/null; }
rolled_out() { kc -n "$NS" rollout status "$1" --timeout=180s >/dev/null; }
header_has() { grep -qiE "$1" <<<"$HEADERS" || { echo "    no header matching '$1'" >&2; return 1; }; }

# http METHOD PATH [CURL ARGS...]: sets STATUS and BODY (and HEADERS).
http() {
  local method="$1" path="$2" tmp
  shift 2
  tmp="$(mktemp)"
  # curl prints the status even when it stops at --max-time (an event stream never ends by itself). AUTH: a curl
  # config with the credentials, if any (a file, so that no password shows on a command line).
  STATUS="$(curl -sS -K "$AUTH" -o "$tmp.body" -D "$tmp.headers" -w '%{http_code}' --max-time 30 -X "$method" "$@" \
    "$URL$path" 2>/dev/null)"
  [[ "$STATUS" =~ ^[1-5][0-9][0-9]$ ]] || STATUS=000
  BODY="$(cat "$tmp.body" 2>/dev/null)"
  HEADERS="$(cat "$tmp.headers" 2>/dev/null)"
  rm -f "$tmp" "$tmp.body" "$tmp.headers"
}
expect_status() {  # expect_status WANTED...: true when STATUS is one of them
  local s
  for s in "$@"; do [[ "$STATUS" == "$s" ]] && return 0; done
  echo "    got HTTP $STATUS: ${BODY:0:300}" >&2
  return 1
}

wait_ready() {  # the Ingress answers and both services are ready
  local i
  for i in $(seq 60); do
    http GET /healthz
    [[ "$STATUS" == 200 ]] && return 0
    sleep 2
  done
  return 1
}

# The seconds a 503 asks to wait (Retry-After), 2 when it names none, at most 10.
retry_after() {
  local s
  s="$(awk 'tolower($0) ~ /^retry-after:/ { print; exit }' <<<"$HEADERS" | tr -dc '0-9')"
  s="${s:-2}"
  ((s <= 10)) || s=10
  echo "$s"
}
# create_topic TOPIC: creates it through the seed route and asserts 200/201. While a broker restarts, the answer may be
# 503 (too few brokers right now, with Retry-After) or 504 (no answer in time; the creation may still complete): the
# seed route answers 200 for a topic that exists, so asking again, as a client should, is safe. Up to about a minute.
create_topic() {
  local i
  for i in $(seq 1 20); do
    http POST "/topic/$1"
    [[ "$STATUS" == 503 || "$STATUS" == 504 ]] || break
    echo "    POST /topic/$1: HTTP $STATUS (${BODY:0:200}); asking again" >&2
    sleep "$(retry_after)"
  done
  expect_status 200 201
}
# produce_in_background TOPIC PREFIX N ACKED: N sends (PREFIX-1 ... PREFIX-N, one every 50 ms) in a background job
# ($! is its pid); each one answered 200 is appended to ACKED, any answer other than 200/201 (acknowledged) or
# 503/504 (refused or timed out while a broker or producer fails) to ACKED.unexpected as 'VALUE STATUS' (000: no
# answer at all).
produce_in_background() {
  local t="$1" prefix="$2" n="$3" acked="$4"
  : > "$acked"
  : > "$acked.unexpected"
  (
    local i status
    for i in $(seq 1 "$n"); do
      status="$(curl -s -K "$AUTH" -o /dev/null -w '%{http_code}' --max-time 20 -X POST --data-binary "$prefix-$i" \
        "$URL/message/$t")"
      case "$status" in
        200|201) echo "$prefix-$i" >> "$acked" ;;
        503|504) ;;
        *) echo "$prefix-$i $status" >> "$acked.unexpected" ;;
      esac
      sleep 0.05
    done
  ) &
}
# no_unexpected ACKED: produce_in_background's sends got no answer other than 200, 201, 503 or 504.
no_unexpected() { is "$(tr '\n' ' ' <"$1.unexpected")" ""; }
# read_back TOPIC OUT: reads TOPIC through the consumer (JSON batches) until it has nothing more; values into OUT.
read_back() {
  local t="$1" out="$2" i
  : > "$out"
  for i in $(seq 1 60); do
    http GET "/consumer/$t?wait=2s&max=500" -H 'Accept: application/json'
    [[ "$STATUS" == 204 ]] && break
    [[ "$STATUS" == 200 ]] || { sleep 1; continue; }
    jq -r '(if type == "array" then . else (.records // .messages // [.]) end)[] | .value' <<<"$BODY" >> "$out"
  done
}
ratio() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.1f", 100 * a / n }'; }  # ratio PART WHOLE: percent, one decimal
send() { http POST "/message/$1" --data-binary "$2"; expect_status 200 201; }

# ------------------------------------------------------------------------------------------------ walkthrough
# The seed's walkthrough: create a topic, send, the first read returns offset 0, each next read the next offset.
check_walkthrough() {
  echo "walkthrough"
  local t="walk-$RUN_ID" i
  check "POST /topic/$t creates the topic" create_topic "$t"
  check "POST /topic/$t again: 200 (idempotent)" create_topic "$t"
  for i in 0 1 2; do
    check "POST /message/$t 'hello $i'" send "$t" "hello $i"
  done
  for i in 0 1 2; do
    http GET "/$t"
    check "GET /$t -> offset $i, value 'hello $i'" matches "$STATUS $BODY" "200 offset: $i *value: hello $i*"
  done
  http GET "/$t"
  check "GET /$t when everything is read: 404" expect_status 404
  http GET "/no-such-topic-$RUN_ID"
  check "GET /no-such-topic: 404" expect_status 404
}

# ------------------------------------------------------------------------------------------------ replication
broker_node() { kc -n "$NS" get pod "kafka-$1" -o jsonpath='{.spec.nodeName}'; }

check_replication() {
  echo "replication"
  local t="repl-$RUN_ID" desc nodes n
  check "setup: create $t" create_topic "$t"
  http GET "/topics/$t"
  check "GET /topics/$t: 200" expect_status 200
  desc="$BODY"
  check "1 partition" json_is "$desc" '.partitions | length' 1
  check "3 replicas, one per broker (ids 0,1,2)" json_is "$desc" '.partitions[0].replicas | sort' '[0,1,2]'
  check "3 in-sync replicas" json_is "$desc" '.partitions[0].isr | sort' '[0,1,2]'
  # Each broker pod holds a replica in its own data directory.
  for n in 0 1 2; do
    check "kafka-$n holds $t-0 in /var/lib/kafka/data" kc -n "$NS" exec "kafka-$n" -- test -d "/var/lib/kafka/data/$t-0"
  done
  nodes="$(for n in 0 1 2; do broker_node "$n"; echo; done | sort -u | grep -c .)"
  check "brokers on three different nodes ($(for n in 0 1 2; do printf '%s ' "$(broker_node "$n")"; done))" \
    is "$nodes" 3
  check "no broker on the control plane" is "$(for n in 0 1 2; do broker_node "$n"; echo; done | grep -c control-plane)" 0
}

# The brokers log to the console only (the mounted log4j2 config, GC logs to stderr): nothing piles up in the
# size-limited /opt/kafka/logs, and the container log shows the broker's lines.
check_logging() {
  echo "logging"
  local n cmdline
  for n in 0 1 2; do
    cmdline="$(kc -n "$NS" exec "kafka-$n" -- sh -c 'tr "\0" " " </proc/1/cmdline' 2>/dev/null)"
    check "kafka-$n runs with the mounted log4j2 config" contains "$cmdline" "-Dlog4j2.configurationFile=/etc/kafka/log4j/log4j2.yaml"
    check "kafka-$n logs GC to stderr" contains "$cmdline" "-Xlog:gc:stderr"
    check "kafka-$n writes no log files in /opt/kafka/logs" \
      is "$(kc -n "$NS" exec "kafka-$n" -- sh -c 'find /opt/kafka/logs -type f | wc -l' 2>/dev/null | tr -d ' ')" 0
    check "kafka-$n logs to the console" contains "$(kc -n "$NS" logs "kafka-$n" --tail=200 2>/dev/null)" "INFO"
  done
}

# ------------------------------------------------------------------------------------------------------ routes
# Every operation of docs/openapi.yaml, checked twice: the answer is the one only the right service gives, and
# Traefik's access log shows the request went to that service's port (producer 8070, consumer 8072).
traefik_log() {  # every Traefik replica's log of the last 10 minutes (the cloud overlay runs two)
  kc -n traefik logs -l app.kubernetes.io/name=traefik --since=10m --tail=-1 --max-log-requests=10 2>/dev/null
}
traefik_backend() {  # traefik_backend MARKER: the backend port of the last logged request whose line holds MARKER
  traefik_log | grep -F -- "$1" | tail -n1 |
    grep -oE '"http://[0-9.]+:[0-9]+"' | tail -n1 | sed -E 's/.*:([0-9]+)"/\1/'
}
route() {  # route SERVICE_PORT DESCRIPTION EXPECTED_STATUSES METHOD PATH [CURL ARGS...]
  local port="$1" what="$2" statuses="$3" method="$4" path="$5" backend i
  shift 5
  http "$method" "$path" "$@"
  # shellcheck disable=SC2086 # a list of statuses
  check "$method $path: $what (HTTP $STATUS)" expect_status $statuses
  backend=""
  for i in 1 2 3 4 5; do
    backend="$(traefik_backend "$method ${path%%\?*}")"
    [[ -n "$backend" ]] && break
    sleep 1
  done
  check "$method $path went to port $port (access log: ${backend:-none})" is "$backend" "$port"
  printf '%s %s\n' "$method" "${path%%\?*}" >>"$TMP/routes-called"
}
# The operations of docs/openapi.yaml (the route table: the services build theirs from it), as "METHOD PATH" lines.
spec_operations() {
  awk '/^paths:/ { on = 1; next } on && /^[^ #]/ { on = 0 }
    on && /^  \/[^ ]*:$/ { path = $1; sub(/:$/, "", path) }
    on && /^    [a-z]+:$/ {
      method = $1; sub(/:$/, "", method)
      if (index(" get put post delete patch head options ", " " method " ")) print toupper(method) " " path
    }
  ' "$ROOT/docs/openapi.yaml"
}
# The operations that no `route` call above reached ({topic} matches one segment).
routes_not_called() {
  spec_operations | awk -v called="$TMP/routes-called" '
    BEGIN { while ((getline line < called) > 0) seen[line] = 1 }
    {
      pattern = $2; gsub(/\{[^}\/]+\}/, "[^/]+", pattern); pattern = "^" $1 " " pattern "$"; found = 0
      for (line in seen) if (line ~ pattern) { found = 1; break }
      if (!found) print $1 " " $2
    }'
}

check_routes() {
  echo "routes"
  local p=8070 c=8072 t="route-$RUN_ID" t2="route2-$RUN_ID"
  route $p "create (seed route)" "200 201" POST "/topic/$t"
  route $p "send (seed route)" "200 201" POST "/message/$t" --data-binary one
  route $p "send (later seed name)" "200 201" POST "/producer/$t" --data-binary two
  route $p "list topics" 200 GET "/topics"
  check "GET /topics lists $t" contains "$BODY" "$t"
  route $p "describe" 200 GET "/topics/$t"
  route $p "create with JSON body" 201 POST "/topics/$t2" -H 'Content-Type: application/json' \
    --data '{"partitions":1,"replication_factor":3}'
  route $p "create again: 409" 409 POST "/topics/$t2" -H 'Content-Type: application/json' --data '{}'
  route $p "batch send" "200 201" POST "/topics/$t/messages" -H 'Content-Type: application/json' \
    --data '{"records":[{"value":"three"},{"key":"k","value":"four"}]}'
  check "batch reply has partition and offset per record" \
    json_is "$BODY" '[.. | objects | select(has("offset") and has("partition"))] | length >= 2' true
  route $p "wrong method: 405" 405 GET "/message/$t"
  check "405 carries Allow" header_has '^allow:'
  route $c "next message (seed route)" 200 GET "/$t"
  route $c "next message" 200 GET "/consumer/$t"
  route $c "long-poll batch as JSON" "200 204" GET "/consumer/$t?wait=1s&max=10" -H 'Accept: application/json'
  route $c "stream (SSE)" "200" GET "/consumer/$t/stream" --max-time 3 -H 'Accept: text/event-stream'
  check "stream is text/event-stream" header_has '^content-type: text/event-stream'
  route $c "topic named like nothing else goes to the consumer" 404 GET "/unknown-$RUN_ID"
  route $c "health (everything else: consumer)" 200 GET /healthz
  route $c "readiness" 200 GET /readyz
  route $c "metrics" 200 GET /metrics
  route $c "API spec" 200 GET /openapi.yaml
  check "the served spec is docs/openapi.yaml, the services' route table" is "$BODY" "$(cat "$ROOT/docs/openapi.yaml")"
  route $c "bad topic name: 400" 400 GET "/consumer/bad%20name"
  route $p "bad topic name: 400" 400 POST "/topic/bad%20name"
  route $p "body over the limit: 413" 413 POST "/message/$t" --data-binary "@$BIG_BODY"
  route $p "produce to a missing topic: 404" 404 POST "/message/missing-$RUN_ID" --data-binary x
  route $p "brokers" 200 GET /brokers
  check "GET /brokers lists three brokers" json_is "$BODY" '.brokers | length' 3
  route $c "the web page" 200 GET /
  check "the page is HTML" header_has '^content-type: text/html'
  route $c "the page's script" 200 GET /page.js
  route $c "the page's style" 200 GET /page.css
  route $c "a 404 that explains /consumer" 404 GET /consumer
  route $c "a named reader's batch" "200 204" GET "/consumer/$t?reader=r-$RUN_ID&max=1&wait=1s" \
    -H 'Accept: application/json'
  route $c "a named reader acknowledges" 200 POST "/consumer/$t/ack?reader=r-$RUN_ID"
  route $c "browse without consuming" 200 GET "/consumer/$t/records?from=beginning&max=2"
  check "browse answers the first records" json_is "$BODY" '.[0].offset' 0
  route $c "the group's offsets of one topic" 200 GET "/consumer/$t/offsets"
  route $c "the group's offsets of every topic" 200 GET /offsets
  route $c "replay from the beginning" 200 POST "/consumer/$t/position?to=beginning"
  route $p "delete a topic" 204 DELETE "/topics/$t2"
  check "every operation of docs/openapi.yaml was called" is "$(routes_not_called | tr '\n' ';')" ""
}

# ----------------------------------------------------------------------------------------------------- failover
# A broker pod is deleted while a producer writes, first one that is not the partition's leader (nothing should move),
# then the leader (the partition moves): every request answered 200 must later be read back, the success ratio is
# reported beside the lost count, and the pod comes back, finds its data on its volume and rejoins the in-sync replicas.
check_failover() {
  echo "failover"
  failover_round follower "fail-f-$RUN_ID" "$TMP/acked-follower"
  # The leader round's topic and acknowledged list are what the persistence check looks for after the restart.
  failover_round leader "fail-$RUN_ID" "$TMP/acked"
}

failover_round() {  # failover_round leader|follower TOPIC ACKED_FILE
  local role="$1" t="$2" acked="$3" got="$TMP/got-$1" leader victim i n=200 status pid files_before files_after lost
  local uid_before acked_count success
  check "setup: create $t" create_topic "$t"
  http GET "/topics/$t"
  check "setup: GET /topics/$t: 200" expect_status 200
  leader="$(jq -r '.partitions[0].leader' <<<"$BODY")"
  if [[ "$role" == leader ]]; then victim="kafka-${leader:-0}"
  else victim="kafka-$(( (${leader:-0} + 1) % 3 ))"
  fi
  files_before="$(kc -n "$NS" exec "$victim" -- ls /var/lib/kafka/data 2>/dev/null | sort | tr '\n' ' ')"
  uid_before="$(kc -n "$NS" get pod "$victim" -o jsonpath='{.metadata.uid}')"
  produce_in_background "$t" m "$n" "$acked"
  pid=$!
  sleep 3
  check "delete pod $victim (leader was kafka-$leader) while producing" delete_pod "$victim"
  wait "$pid"
  acked_count="$(wc -l < "$acked" | tr -d ' ')"
  success="$(ratio "$acked_count" "$n")"
  check "$role down: every send answered 200, 503 or 504" no_unexpected "$acked"
  check "$role down: most requests were answered 200 ($acked_count/$n, $success%)" test "$acked_count" -ge $((n / 2))
  kc -n "$NS" rollout status statefulset/kafka --timeout=300s >/dev/null 2>&1
  check "$victim is back and ready" pod_ready "$victim"
  read_back "$t" "$got"
  lost="$(comm -23 <(sort -u "$acked") <(sort -u "$got") | tr '\n' ' ')"
  check "$role down: every acknowledged message was consumed ($(sort -u "$got" | grep -c .) read, $acked_count acknowledged, 0 lost)" \
    is "$lost" ""
  echo "    $role down: success $success% ($acked_count of $n answered 200), lost $(wc -w <<<"$lost" | tr -d ' ')"
  files_after="$(kc -n "$NS" exec "$victim" -- ls /var/lib/kafka/data 2>/dev/null | sort | tr '\n' ' ')"
  check "$victim had $t-0 in its log dir before" contains "$files_before" "$t-0"
  check "$victim is a new pod (uid changed)" differs "$(kc -n "$NS" get pod "$victim" -o jsonpath='{.metadata.uid}')" "$uid_before"
  check "$victim came back with its data: meta.properties" contains "$files_after" meta.properties
  check "$victim came back with its data: $t-0" contains "$files_after" "$t-0"
  check "$victim's $t-0 log segment is not empty" \
    kc -n "$NS" exec "$victim" -- test -s "/var/lib/kafka/data/$t-0/00000000000000000000.log"
  for i in $(seq 1 60); do
    http GET "/topics/$t"
    [[ "$(jq -c '.partitions[0].isr | sort' <<<"$BODY" 2>/dev/null)" == "[0,1,2]" ]] && break
    sleep 2
  done
  check "$victim rejoined the in-sync replicas" json_is "$BODY" '.partitions[0].isr | sort' '[0,1,2]'
}

# ---------------------------------------------------------------------------------------------------- volumes
# Each broker's data sits on a bound volume claim of the expected StorageClass (kok-host-data on kind: the host
# directory; the cloud overlay: the cluster's default class, dynamically provisioned).
check_volumes() {
  echo "volumes"
  local b class="${EXPECT_STORAGE_CLASS:-kok-host-data}"
  for b in 0 1 2; do
    check "data-kafka-$b is Bound" is "$(kc -n "$NS" get pvc "data-kafka-$b" -o jsonpath='{.status.phase}' 2>/dev/null)" Bound
    check "data-kafka-$b has StorageClass $class" \
      is "$(kc -n "$NS" get pvc "data-kafka-$b" -o jsonpath='{.spec.storageClassName}' 2>/dev/null)" "$class"
  done
}

# ------------------------------------------------------------------------------------------- producer replicas
# Every producer replica serves (Traefik's access log names the pod each request went to), and deleting one under
# load loses nothing acknowledged: the PodDisruptionBudget, the preStop pause and the drain keep requests whole.
check_producer_replicas() {
  echo "producer replicas"
  local t="scale-$RUN_ID" i ips ip backends acked="$TMP/acked-scale" got="$TMP/got-scale" n=200 pid victim lost count
  local want
  want="$(kc -n "$NS" get deployment producer -o jsonpath='{.spec.replicas}')"
  ips="$(kc -n "$NS" get pods -l app.kubernetes.io/name=producer --field-selector=status.phase=Running \
    -o jsonpath='{range .items[*]}{.status.podIP}{"\n"}{end}')"
  check "$want producer replicas running" is "$(grep -c . <<<"$ips")" "$want"
  check "a PodDisruptionBudget keeps one producer up" \
    is "$(kc -n "$NS" get pdb producer -o jsonpath='{.spec.minAvailable}' 2>/dev/null)" 1
  check "setup: create $t" create_topic "$t"
  count=0
  for i in $(seq 1 20); do send "$t" "spread-$i" 2>/dev/null && count=$((count + 1)); done
  check "setup: 20 sends to $t answered 200" is "$count" 20
  sleep 2  # the access log is written after the answer
  backends="$(traefik_log | grep -F "POST /message/$t" | grep -oE '"http://[0-9.]+:8070"' | sort -u | tr '\n' ' ')"
  for ip in $ips; do
    count="$(traefik_log | grep -F "POST /message/$t" | grep -cF "\"http://$ip:8070\"")"
    check "producer $ip served requests ($count of 20; backends seen: $backends)" test "$count" -gt 0
  done
  ((want >= 2)) || return 0
  # One replica deleted while writing: what was answered 200 must all be read back.
  produce_in_background "$t" p "$n" "$acked"
  pid=$!
  sleep 3
  victim="$(kc -n "$NS" get pods -l app.kubernetes.io/name=producer -o jsonpath='{.items[0].metadata.name}')"
  check "delete producer pod $victim while producing" delete_pod "$victim"
  wait "$pid"
  count="$(wc -l < "$acked" | tr -d ' ')"
  check "a producer replica down: every send answered 200, 503 or 504" no_unexpected "$acked"
  check "a producer replica down: most requests answered 200 ($count/$n, $(ratio "$count" "$n")%)" \
    test "$count" -ge $((n * 9 / 10))
  read_back "$t" "$got"
  lost="$(comm -23 <(sort -u "$acked") <(grep '^p-' "$got" | sort -u) | tr '\n' ' ')"
  check "a producer replica down: every acknowledged message was read back ($count acknowledged, lost: ${lost:-none})" \
    is "$lost" ""
  check "the producer Deployment is whole again" rolled_out deployment/producer
}

# --------------------------------------------------------------------------------------------------------- auth
# The cloud overlay (EXPECT_AUTH=basic) lets no request in without the credentials: not the API's, not the health
# endpoints' (the middleware guards Traefik's whole public entry points; probes reach the pods directly), not on the
# TLS port, not with a wrong password; what such a request carried is not written. On kind nothing is asked: the
# ports listen on 127.0.0.1 only.
anonymous() { AUTH="$NO_AUTH" http "$@"; }
tls_status() {  # tls_status CURL_CONFIG PATH: the status of GET PATH on the TLS port (Traefik's self-signed certificate)
  curl -sS -k -K "$1" -o /dev/null -w '%{http_code}' --max-time 30 "$KIND_GATEWAY_TLS_URL$2" 2>/dev/null
}

check_auth() {
  echo "auth"
  local t="auth-$RUN_ID" request
  if [[ "${EXPECT_AUTH:-}" != basic ]]; then
    anonymous GET /topics
    check "GET /topics without credentials: 200 (kind: 127.0.0.1 only, no login)" expect_status 200
    return 0
  fi
  check "setup: create $t (with the credentials)" create_topic "$t"
  for request in "POST /topic/$t" "POST /topics/$t" "POST /message/$t" "POST /producer/$t" "POST /topics/$t/messages" \
                 "GET /$t" "GET /consumer/$t" "GET /consumer/$t/stream" "GET /topics" "GET /topics/$t" \
                 "GET /healthz" "GET /readyz" "GET /metrics" "GET /openapi.yaml"; do
    if [[ "$request" == POST* ]]; then anonymous POST "${request#* }" --data-binary anonymous
    else anonymous GET "${request#* }"
    fi
    check "$request without credentials: 401" expect_status 401
  done
  check "the 401 asks for basic auth" header_has '^www-authenticate: Basic realm="kafka-on-kind"'
  AUTH="$WRONG_AUTH" http POST "/message/$t" --data-binary wrong-password
  check "POST /message/$t with a wrong password: 401" expect_status 401
  anonymous GET /topics -H 'Host: ui.localhost'
  check "GET /topics with another Host header (the UI's) without credentials: 401" expect_status 401
  if [[ -n "${KIND_GATEWAY_TLS_URL:-}" ]]; then
    check "GET /topics on the TLS port without credentials: 401" is "$(tls_status "$NO_AUTH" /topics)" 401
    check "GET /topics on the TLS port with the credentials: 200" is "$(tls_status "$AUTH" /topics)" 200
  fi
  http GET "/topics/$t"
  check "GET /topics/$t with the credentials: 200" expect_status 200
  # The refused sends wrote nothing: a read with the credentials finds no message within its wait.
  http GET "/consumer/$t?wait=1s&max=10" -H 'Accept: application/json'
  check "nothing sent without credentials (or with a wrong password) reached $t" expect_status 204
}

# -------------------------------------------------------------------------------------------------- persistence
# ./deploy.sh down deletes the cluster; ./deploy.sh brings a new one up on the same host directory: topics, messages
# and the consumer's committed position are still there.
check_persistence() {
  echo "persistence"
  local t="keep-$RUN_ID" i
  # The setup's own answers are checked: a creation that timed out must not pass for a lost committed position.
  check "setup: create $t" create_topic "$t"
  for i in 0 1 2 3 4; do check "setup: send 'kept $i' to $t" send "$t" "kept $i"; done
  http GET "/$t"
  check "before: read offset 0 of $t" matches "$STATUS $BODY" "200 offset: 0 *kept 0*"
  http GET "/$t"
  check "before: read offset 1 of $t" matches "$STATUS $BODY" "200 offset: 1 *kept 1*"
  # The consumer commits after each reply; give the commit a moment to reach the brokers.
  sleep 3
  # shellcheck disable=SC2086 # DOWN_ARGS and DEPLOY_ARGS are lists of options
  check "./deploy.sh down (cluster deleted)" ./deploy.sh down ${DOWN_ARGS:-}
  check "no kind cluster left" is "$(kind get clusters 2>/dev/null | grep -cx "${KIND_CLUSTER_NAME:-kok-test}")" 0
  # shellcheck disable=SC2086
  check "./deploy.sh up again" ./deploy.sh up ${DEPLOY_ARGS:-}
  check "after: the gateway answers /healthz" wait_ready
  http GET /topics
  check "after: GET /topics: 200" expect_status 200
  check "after: topic $t is still listed" contains "$BODY" "$t"
  check "after: topic walk-$RUN_ID is still listed" contains "$BODY" "walk-$RUN_ID"
  http GET "/$t"
  check "after: the next read of $t is offset 2 (committed position kept)" matches "$STATUS $BODY" "200 offset: 2 *kept 2*"
  http GET "/$t"
  check "after: then offset 3" matches "$STATUS $BODY" "200 offset: 3 *kept 3*"
  # The failover topic's log outlived the cluster too: a new record lands after every message acknowledged there.
  if [[ -s "$TMP/acked" ]]; then
    local acked
    acked="$(wc -l < "$TMP/acked")"
    http POST "/topics/fail-$RUN_ID/messages" --data-binary after
    check "after: a send to fail-$RUN_ID: 200" expect_status 200 201
    check "after: fail-$RUN_ID still holds its $acked acknowledged messages (next offset $(jq -r '.offsets[0].offset' \
      <<<"$BODY" 2>/dev/null))" json_is "$BODY" ".offsets[0].offset >= $acked" true
  fi
}

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
BIG_BODY="$TMP/big"
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' x > "$BIG_BODY"

# curl configs: none, a wrong password, and (EXPECT_AUTH=basic) the deploy's credentials, which every request carries.
NO_AUTH="$TMP/no-auth" WRONG_AUTH="$TMP/wrong-auth" AUTH="$TMP/no-auth"
: > "$NO_AUTH"
printf 'user = "kok:wrong-%s"\n' "$RUN_ID" > "$WRONG_AUTH"
if [[ "${EXPECT_AUTH:-}" == basic ]]; then
  AUTH="$TMP/auth"
  if credentials="$(kc -n traefik get secret api-credentials \
      -o go-template='{{.data.username | base64decode}}:{{.data.password | base64decode}}' 2>/dev/null)"; then
    printf 'user = "%s"\n' "$credentials" > "$AUTH"
  else
    fail "read the credentials from Secret traefik/api-credentials"
    : > "$AUTH"
  fi
fi

checks=("$@")
((${#checks[@]})) || checks=(walkthrough replication logging routes volumes producer_replicas failover auth persistence)
log "end-to-end checks on $URL (cluster context $CONTEXT${EXPECT_AUTH:+, credentials: $EXPECT_AUTH})"
wait_ready || { fail "gateway $URL/healthz did not answer 200"; }
for c in ${checks[@]+"${checks[@]}"}; do
  "check_$c"
done
echo
if ((failed)); then
  echo "failed checks:"
  printf '  %s\n' ${failures[@]+"${failures[@]}"}
fi
echo "$passed passed, $failed failed"
((failed == 0))
