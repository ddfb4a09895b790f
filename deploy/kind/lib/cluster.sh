# shellcheck shell=bash
# Phase "cluster": the kind cluster and the host directory that holds the brokers' data — create, repair, find,
# delete. Reads CLUSTER, DATA_DIR, DATA_DIR_GIVEN, HTTP_PORT, HTTPS_PORT and the detected KIND, ENGINE.

# has_line TEXT LINE: true when one line of TEXT is exactly LINE (no pipeline into grep -q, which can lose to SIGPIPE).
has_line() { [[ $'\n'"$1"$'\n' == *$'\n'"$2"$'\n'* ]]; }

cluster_exists() { has_line "$("$KIND" get clusters 2>/dev/null || true)" "$CLUSTER"; }
nodes() { "$KIND" get nodes --name "$CLUSTER" 2>/dev/null; }
# The nodes of one role: control-plane or worker.
nodes_of() {
  local node
  for node in $(nodes); do
    case "$node" in
      "$CLUSTER-control-plane") [[ "$1" == control-plane ]] && echo "$node" ;;
      *) [[ "$1" == worker ]] && echo "$node" ;;
    esac
  done
  return 0
}

# The host directory is written into the first worker when the cluster is created, because the engine's own name
# for the mount's source is not always a path of this machine (Docker Desktop reports a WSL distribution's
# directory as /run/desktop/mnt/host/wsl/...). A cluster from before that record: the mount's source, when it is
# a directory here.
DATA_DIR_RECORD=/kind/kok-data-dir
record_data_dir() {
  docker exec "$CLUSTER-worker" sh -c 'printf "%s\n" "$1" > "$2"' sh "$DATA_DIR" "$DATA_DIR_RECORD" >/dev/null
}
mounted_data_dir() {
  local dir
  dir="$(docker exec "$CLUSTER-worker" cat "$DATA_DIR_RECORD" 2>/dev/null || true)"
  if [[ -z "$dir" ]]; then
    dir="$(docker inspect "$CLUSTER-worker" \
      --format "{{range .Mounts}}{{if eq .Destination \"$NODE_DATA_DIR\"}}{{.Source}}{{end}}{{end}}" 2>/dev/null || true)"
    [[ -d "$dir" ]] || dir=""
  fi
  echo "$dir"
}

# The host address of the control plane's port $1 (e.g. "127.0.0.1:80"), empty when not mapped.
host_port_of() {
  local out
  out="$(docker port "$CLUSTER-control-plane" "$1/tcp" 2>/dev/null || true)"
  echo "${out%%$'\n'*}"
}

gateway_url() {
  local mapping port
  mapping="$(host_port_of 80)"
  port="${mapping##*:}"
  if [[ -z "$port" || "$port" == 80 ]]; then echo "http://localhost"; else echo "http://localhost:$port"; fi
}

# A value made safe for the replacement side of sed's s|...|...| (backslash, ampersand, delimiter).
sed_escape() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }

render_cluster_config() {  # render_cluster_config OUT: fills deploy/kind/cluster.yaml's @...@ values
  # The path sits in a single-quoted YAML scalar: ' becomes ''. (Through a variable: bash 3.2 keeps the
  # backslashes of \' in a quoted replacement.)
  local q="'"
  local dir="${DATA_DIR//$q/$q$q}"
  sed -e "s|@NODE_IMAGE@|$(sed_escape "$KIND_NODE_IMAGE")|g" \
      -e "s|@LISTEN_ADDRESS@|$(sed_escape "${KIND_LISTEN_ADDRESS:-127.0.0.1}")|g" \
      -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
      -e "s|@HTTPS_PORT@|$HTTPS_PORT|g" \
      -e "s|@DATA_DIR@|$(sed_escape "$dir")|g" \
      "$HERE/cluster.yaml" >"$1"
}

# The brokers run as uid $KAFKA_UID inside their containers, and a hostPath volume ignores fsGroup. Which host uid
# that is depends on the engine: the same uid with rootful Docker on Linux, a subuid with rootless Docker, whatever
# Docker Desktop's file sharing makes of it. So the directories are opened to everyone unless we are root on a
# rootful engine and can give them to uid $KAFKA_UID (docs/decisions.md).
prepare_data_dir() {
  local b d
  mkdir -p "$DATA_DIR" || die "cannot create the data directory $DATA_DIR"
  for b in ${BROKERS[@]+"${BROKERS[@]}"}; do
    d="$DATA_DIR/$b"
    mkdir -p "$d" || die "cannot create $d"
    if [[ "$(id -u)" -eq 0 && "$ENGINE" != rootless ]] && chown "$KAFKA_UID:$KAFKA_UID" "$d" 2>/dev/null; then
      continue
    fi
    chmod 0777 "$d" 2>/dev/null ||
      die "cannot make $d writable for the brokers (uid $KAFKA_UID in their containers): 'sudo chmod 0777 $d', or choose another --data-dir"
  done
}

