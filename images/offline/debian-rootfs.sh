#!/usr/bin/env bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# Builds a Debian root filesystem with debootstrap (from Debian's mirror) and imports it as a Docker image: the
# base of every image of the offline run, since no registry image can be pulled.
#
#   debian-rootfs.sh NAME IMAGE [PACKAGE,PACKAGE...] [slim]
#
# "slim" leaves out documentation, manual pages and translations, now and in every later package install (dpkg
# path-exclude rules in /etc/dpkg/dpkg.cfg.d/), as Debian's -slim images do: the runtime base users get.
# NAME names the cached tarball ($OFFLINE_CACHE/rootfs/NAME.tar), IMAGE is the tag given by `docker import`.
# Idempotent: the tarball is rebuilt only when the suite, the package list or this script changes; the image is
# re-imported only when missing or older than the tarball. Downloaded .debs are kept in $OFFLINE_CACHE/debs.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
# shellcheck source=images/offline/lib.sh
source "$ROOT/images/offline/lib.sh"

name="${1:?usage: debian-rootfs.sh NAME IMAGE [PACKAGES]}"
image="${2:?usage: debian-rootfs.sh NAME IMAGE [PACKAGES]}"
packages="${3:-}"
slim="${4:-}"
tarball="$OFFLINE_CACHE/rootfs/$name.tar"
hash="$(inputs_hash "$OFFLINE_DEBIAN_SUITE" "$OFFLINE_DEBIAN_MIRROR" "$packages" "$slim" "$0")"

command -v debootstrap >/dev/null || apt_install debootstrap

if step_done "rootfs-$name" "$hash" && [[ -f "$tarball" ]]; then
  log "rootfs $name: cached"
else
  log "rootfs $name: debootstrap $OFFLINE_DEBIAN_SUITE${packages:+ with $packages}"
  start=$SECONDS
  mkdir -p "$OFFLINE_CACHE/rootfs" "$OFFLINE_CACHE/debs"
  dir="$(mktemp -d "$OFFLINE_CACHE/rootfs/$name.XXXX")"
  trap 'rm -rf "$dir"' EXIT
  heavy debootstrap --variant=minbase --merged-usr --cache-dir="$OFFLINE_CACHE/debs" \
    ${packages:+--include="$packages"} "$OFFLINE_DEBIAN_SUITE" "$dir" "$OFFLINE_DEBIAN_MIRROR" \
    > "$OFFLINE_CACHE/rootfs/$name.log" 2>&1 || { tail -20 "$OFFLINE_CACHE/rootfs/$name.log" >&2; die "debootstrap $name failed"; }
  # Images carry no package lists, caches or logs of the build host.
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb "$dir"/var/log/*.log
  if [[ "$slim" == slim ]]; then
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
      'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' 'path-exclude /usr/share/groff/*' \
      'path-exclude /usr/share/lintian/*' > "$dir/etc/dpkg/dpkg.cfg.d/slim"
    find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    rm -rf "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* "$dir"/usr/share/groff/* "$dir"/usr/share/lintian/*
  fi
  # Image builds on top of it must not try to start services (the policy Debian's docker images ship as well).
  printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"
  chmod 755 "$dir/usr/sbin/policy-rc.d"
  heavy tar --numeric-owner --xattrs -C "$dir" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  step_mark "rootfs-$name" "$hash"
  log "rootfs $name: built in $(since "$start")"
fi

if image_step_done "image-$name" "$image" "$hash"; then
  log "image $image: cached"
else
  log "image $image: docker import"
  heavy docker import --change 'CMD ["/bin/bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$tarball" "$image" >/dev/null
  step_mark "image-$name" "$hash"
fi
