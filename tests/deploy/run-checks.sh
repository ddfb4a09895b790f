#!/usr/bin/env bash
# Deployment checks that need no cluster and no Docker engine:
#   1. shellcheck on every shell script in the repository
#   2. kustomize renders every overlay (base, kind, cloud, kind + kafka-ui)
#   3. the rendered objects validate against the Kubernetes API schemas of KUBERNETES_VERSION (kubernetes-validate,
#      offline, strict: unknown fields fail), and the validator still rejects a broken object (so it is not a no-op)
#   4. pytest tests/deploy: the invariants (Kafka shape and settings vs the local cluster; README, code, spec, Ingress
#      and local gateway vs docs/openapi.yaml; the README's settings table and layout; kind config, images, security,
#      probes, the cloud overlay's edge authentication, the deploy script against stand-in tools) and a checkov scan
#      of the rendered overlays and the Dockerfiles (test_checkov.py: no finding unfixed or unexplained)
#   5. the stand-in deploy tests again under a macOS-like userland (KOK_USERLAND=macos: BWK awk, no GNU-only tools,
#      BSD options only; tests/deploy/conftest.py), counted separately
# Ends with a line 'N passed, N failed[, N skipped]'; the exit status is non-zero when anything failed.
#
#   tests/deploy/run-checks.sh            (installs missing tools first: scripts/install-k8s-tools.sh)
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
load_versions
cd "$ROOT"

OUT="$ROOT/.cache/deploy-checks"
VENV="$ROOT/.cache/venv"
passed=0 failed=0 skipped=0 failures=()

