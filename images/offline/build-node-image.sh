#!/usr/bin/env bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# Builds the kind node image without any registry, what `kind build node-image` does online:
#   1. binaries: Kubernetes (build-kubernetes.sh), etcd, CoreDNS, local-path-provisioner (build-go-module.sh),
#      pause (a few lines of C, statically linked);
#   2. the images a node must hold, each built locally: kube-apiserver, kube-controller-manager, kube-scheduler,
#      kube-proxy, etcd, CoreDNS, pause, the pod-network daemon (netd/), local-path-provisioner and its helper;
#   3. the node: debootstrap root filesystem + kind's base files (from the sigs.k8s.io/kind module) + kubelet,
#      kubeadm, kubectl (node/Dockerfile);
#   4. the images of step 2 imported into the node's containerd under the names kubeadm expects
#      (registry.k8s.io/...), as kind does: a container of the node image runs containerd, `ctr import`, commit.
#
# Prints the node image reference on stdout (also kept in $OFFLINE_CACHE/node-image). Idempotent: the tag carries a
# hash of every input, and an existing image with that tag is reused.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"
# shellcheck source=images/offline/lib.sh
source "$ROOT/images/offline/lib.sh"
load_versions
ensure_docker_client

k8s="$OFFLINE_K8S_VERSION"
P="$OFFLINE_IMAGE_PREFIX"
bin="$OFFLINE_CACHE/bin"
kbin="$OFFLINE_CACHE/kubernetes/$k8s/bin"

# ------------------------------------------------------------------------------------------------ 1. binaries
"$OFFLINE_DIR/build-kubernetes.sh" >&2
kubeadm="$kbin/kubeadm"
# The versions kubeadm will ask for: `kubeadm config images list` prints registry.k8s.io/<name>:<tag> lines.
mapfile -t wanted < <("$kubeadm" config images list --kubernetes-version "$k8s" 2>/dev/null)
want_tag() { printf '%s\n' "${wanted[@]}" | sed -n "s#^registry.k8s.io/$1:##p"; }
etcd_tag="$(want_tag etcd)"
coredns_tag="$(want_tag coredns/coredns)"
pause_tag="$(want_tag pause)"
[[ -n "$etcd_tag" && -n "$coredns_tag" && -n "$pause_tag" ]] || die "kubeadm config images list: unexpected output: ${wanted[*]}"
etcd_version="v${etcd_tag%-*}"
local_path_version="$OFFLINE_LOCAL_PATH_VERSION"

"$OFFLINE_DIR/build-go-module.sh" etcd go.etcd.io/etcd/server/v3 "$etcd_version" go.etcd.io/etcd/server/v3 >&2
"$OFFLINE_DIR/build-go-module.sh" coredns github.com/coredns/coredns "$coredns_tag" github.com/coredns/coredns >&2
"$OFFLINE_DIR/build-go-module.sh" local-path-provisioner github.com/rancher/local-path-provisioner "$local_path_version" \
  github.com/rancher/local-path-provisioner "-X main.VERSION=$local_path_version" >&2
pause_hash="$(inputs_hash "$OFFLINE_DIR/pause/pause.c")"
if ! step_done pause "$pause_hash" || [[ ! -x "$bin/pause" ]]; then
  log "pause: compiling (static)"
  gcc -static -Os -Wall -Wextra -Werror -o "$bin/pause" "$OFFLINE_DIR/pause/pause.c"
  strip "$bin/pause"
  step_mark pause "$pause_hash"
fi

# ------------------------------------------------------------------------------------------- 2. component images
"$OFFLINE_DIR/debian-rootfs.sh" debian-bookworm "$P/debian:bookworm" >&2
"$OFFLINE_DIR/debian-rootfs.sh" debian-nettools "$P/debian-nettools:bookworm" \
  iptables,nftables,conntrack,iproute2,curl,jq,ca-certificates,procps >&2

