#!/usr/bin/env bash
# Installs the tools the Kubernetes deploy and its offline checks need, at the versions pinned in versions.env.
# Idempotent: a tool already present at the pinned version is left alone.
#
#   scripts/install-k8s-tools.sh          kind + kustomize into .cache/bin, kubernetes-validate + pytest into .cache/venv
#   scripts/install-k8s-tools.sh --check  only report what is missing (exit 1 if anything is)
#
# Everything comes from package registries (the Go module proxy, PyPI), never from download pages, so it works on
# machines that reach nothing else. kubectl and Docker are not installed here: the deploy checks for them itself.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
load_versions

BIN="$ROOT/.cache/bin"
VENV="$ROOT/.cache/venv"
CHECK_ONLY=0

usage() { script_help "$0"; }

# "kind v0.30.0 go1.26.8 linux/amd64" / "v5.8.1": the first token that looks like a version.
installed_version() {
  "$1" version 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true
}

go_tool() {
  local name="$1" module="$2" version="$3" have
  have="$(installed_version "$BIN/$name")"
  if [[ "$have" == "$version" ]]; then
    log "$name $version: present"
    return 0
  fi
  if ((CHECK_ONLY)); then
    warn "$name $version: missing (found '${have:-nothing}')"
    return 1
  fi
  command -v go >/dev/null || die "go is needed to install $name (apt-get install golang-go, or any Go >= 1.22)"
  log "$name $version: go install $module@$version"
  mkdir -p "$BIN"
  # -trimpath keeps the build reproducible; GOFLAGS from the caller (e.g. -mod=...) must not leak into a tool build.
  GOBIN="$BIN" GOFLAGS=-buildvcs=false go install -trimpath "$module@$version"
}

python_tools() {
  local want=("kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" "pytest==9.2.0" "PyYAML==6.0.3")
  if [[ -x "$VENV/bin/kubernetes-validate" ]] &&
     [[ "$("$VENV/bin/kubernetes-validate" --version 2>/dev/null)" == *"$KUBERNETES_VALIDATE_VERSION"* ]] &&
     "$VENV/bin/python" -c 'import pytest, yaml' 2>/dev/null; then
    log "kubernetes-validate $KUBERNETES_VALIDATE_VERSION, pytest, PyYAML: present in ${VENV#"$ROOT"/}"
    return 0
  fi
  if ((CHECK_ONLY)); then
    warn "kubernetes-validate $KUBERNETES_VALIDATE_VERSION / pytest / PyYAML: missing in ${VENV#"$ROOT"/}"
    return 1
  fi
  command -v python3 >/dev/null || die "python3 is needed (apt-get install python3 python3-venv)"
  log "Python tools: ${want[*]-} into ${VENV#"$ROOT"/}"
  if [[ ! -x "$VENV/bin/pip" ]]; then
    python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install python3-venv)"
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check ${want[@]+"${want[@]}"}
  # The validator must carry the schemas of the Kubernetes version we deploy; fail here rather than in a check.
  compgen -G "$VENV/lib/python*/site-packages/kubernetes_validate/kubernetes-json-schema/v$KUBERNETES_VERSION-local-strict" >/dev/null ||
    die "kubernetes-validate $KUBERNETES_VALIDATE_VERSION has no schemas for Kubernetes $KUBERNETES_VERSION"
}

main() {
  case "${1:-}" in
    "") ;;
    --check) CHECK_ONLY=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" "scripts/install-k8s-tools.sh [--check]" ;;
  esac
  local failed=0
  go_tool kind sigs.k8s.io/kind "$KIND_VERSION" || failed=1
  go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" || failed=1
  python_tools || failed=1
  if ((failed)); then
    die "some Kubernetes tools are missing: run scripts/install-k8s-tools.sh"
  fi
  log "Kubernetes tools ready in ${BIN#"$ROOT"/} and ${VENV#"$ROOT"/}"
}

main "$@"
