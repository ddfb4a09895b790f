#!/usr/bin/env bash
# Installs the tools the Kubernetes deploy and its offline checks need, at the versions pinned in versions.env.
# Idempotent: a tool already present at the pinned version is left alone.
#
#   scripts/install-k8s-tools.sh          kind + kustomize into .cache/bin, kubernetes-validate + pytest into .cache/venv,
#                                         checkov into .cache/checkov (needs Go and Python 3.9+; macOS's own python3
#                                         3.9 is enough)
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
CHECKOV_VENV="$ROOT/.cache/checkov"
CHECK_ONLY=0

usage() { script_help "$0"; }

# How to install package $1 (Debian name) / $2 (Homebrew name) on this host, for error messages.
install_hint() {
  if [[ "$(uname -s)" == Darwin ]]; then echo "brew install $2"; else echo "apt-get install $1"; fi
}

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
  command -v go >/dev/null || die "go is needed to install $name ($(install_hint golang-go go), or any Go >= 1.22)"
  log "$name $version: go install $module@$version"
  mkdir -p "$BIN"
  # -trimpath keeps the build reproducible; GOFLAGS from the caller (e.g. -mod=...) must not leak into a tool build.
  GOBIN="$BIN" GOFLAGS=-buildvcs=false go install -trimpath "$module@$version"
}

# "3.9": the major.minor version of Python interpreter $1 (empty if it does not run).
python_version() {
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

# The pins for Python $1 ("3.9"), one a line; nothing below 3.9. pytest 9 (and PyYAML 6.0.4) need Python 3.10+, and
# macOS's own python3 (the Xcode command line tools) is 3.9: there pytest 8.4.2, the last release for 3.9, which the
# checks are happy with. kubernetes-validate and PyYAML 6.0.3 declare Python >= 3.7 / 3.8.
python_pins() {
  local major="${1%%.*}" minor="${1#*.}" pytest=9.2.0
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 0
  ((major > 3 || (major == 3 && minor >= 9))) || return 0
  if ((major == 3 && minor < 10)); then pytest=8.4.2; fi
  printf '%s\n' "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" "pytest==$pytest" "PyYAML==6.0.3"
}

python_tools() {
  local want=() python version pin
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
  # The interpreter that will run the checks: the venv's when there is one, else the python3 that would make it.
  python="$VENV/bin/python"
  if [[ ! -x "$VENV/bin/pip" ]]; then
    python="$(command -v python3)" || die "python3 is needed ($(install_hint "python3 python3-venv" python))"
  fi
  version="$(python_version "$python")"
  while IFS= read -r pin; do want+=("$pin"); done < <(python_pins "$version")
  if ((${#want[@]} == 0)); then
    if [[ "$python" == "$VENV/bin/python" ]]; then
      die "${VENV#"$ROOT"/} runs Python ${version:-(none)}; the checks need 3.9 or newer: delete ${VENV#"$ROOT"/} and run again with a newer python3 first on PATH"
    fi
    die "$python is Python ${version:-(it did not run)}; the checks need 3.9 or newer ($(install_hint python3 python))"
  fi
  log "Python tools for Python $version: ${want[*]-} into ${VENV#"$ROOT"/}"
  if [[ ! -x "$VENV/bin/pip" ]]; then
    "$python" -m venv "$VENV" || die "python3 -m venv failed ($(install_hint python3-venv python))"
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check ${want[@]+"${want[@]}"}
  # The validator must carry the schemas of the Kubernetes version we deploy; fail here rather than in a check.
  compgen -G "$VENV/lib/python*/site-packages/kubernetes_validate/kubernetes-json-schema/v$KUBERNETES_VERSION-local-strict" >/dev/null ||
    die "kubernetes-validate $KUBERNETES_VALIDATE_VERSION has no schemas for Kubernetes $KUBERNETES_VERSION"
}

# checkov in a venv of its own: it pins packaging<24, pytest 9 needs packaging>=24, so one venv cannot hold both.
# The tests run it as a command. Its version from the package metadata: `checkov --version` takes seconds.
checkov_tool() {
  local have python
  have="$("$CHECKOV_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("checkov"))' 2>/dev/null || true)"
  if [[ "$have" == "$CHECKOV_VERSION" && -x "$CHECKOV_VENV/bin/checkov" ]]; then
    log "checkov $CHECKOV_VERSION: present in ${CHECKOV_VENV#"$ROOT"/}"
    return 0
  fi
  if ((CHECK_ONLY)); then
    warn "checkov $CHECKOV_VERSION: missing in ${CHECKOV_VENV#"$ROOT"/} (found '${have:-nothing}')"
    return 1
  fi
  log "checkov $CHECKOV_VERSION into ${CHECKOV_VENV#"$ROOT"/}"
  if [[ ! -x "$CHECKOV_VENV/bin/pip" ]]; then
    python="$(command -v python3)" || die "python3 is needed ($(install_hint "python3 python3-venv" python))"
    "$python" -m venv "$CHECKOV_VENV" || die "python3 -m venv failed ($(install_hint python3-venv python))"
  fi
  "$CHECKOV_VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
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
  checkov_tool || failed=1
  if ((failed)); then
    die "some Kubernetes tools are missing: run scripts/install-k8s-tools.sh"
  fi
  log "Kubernetes tools ready in ${BIN#"$ROOT"/}, ${VENV#"$ROOT"/} and ${CHECKOV_VENV#"$ROOT"/}"
}

main "$@"