# component_image IMAGE BASE ENTRYPOINT_JSON FILE=DEST... : an image of a base plus a few files, from a generated
# Dockerfile; rebuilt when a file or the recipe changes.
component_image() {
  local image="$1" base="$2" entrypoint="$3" ctx spec dockerfile hash
  shift 3
  ctx="$(mktemp -d)"
  dockerfile="FROM $base"$'\n'"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"$'\n'
  for spec in "$@"; do
    # Every file of a component image is a program.
    install -m 0755 "${spec%%=*}" "$ctx/$(basename "${spec%%=*}")"
    dockerfile+="COPY $(basename "${spec%%=*}") ${spec#*=}"$'\n'
  done
  [[ -n "$entrypoint" ]] && dockerfile+="ENTRYPOINT $entrypoint"$'\n'
  printf '%s' "$dockerfile" > "$ctx/Dockerfile"
  hash="$(inputs_hash "$ctx" "$0" "$(docker image inspect -f '{{.Id}}' "$base" 2>/dev/null || echo scratch)")"
  if image_step_done "component-${image//[\/:]/_}" "$image" "$hash"; then
    rm -rf "$ctx"
    return 0
  fi
  log "image $image"
  heavy docker build -q -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
  step_mark "component-${image//[\/:]/_}" "$hash"
}

declare -A upstream  # local image -> the name kubeadm / the manifests use
for c in kube-apiserver kube-controller-manager kube-scheduler; do
  component_image "$P/$c:$k8s" scratch "" "$kbin/$c=/usr/local/bin/$c"
  upstream["$P/$c:$k8s"]="registry.k8s.io/$c:$k8s"
done
component_image "$P/kube-proxy:$k8s" "$P/debian-nettools:bookworm" "" "$kbin/kube-proxy=/usr/local/bin/kube-proxy"
upstream["$P/kube-proxy:$k8s"]="registry.k8s.io/kube-proxy:$k8s"
component_image "$P/etcd:$etcd_tag" scratch "" "$bin/etcd=/usr/local/bin/etcd"
upstream["$P/etcd:$etcd_tag"]="registry.k8s.io/etcd:$etcd_tag"
component_image "$P/coredns:$coredns_tag" scratch '["/coredns"]' "$bin/coredns=/coredns"
upstream["$P/coredns:$coredns_tag"]="registry.k8s.io/coredns/coredns:$coredns_tag"
component_image "$P/pause:$pause_tag" scratch '["/pause"]' "$bin/pause=/pause"
upstream["$P/pause:$pause_tag"]="registry.k8s.io/pause:$pause_tag"
netd_tag="$(inputs_hash "$OFFLINE_DIR/netd/netd.sh" | cut -c1-12)"
component_image "$P/netd:$netd_tag" "$P/debian-nettools:bookworm" '["/usr/local/bin/netd"]' "$OFFLINE_DIR/netd/netd.sh=/usr/local/bin/netd"
component_image "$P/local-path-provisioner:$local_path_version" scratch "" \
  "$bin/local-path-provisioner=/usr/local/bin/local-path-provisioner"
helper_image="$P/debian:bookworm"
node_images=("${!upstream[@]}" "$P/netd:$netd_tag" "$P/local-path-provisioner:$local_path_version" "$helper_image")

# ----------------------------------------------------------------------------------------------------- 3. the node
"$OFFLINE_DIR/debian-rootfs.sh" node-bookworm "$P/node-rootfs:bookworm" \
  systemd,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,fuse-overlayfs,bash,ca-certificates,curl,jq,procps,containerd,runc,containernetworking-plugins >&2

kind_dir="$(GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kind@$KIND_VERSION" | jq -r '.Dir // empty')"
[[ -d "$kind_dir/images/base/files" ]] || die "sigs.k8s.io/kind@$KIND_VERSION: images/base/files not found"

ids=""
for image in "${node_images[@]}" "$P/node-rootfs:bookworm"; do ids+="$image=$(docker image inspect -f '{{.Id}}' "$image")"$'\n'; done
node_hash="$(inputs_hash "$ids" "$OFFLINE_DIR/node" "$OFFLINE_DIR/runc-wrapper.sh" "$kind_dir/images/base/files" \
  "$kbin/kubelet" "$kbin/kubeadm" "$kbin/kubectl" "$0" "$kind_dir/pkg/build/nodeimage/const_storage.go")"
node_image="$P/node:$k8s-${node_hash:0:12}"
if image_exists "$node_image"; then
  log "node image $node_image: cached"
  echo "$node_image" > "$OFFLINE_CACHE/node-image"
  echo "$node_image"
  exit 0
