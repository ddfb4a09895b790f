#!/usr/bin/env bash
# The whole default test suite, from a clean clone: install dependencies, build, start a dedicated local Kafka cluster,
# run every test (unit, integration against the real brokers, end to end through the gateway, the same suites under
# ASan+UBSan, deployment checks), compile the services as the image does, stop the cluster. Exit status is non-zero
# on any failure.
#
#   ./test.sh            everything above
#   ./test.sh --no-asan  skip the ASan+UBSan build and run (quicker local iterations)
#   ./test.sh --kind     the end-to-end proof on a real kind cluster (needs a Docker engine; see docs/testing.md)
#
# The test cluster is separate from './deploy.sh --local': data in data/test (wiped first), brokers on 29092-29094,
# gateway and services on 18080/18070/18072, so a running local deployment is never touched.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/scripts/lib/common.sh"
cd "$ROOT"

asan=true
for arg in "$@"; do
  case "$arg" in
    --no-asan) asan=false ;;
    --kind)
      exec tests/kind/run.sh ;;
    -h|--help) script_help "$0"; exit 0 ;;
    *) usage_error "unknown option: $arg" "./test.sh [--no-asan] [--kind]" ;;
  esac
done

# Two runs would stop each other's cluster: the second one waits for the first.
mkdir -p "$ROOT/data"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$ROOT/data/test.lock"
  flock -n 9 || { log "another ./test.sh is running; waiting for it"; flock 9; }
else
  warn "no flock (util-linux) on this machine: two ./test.sh runs at once would disturb each other"
fi

export KAFKA_LOCAL_DIR="$ROOT/data/test" KAFKA_LOCAL_PORT_BASE=29092
export GATEWAY_PORT=18080 PRODUCER_PORT=18070 CONSUMER_PORT=18072
export GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
KAFKA_BOOTSTRAP_SERVERS="$(deploy/local/kafka.sh bootstrap)"
export KAFKA_BOOTSTRAP_SERVERS
export CTEST_PARALLEL_LEVEL=2

timings=()
failed=()
phase() {  # phase NAME COMMAND...: runs a phase, records its time and outcome, keeps going on failure
  local name="$1" start=$SECONDS rc=0
  shift
  log "$name"
  "$@" || rc=$?
  timings+=("$(printf '%-28s %5ss  %s' "$name" "$((SECONDS - start))" "$([[ $rc == 0 ]] && echo ok || echo FAILED)")")
  ((rc == 0)) || failed+=("$name")
  return 0
}

build() {  # build PRESET [cmake --build options...]
  local preset="$1"
  shift
  cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" "$@"
}
stop_everything() {
  deploy/local/local.sh down >/dev/null 2>&1 || deploy/local/kafka.sh down >/dev/null 2>&1 || true
}
trap stop_everything EXIT

phase "install dependencies" scripts/install-deps.sh
phase "build (dev)" build dev
if [[ ${#failed[@]} -gt 0 ]]; then
  printf '%s\n' ${timings[@]+"${timings[@]}"}
  die "cannot test: ${failed[*]-} failed"
fi
stop_everything
rm -rf "$KAFKA_LOCAL_DIR"
phase "start test cluster" deploy/local/kafka.sh up --timeout 180
phase "tests (dev)" ctest --preset dev
# The service image compiles the two binaries with the "image" preset: a unity build, which refuses what the dev build
# accepts (two sources of one batch defining the same name in anonymous namespaces). Compiled here too, so that such an
# error stops the suite and not the next `./deploy.sh`.
phase "build (image preset: unity)" build image --target kok-producer kok-consumer
if $asan; then
  phase "build (asan+ubsan)" build asan
  # The cluster-level tests exercise the brokers, not our code: they run once, above.
  phase "tests (asan+ubsan)" ctest --preset asan --label-exclude cluster
fi
if [[ -x tests/deploy/run-checks.sh ]]; then
  phase "deployment checks" tests/deploy/run-checks.sh
fi

echo
echo "phase                         time   result"
printf '%s\n' ${timings[@]+"${timings[@]}"}
if ((${#failed[@]})); then
  die "failed: ${failed[*]-}"
fi
echo "all phases passed"
