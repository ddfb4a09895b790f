#!/usr/bin/env bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# Builds one command of a published Go module, the way `go install MODULE/CMD@VERSION` would, also for modules
# that `go install` refuses because their go.mod has replace directives (etcd, Traefik).
#
#   build-go-module.sh NAME MODULE VERSION PACKAGE [LDFLAGS]
#
# A generated wrapper module requires MODULE@VERSION and copies its replace directives: one that points to another
# published module is copied as is; one that points into the module's own repository (../api) is replaced by that
# module at the same VERSION, which is how those are published; `FORBIDDEN_DEPENDENCY` guards are dropped (they only
# stop a dependency from appearing, and nothing here adds one).
#
# Output: $OFFLINE_CACHE/bin/NAME (static). Idempotent: skipped when built from the same inputs.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
# shellcheck source=images/offline/lib.sh
source "$ROOT/images/offline/lib.sh"

name="${1:?usage: build-go-module.sh NAME MODULE VERSION PACKAGE [LDFLAGS]}"
module="${2:?}"
version="${3:?}"
package="${4:?}"
ldflags="${5:-}"
out="$OFFLINE_CACHE/bin/$name"
hash="$(inputs_hash "$module" "$version" "$package" "$ldflags" "$0" "$(go version)")"

if step_done "go-$name" "$hash" && [[ -x "$out" ]]; then
  log "$name ($module $version): cached"
  exit 0
fi

go_env
work="$OFFLINE_CACHE/go-build/$name"
rm -rf "$work"
mkdir -p "$work" "$OFFLINE_CACHE/bin"
cd "$work"

log "$name: resolving $module $version"
gomod="$(GOFLAGS=-mod=mod go mod download -json "$module@$version" | jq -r '.GoMod // empty')"
[[ -f "$gomod" ]] || die "$module@$version: cannot download"
go_directive="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$gomod" | head -n1)"

# The replace directives of $gomod, as "OLD => NEW" lines, one per directive (block or single-line form).
replaces() {
  awk '
    /^replace \($/ { block = 1; next }
    block && /^\)$/ { block = 0; next }
    block { print; next }
    /^replace / { sub(/^replace /, ""); print }
  ' "$gomod" | sed 's#//.*##; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^$' || true
}

{
  echo "module kok.local/build-$name"
  echo
  echo "go ${go_directive:-1.24}"
  echo
  echo "require $module $version"
  echo
  echo "replace ("
  replaces | awk -v version="$version" -F'[[:space:]]*=>[[:space:]]*' '
    NF == 2 {
      split($1, left, /[[:space:]]+/)
      if ($2 ~ /FORBIDDEN_DEPENDENCY/) next
      if ($2 ~ /^\.\.?\//) print "\t" left[1] " => " left[1] " " version
      else print "\t" $1 " => " $2
    }'
  echo ")"
} > go.mod
printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$package" > tools.go

heavy go mod tidy
log "$name: building $package (nice'd)"
start=$SECONDS
heavy go build -p 2 -trimpath -ldflags "-s -w $ldflags" -o "$out" "$package"
step_mark "go-$name" "$hash"
log "$name: built in $(since "$start") -> $out"