fi

start=$SECONDS
ctx="$(mktemp -d "$OFFLINE_CACHE/node-context.XXXX")"
container=""
cleanup() { rm -rf "$ctx"; [[ -n "$container" ]] && docker rm -f "$container" >/dev/null 2>&1; return 0; }
trap cleanup EXIT
cp -r "$kind_dir/images/base/files" "$ctx/base-files"
chmod -R u+w,a+rX "$ctx/base-files"
mkdir -p "$ctx/bin" "$ctx/manifests"
cp "$kbin/kubelet" "$kbin/kubeadm" "$kbin/kubectl" "$ctx/bin/"
cp "$OFFLINE_DIR/runc-wrapper.sh" "$ctx/runc-wrapper.sh"
cp "$OFFLINE_DIR/node/Dockerfile" "$ctx/Dockerfile"
echo "$k8s" > "$ctx/version"
sed "s#@NETD_IMAGE@#$P/netd:$netd_tag#" "$OFFLINE_DIR/node/default-cni.yaml" > "$ctx/manifests/default-cni.yaml"
# kind's own storage manifest (local-path-provisioner), taken from the module at build time with our image names.
awk '/^const defaultStorageManifest = `/ { on = 1; next } on && /^`/ { exit } on { print }' \
  "$kind_dir/pkg/build/nodeimage/const_storage.go" |
  sed -e "s#\` + storageProvisionerImage + \`#$P/local-path-provisioner:$local_path_version#" \
      -e "s#\` + storageHelperImage + \`#$helper_image#" > "$ctx/manifests/default-storage.yaml"
grep -q "$P/local-path-provisioner" "$ctx/manifests/default-storage.yaml" || die "could not derive default-storage.yaml from kind's source"

log "node image: assembling (kind base files, Kubernetes $k8s, containerd from Debian)"
heavy docker build -q --build-arg "ROOTFS_IMAGE=$P/node-rootfs:bookworm" \
  --build-arg "PAUSE_IMAGE=registry.k8s.io/pause:$pause_tag" -t "$P/node-stage:$k8s" "$ctx" >/dev/null

# ------------------------------------------------------------------------------------ 4. images into containerd
log "node image: importing ${#node_images[@]} images into containerd"
heavy docker save "${node_images[@]}" -o "$ctx/images.tar"
container="$(docker run -d --privileged --entrypoint sleep -v "$ctx/images.tar:/images.tar:ro" "$P/node-stage:$k8s" infinity)"
docker exec "$container" bash -c '
  set -euo pipefail
  containerd >/var/log/containerd-build.log 2>&1 &
  for i in $(seq 60); do [[ -S /run/containerd/containerd.sock ]] && ctr version >/dev/null 2>&1 && break; sleep 1; done
  ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests /images.tar >/dev/null
  kill %1; wait || true
  rm -f /var/log/containerd-build.log' || die "importing images into the node's containerd failed"
# Give each image the name kubeadm and the manifests expect; the local name stays as well.
tags=""
for image in "${!upstream[@]}"; do tags+="ctr -n k8s.io images tag --force $image ${upstream[$image]} >/dev/null; "; done
docker exec "$container" bash -c "
  set -euo pipefail
  containerd >/dev/null 2>&1 &
  for i in \$(seq 60); do ctr version >/dev/null 2>&1 && break; sleep 1; done
  $tags
  ctr -n k8s.io images list -q | sort > /kind/images.txt
  kill %1; wait || true"
docker exec "$container" cat /kind/images.txt >&2
heavy docker commit --change 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' "$container" "$node_image" >/dev/null
docker rmi "$P/node-stage:$k8s" >/dev/null 2>&1 || true
# Earlier node images are 1.5 GB each: drop them (one still used by a cluster's containers is kept by docker).
docker images --format '{{.Repository}}:{{.Tag}}' "$P/node" | grep -vxF "$node_image" | xargs -r docker rmi >/dev/null 2>&1 || true
echo "$node_image" > "$OFFLINE_CACHE/node-image"
log "node image $node_image: built in $(since "$start")"
echo "$node_image"
