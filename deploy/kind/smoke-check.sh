#!/usr/bin/env bash
# End-to-end smoke check through the gateway: create a topic, send a message, read it back.
#
#   deploy/kind/smoke-check.sh [GATEWAY_URL]     (default http://localhost)
#
# GATEWAY_CREDENTIALS=user:password (the cloud overlay's login): every request carries it, and one request without it
# must be refused (401).
#
# Uses one fixed topic (kok-smoke), so repeated runs do not pile up topics; each run sends a unique value and reads
# until it sees it, so messages left over by an interrupted earlier run do not fail it.
set -euo pipefail

URL="${1:-http://localhost}"
URL="${URL%/}"
TOPIC=kok-smoke
VALUE="smoke-$(date +%s)-$$"

say()  { printf '  smoke: %s\n' "$*" >&2; }
fail() { printf 'smoke check failed: %s\n' "$*" >&2; exit 1; }

command -v curl >/dev/null 2>&1 || fail "curl is needed"

# HTTP status of a request; the body goes to $BODY. Connection errors count as status 000. The credentials go to
# curl in a config file (mktemp: readable by this user only), not on its command line.
BODY="$(mktemp)"
AUTH="$(mktemp)"
trap 'rm -f "$BODY" "$AUTH"' EXIT
if [[ -n "${GATEWAY_CREDENTIALS:-}" ]]; then printf 'user = "%s"\n' "$GATEWAY_CREDENTIALS" >"$AUTH"; fi
request() { curl -sS -K "$AUTH" -o "$BODY" -w '%{http_code}' --max-time 15 "$@" 2>/dev/null || true; }

# The Ingress can take a few seconds to pick up new endpoints after a rollout: retry the first call.
status=000 start=$SECONDS last=$SECONDS
for _ in $(seq 1 30); do
  status="$(request -X POST "$URL/topic/$TOPIC")"
  [[ "$status" == 200 || "$status" == 201 ]] && break
  if ((SECONDS - last >= 15)); then
    say "waiting for the Ingress to route POST /topic (last answer $status) … $((SECONDS - start))s"
    last=$SECONDS
  fi
  sleep 2
done
[[ "$status" == 200 || "$status" == 201 ]] || fail "POST $URL/topic/$TOPIC answered $status: $(head -c 300 "$BODY")"
say "topic $TOPIC ready ($status)"

if [[ -n "${GATEWAY_CREDENTIALS:-}" ]]; then
  status="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 15 -X POST "$URL/topic/$TOPIC" 2>/dev/null || true)"
  [[ "$status" == 401 ]] || fail "POST $URL/topic/$TOPIC without credentials answered $status, not 401"
  say "without credentials: 401"
fi

status="$(request -X POST --data-binary "$VALUE" "$URL/message/$TOPIC")"
[[ "$status" == 200 || "$status" == 201 ]] || fail "POST $URL/message/$TOPIC answered $status: $(head -c 300 "$BODY")"
say "sent '$VALUE' ($status)"

for _ in $(seq 1 20); do
  status="$(request "$URL/consumer/$TOPIC")"
  if [[ "$status" == 200 ]] && grep -q -- "value: $VALUE" "$BODY"; then
    say "read back: $(head -c 200 "$BODY")"
    echo "smoke check passed: $URL"
    exit 0
  fi
  # 200 with an older message: keep reading; 404/204: not there yet.
  [[ "$status" == 200 || "$status" == 404 || "$status" == 204 ]] || fail "GET $URL/consumer/$TOPIC answered $status: $(head -c 300 "$BODY")"
  [[ "$status" == 200 ]] || sleep 1
done
fail "did not read back '$VALUE' from $TOPIC"
