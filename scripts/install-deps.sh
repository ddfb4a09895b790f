#!/usr/bin/env bash
# Installs everything the project needs to build, test and run locally. Idempotent: a second run only checks.
#   scripts/install-deps.sh [all|build|kafka|k8s-tools|browser]...   (default: all)
#     build      Debian packages: compiler (+ ccache), CMake/Ninja, librdkafka, Boost 1.81, nlohmann-json, yaml-cpp, spdlog, GoogleTest, nginx, JDK
#     kafka      the Apache Kafka broker jars (version from versions.env) resolved from Maven Central into .cache/kafka/
#     k8s-tools  kustomize, kind and the manifest validator used by the deploy checks (scripts/install-k8s-tools.sh)
#     browser    the web page's browser test: Debian's chromium and Node.js, and playwright-core (the exact version of
#                tests/browser/package-lock.json) installed with npm ci into .cache/browser-test/
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() { script_help "$0"; }

# Boost comes as the versioned 1.81 packages: libboost-dev / libboost-all-dev would pull 1.74 and conflict.
DEBIAN_PACKAGES=(
  g++ ccache cmake ninja-build pkg-config git curl ca-certificates
  librdkafka-dev libboost1.81-dev libboost-url1.81-dev nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libssl-dev libgtest-dev
  googletest
  openjdk-17-jdk-headless maven
  nginx-light shellcheck python3 python3-venv python3-yaml
)
# The browser test drives the system chromium (playwright-core downloads no browser). Node.js may come from elsewhere
# (NodeSource's nodejs bundles npm and conflicts with Debian's npm), so npm is installed only when missing.
BROWSER_PACKAGES=(chromium nodejs)

install_build() {
  local missing=() pkg status
  for pkg in ${DEBIAN_PACKAGES[@]+"${DEBIAN_PACKAGES[@]}"}; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == *"install ok installed"* ]] || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    log "Debian packages: all present"
    return
  fi
  log "Debian packages: installing ${missing[*]-}"
  # A system nginx the user already runs is theirs: only the one this install starts is stopped below.
  local nginx_was_running=false
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then nginx_was_running=true; fi
  apt_install --no-install-recommends ${missing[@]+"${missing[@]}"}
  # Debian enables the packaged nginx site on install; the project runs its own nginx instance instead.
  if ! $nginx_was_running && command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
    log "stopping and disabling the system nginx that installing nginx-light just started (the project runs its own)"
    as_root systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
}

install_browser_test() {
  local pkg missing=()
  for pkg in ${BROWSER_PACKAGES[@]+"${BROWSER_PACKAGES[@]}"}; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" == *"install ok installed"* ]] || missing+=("$pkg")
  done
  command -v npm >/dev/null || missing+=(npm)
  if ((${#missing[@]})); then
    log "browser test: installing ${missing[*]-}"
    apt_install --no-install-recommends ${missing[@]+"${missing[@]}"}
  fi
  # npm ci into a directory of its own, redone only when the lock file changed: the same tree on every machine.
  local dir="$ROOT/.cache/browser-test" lock="$ROOT/tests/browser/package-lock.json"
  if [[ -f "$dir/.complete" ]] && cmp -s "$lock" "$dir/package-lock.json"; then
    log "browser test: playwright-core present in ${dir#"$ROOT"/}"
    return
  fi
  log "browser test: npm ci (tests/browser/package-lock.json) into ${dir#"$ROOT"/}"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$ROOT/tests/browser/package.json" "$lock" "$dir/"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  touch "$dir/.complete"
}

install_kafka() {
  load_versions
  local dir="$ROOT/.cache/kafka/$KAFKA_VERSION"
  if [[ -f "$dir/.complete" ]]; then
    log "Kafka $KAFKA_VERSION broker jars: present in ${dir#"$ROOT"/}"
    return
  fi
  command -v mvn >/dev/null || die "maven is missing: run '$0 build' first"
  log "Kafka $KAFKA_VERSION broker jars: resolving from Maven Central"
  rm -rf "$dir"
  mvn -B -q -Dstyle.color=never -f "$ROOT/deploy/local/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" -Dlibs.dir="$dir/libs" package
  ls "$dir/libs/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null
  touch "$dir/.complete"
}

install_k8s_tools() {
  if [[ -x "$ROOT/scripts/install-k8s-tools.sh" ]]; then
    "$ROOT/scripts/install-k8s-tools.sh"
  else
    warn "scripts/install-k8s-tools.sh not found; skipping the Kubernetes check tools"
  fi
}

main() {
  local what=("$@")
  ((${#what[@]})) || what=(all)
  for w in ${what[@]+"${what[@]}"}; do
    case "$w" in
      -h|--help) usage; exit 0 ;;
      all) install_build; install_kafka; install_k8s_tools; install_browser_test ;;
      build) install_build ;;
      kafka) install_kafka ;;
      k8s-tools) install_k8s_tools ;;
      browser) install_browser_test ;;
      *) usage_error "unknown component: $w" "scripts/install-deps.sh [all|build|kafka|k8s-tools|browser]..." ;;
    esac
  done
}

main "$@"