# A path as the engine mounts it: Git Bash's /c/Users/... becomes C:/Users/...
host_path() {
  case "$HOST_OS" in
    gitbash) (cd "$1" && pwd -W) ;;
    *) (cd "$1" && pwd -P) ;;
  esac
}

# The default data directory: ./data/kind, except in WSL when this checkout is on a Windows drive (/mnt/c/...):
# Kafka on NTFS shared through Docker Desktop fails at segment renames (KAFKA-1194), so the data then lives on the
# WSL file system.
default_data_dir() {
  if [[ "$ROOT" == /mnt/[a-z]/* && "$HOST_OS" == wsl ]]; then
    echo "${XDG_DATA_HOME:-$HOME/.local/share}/kafka-on-kind/kind"
  else
    echo "$ROOT/data/kind"
  fi
}

# Creates the cluster, or repairs the existing one (stopped nodes started again; its data directory kept).
ensure_cluster() {
  mkdir -p "$DATA_DIR" || die "cannot create the data directory $DATA_DIR"
  DATA_DIR="$(host_path "$DATA_DIR")"
  if cluster_exists; then
    local count stopped current
    count="$(nodes | wc -l | tr -d ' ')"
    [[ "$count" -eq 4 ]] || die "cluster '$CLUSTER' has $count nodes instead of 4: run './deploy.sh down' (the data is kept) and then './deploy.sh up'"
    # After a Docker or host restart the node containers may be stopped: start them again.
    stopped="$(docker ps -a --filter "label=io.x-k8s.kind.cluster=$CLUSTER" --filter status=exited --format '{{.Names}}')"
    if [[ -n "$stopped" ]]; then
      log "starting stopped nodes: $(echo "$stopped" | tr '\n' ' ')"
      # shellcheck disable=SC2086 # one name per word
      docker start $stopped >/dev/null
    fi
    current="$(mounted_data_dir)"
    if [[ -n "$current" && "$current" != "$DATA_DIR" ]]; then
      if $DATA_DIR_GIVEN; then
        die "cluster '$CLUSTER' already mounts $current, not $DATA_DIR: run './deploy.sh down' first to switch (the data is kept)"
      fi
      DATA_DIR="$current"
    fi
    prepare_data_dir
    log "cluster '$CLUSTER': present ($count nodes, data in $DATA_DIR)"
    return
  fi
  prepare_data_dir
  mkdir -p "$WORK"
  render_cluster_config "$WORK/cluster.yaml"
  log "creating kind cluster '$CLUSTER' (1 control-plane + 3 workers, $KIND_NODE_IMAGE; data in $DATA_DIR)"
  "$KIND" create cluster --name "$CLUSTER" --config "$WORK/cluster.yaml" --wait 180s
  record_data_dir
  log "cluster '$CLUSTER': created in $(since "$PHASE_START")"
}

# Deletes the cluster; with PURGE also the brokers' data.
delete_cluster() {
  local data
  data="$(mounted_data_dir)"
  [[ -n "$data" ]] || data="$DATA_DIR"
  if cluster_exists; then
    if $PURGE && docker inspect "$CLUSTER-worker" >/dev/null 2>&1; then
      # The brokers' files belong to uid $KAFKA_UID; a node (running as root) can remove them where we may not.
      docker exec "$CLUSTER-worker" sh -c "rm -rf $NODE_DATA_DIR/kafka-*" || true
    fi
    log "deleting kind cluster '$CLUSTER'"
    "$KIND" delete cluster --name "$CLUSTER"
  else
    log "cluster '$CLUSTER': not present"
  fi
  if $PURGE; then
    if [[ -d "$data" ]]; then
      log "deleting the brokers' data in $data"
      rm -rf "${data:?}"/kafka-* 2>/dev/null || die "could not delete everything in $data (files of uid $KAFKA_UID): remove it with 'sudo rm -rf $data'"
    fi
  elif [[ -d "$data" ]]; then
    log "the brokers' data stays in $data ('./deploy.sh down --purge' deletes it)"
  fi
  return 0
}
