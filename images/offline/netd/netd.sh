#!/bin/bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# Pod networking for the offline kind nodes, doing what kind's kindnetd does for a single-network cluster (kindnetd
# itself is not published as a Go module, so it cannot be built offline):
#   - writes this node's CNI config: ptp veth pairs + host-local addresses from the node's podCIDR, portmap for
#     hostPort (the Ingress listens on the control plane's 80/443 that way);
#   - routes every other node's podCIDR via that node's address (all nodes share one Docker network);
#   - masquerades pod traffic that leaves the pod network.
# Runs as a privileged hostNetwork DaemonSet (see default-cni.yaml); reconciles every few seconds, so a node that
# joins later is routed within one period.
set -euo pipefail

: "${HOST_IP:?HOST_IP (status.hostIP) is required}"
: "${POD_SUBNET:?POD_SUBNET is required}"
api="https://${CONTROL_PLANE_ENDPOINT:-${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}}"
sa=/var/run/secrets/kubernetes.io/serviceaccount
conf_dir=/etc/cni/net.d
conf="$conf_dir/10-kindnet.conflist"
period="${RESYNC_SECONDS:-5}"

log() { printf '%s netd: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }

nodes_json() {
  curl -sS --fail --max-time 10 --cacert "$sa/ca.crt" -H "Authorization: Bearer $(cat "$sa/token")" "$api/api/v1/nodes"
}

write_cni_config() {  # write_cni_config POD_CIDR: (re)writes the config only when it changes
  local cidr="$1" tmp
  tmp="$(mktemp "$conf_dir/.netd.XXXXXX")"
  cat > "$tmp" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "kindnet",
  "plugins": [
    {
      "type": "ptp",
      "ipMasq": false,
      "mtu": 1500,
      "ipam": {
        "type": "host-local",
        "dataDir": "/run/cni-ipam-state",
        "routes": [{ "dst": "0.0.0.0/0" }],
        "ranges": [[{ "subnet": "$cidr" }]]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
  if cmp -s "$tmp" "$conf"; then rm -f "$tmp"; return; fi
  mv "$tmp" "$conf"
  log "CNI config written for podCIDR $cidr"
}

ensure_masquerade() {
  local rule=(-s "$POD_SUBNET" ! -d "$POD_SUBNET" -m comment --comment "kok-netd: pods leaving the pod network" -j MASQUERADE)
  iptables -t nat -C POSTROUTING "${rule[@]}" 2>/dev/null || iptables -t nat -A POSTROUTING "${rule[@]}"
}

sync_once() {
  local json name ip cidr
  json="$(nodes_json)" || { log "API not reachable at $api (retrying)"; return 0; }
  # One line per node: name, InternalIP, podCIDR (empty until the controller-manager assigns it).
  while read -r name ip cidr; do
    [[ -n "$ip" && -n "$cidr" ]] || continue
    if [[ "$ip" == "$HOST_IP" ]]; then
      write_cni_config "$cidr"
    elif [[ "$(ip route show "$cidr")" != *"via $ip "* ]]; then
      ip route replace "$cidr" via "$ip"
      log "route $cidr via $ip ($name)"
    fi
  done < <(jq -r '.items[] | [.metadata.name,
             ((.status.addresses // [])[] | select(.type == "InternalIP") | .address),
             (.spec.podCIDR // "")] | @tsv' <<<"$json" | tr '\t' ' ')
}

sysctl -qw net.ipv4.ip_forward=1
mkdir -p "$conf_dir"
ensure_masquerade
log "started on $HOST_IP (pod network $POD_SUBNET, API $api)"
while true; do
  sync_once
  sleep "$period"
done
