#!/usr/bin/env bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# Builds the Kubernetes binaries of the offline node image (kubelet, kubeadm, kubectl, kube-apiserver,
# kube-controller-manager, kube-scheduler, kube-proxy) from the k8s.io/kubernetes Go module.
#
# k8s.io/kubernetes is not meant to be required as a module: its go.mod points every staging module (k8s.io/api,
# k8s.io/client-go, ...) at ./staging/src with version v0.0.0. A generated wrapper module requires k8s.io/kubernetes
# and replaces each of those with the published v0.<minor>.<patch>, which is the same code. The version is stamped
# with the same -X flags hack/lib/version.sh uses, so kubeadm and the API server report the real version.
#
# Output: $OFFLINE_CACHE/kubernetes/<version>/bin/. Cold: ~30-60 min on 2 cores (nice'd). Warm: skipped.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
# shellcheck source=images/offline/lib.sh
source "$ROOT/images/offline/lib.sh"

version="$OFFLINE_K8S_VERSION"
staging_version="v0.${version#v1.}"
out="$OFFLINE_CACHE/kubernetes/$version/bin"
commands=(kubelet kubeadm kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
hash="$(inputs_hash "$version" "$0" "$(go version)")"

if step_done kubernetes "$hash" && [[ -x "$out/kubelet" ]]; then
  log "Kubernetes $version binaries: cached ($out)"
  exit 0
fi

go_env
work="$OFFLINE_CACHE/kubernetes/$version/module"
mkdir -p "$work" "$out"
cd "$work"

log "Kubernetes $version: resolving the module"
cat > go.mod <<EOF
module kok.local/kubernetes-build

go 1.24.0

require k8s.io/kubernetes $version
EOF
heavy go mod download k8s.io/kubernetes@"$version"
src="$(go mod download -json k8s.io/kubernetes@"$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
[[ -d "$src" ]] || die "k8s.io/kubernetes $version: module directory not found"

# One replace per staging module, taken from the module's own go.mod so the list follows the version.
{
  echo
  echo "replace ("
  sed -n 's#^\t\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\t\1 => \1 '"$staging_version"'#p' "$src/go.mod"
  echo ")"
} >> go.mod
# Stub main package so `go mod tidy` sees what is built (tools pattern: the imports are main packages).
{
  echo "//go:build tools"
  echo
  echo "package tools"
  echo
  echo "import ("
  for c in "${commands[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/$c\""; done
  echo ")"
} > tools.go
heavy go mod tidy

# Same stamping as hack/lib/version.sh; the build date is the release's, so rebuilding gives the same binaries.
build_date="$(go mod download -json k8s.io/kubernetes@"$version" | sed -n 's/^\t"Time": "\(.*\)",$/\1/p')"
build_date="${build_date:-1970-01-01T00:00:00Z}"
minor="${version#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done

log "Kubernetes $version: building ${commands[*]} (long on a cold cache; nice'd)"
start=$SECONDS
pkgs=()
for c in "${commands[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
# providerless: no in-tree cloud providers (kind has none), a smaller and quicker build; notest as upstream does.
heavy go build -p 2 -trimpath -tags providerless,notest -ldflags "$ldflags" -o "$out/" "${pkgs[@]}"
"$out/kubeadm" version -o short | grep -qx "$version" || die "kubeadm does not report $version"
step_mark kubernetes "$hash"
log "Kubernetes $version: built in $(since "$start") -> $out"