pass() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() {  # fail NAME [DETAILS]
  failed=$((failed + 1)) failures+=("$1")
  printf '  FAIL  %s\n' "$1"
  [[ -z "${2:-}" ]] || printf '%s\n' "$2" | sed 's/^/        /'
}

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then script_help "$0"; exit 0; fi
(($# == 0)) || usage_error "unknown argument: $1" "tests/deploy/run-checks.sh"

scripts/install-k8s-tools.sh --check >/dev/null 2>&1 || scripts/install-k8s-tools.sh
mkdir -p "$OUT"
KUSTOMIZE="$ROOT/.cache/bin/kustomize"

# ------------------------------------------------------------------------------------------------------ shellcheck
log "shellcheck"
shell_scripts() {
  # Tracked and new files alike; by extension or by a shell shebang.
  local f first shebang='^#!.*[^[:alnum:]_](ba)?sh([^[:alnum:]_]|$)'
  { git ls-files -z --cached --others --exclude-standard 2>/dev/null ||
      find . -path ./.git -prune -o -path ./.cache -prune -o -path ./build -prune -o -path ./data -prune -o -type f -print0; } |
    while IFS= read -r -d '' f; do
      f="${f#./}"
      [[ -f "$f" ]] || continue
      case "$f" in .cache/*|build/*|data/*) continue ;; esac
      first=""
      # The first line, read directly (a pipeline into grep -q can fail under pipefail when the writer gets SIGPIPE).
      [[ "$f" == *.sh ]] || IFS= read -r -n 200 first <"$f" 2>/dev/null || true
      if [[ "$f" == *.sh || "$first" =~ $shebang ]]; then echo "$f"; fi
    done | sort
}
if command -v shellcheck >/dev/null 2>&1; then
  while IFS= read -r script; do
    if out="$(shellcheck -x "$script" 2>&1)"; then pass "shellcheck $script"; else fail "shellcheck $script" "$out"; fi
  done < <(shell_scripts)
else
  fail "shellcheck is not installed (apt-get install shellcheck)"
fi

# ----------------------------------------------------------------------------------------------- render + validate
log "kustomize build and schema validation (Kubernetes $KUBERNETES_VERSION)"
# The --with-ui composition, as deploy-kind.sh builds it (kustomize follows relative paths only).
mkdir -p "$OUT/kind-with-ui"
cat >"$OUT/kind-with-ui/kustomization.yaml" <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../deploy/k8s/overlays/kind
components:
  - ../../../deploy/k8s/components/kafka-ui
EOF
# name=directory pairs (a plain list: bash 3.2 has no associative arrays).
for entry in base=deploy/k8s/base kind=deploy/k8s/overlays/kind cloud=deploy/k8s/overlays/cloud \
             kind-with-ui=.cache/deploy-checks/kind-with-ui; do
  name="${entry%%=*}" dir="${entry#*=}"
  if out="$("$KUSTOMIZE" build "$dir" 2>&1 >"$OUT/$name.yaml")"; then
    pass "kustomize build $dir"
  else
    fail "kustomize build $dir" "$out"
    continue
  fi
  if out="$("$VENV/bin/kubernetes-validate" --kubernetes-version "$KUBERNETES_VERSION" --strict --quiet \
              "$OUT/$name.yaml" 2>&1)"; then
    pass "kubernetes-validate $name ($(grep -c '^kind:' "$OUT/$name.yaml") objects)"
  else
    fail "kubernetes-validate $name" "$out"
  fi
done

# The validator must still catch a mistake: a misspelt field in an otherwise valid Deployment.
cat >"$OUT/broken.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: broken}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers:
        - name: x
          image: x:1
          readinessProbes: {}
EOF
if "$VENV/bin/kubernetes-validate" --kubernetes-version "$KUBERNETES_VERSION" --strict --quiet "$OUT/broken.yaml" >/dev/null 2>&1; then
  fail "kubernetes-validate rejects an unknown field (it accepted one)"
else
  pass "kubernetes-validate rejects an unknown field"
fi

# ----------------------------------------------------------------------------------------------------------- pytest
# count_junit LABEL XML: adds a pytest run's tests, failures + errors and skipped (from its junit summary) to the counts.
count_junit() {
  local t f s
  if [[ ! -f "$2" ]]; then fail "$1 did not run"; return; fi
  read -r t f s < <("$VENV/bin/python" - "$2" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
print(suite.get("tests"), int(suite.get("failures")) + int(suite.get("errors")), suite.get("skipped"))
EOF
  )
  passed=$((passed + t - f - s)) failed=$((failed + f)) skipped=$((skipped + s))
  ((f == 0)) || failures+=("$1: $f test(s), see above")
}

log "pytest tests/deploy"
rm -f "$OUT/pytest.xml"
"$VENV/bin/python" -m pytest -q -p no:cacheprovider --junitxml="$OUT/pytest.xml" tests/deploy || true
count_junit pytest "$OUT/pytest.xml"

# The stand-in deploy tests once more as on a Mac: BWK awk (Debian's original-awk), only the commands macOS has, BSD
# options only (tests/deploy/conftest.py). Debian has no BSD sed/grep/coreutils: wrappers refuse the GNU-only options.
log "pytest: the stand-in deploy tests under a macOS-like userland (KOK_USERLAND=macos)"
if [[ "$(uname -s)" != Darwin ]] && ! command -v original-awk >/dev/null 2>&1; then
  log "installing original-awk (BWK awk, the awk macOS ships)"
  apt_install original-awk 2>"$OUT/apt-original-awk.log" || warn "could not install original-awk: see $OUT/apt-original-awk.log"
fi
rm -f "$OUT/pytest-macos.xml"
KOK_USERLAND=macos "$VENV/bin/python" -m pytest -q -p no:cacheprovider --junitxml="$OUT/pytest-macos.xml" \
  tests/deploy/test_deploy_script.py tests/deploy/test_userland.py || true
count_junit "pytest (macOS-like userland)" "$OUT/pytest-macos.xml"

# ---------------------------------------------------------------------------------------------------------- summary
echo
if ((failed)); then
  echo "deployment checks failed:"
  printf '  - %s\n' ${failures[@]+"${failures[@]}"}
fi
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
