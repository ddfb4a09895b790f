# shellcheck shell=bash
# Phase "check": judges what lib/detect.sh found, before anything is created. Each check prints one line (ok, note,
# warn, FAIL) and, for a warning or a problem, the command or setting that fixes it. `preflight` runs them all and
# fails when any problem was found. Reads the options DATA_DIR, HTTP_PORT, HTTPS_PORT and the detected facts.

PROBLEMS=0 WARNINGS=0
check_ok()   { printf '  ok    %s\n' "$1" >&2; }
check_note() { printf '  note  %s\n' "$1" >&2; }
check_warn() { WARNINGS=$((WARNINGS + 1)); printf '  warn  %s\n' "$1" >&2; [[ -z "${2:-}" ]] || printf '%s\n' "$2" | sed 's/^/        /' >&2; }
check_fail() { PROBLEMS=$((PROBLEMS + 1)); printf '  FAIL  %s\n' "$1" >&2; [[ -z "${2:-}" ]] || printf '%s\n' "$2" | sed 's/^/        /' >&2; }

# "1.37" from "v1.37.0" / "1.37.0".
minor_of() { sed -E 's/^v?([0-9]+)\.([0-9]+).*/\1.\2/' <<<"$1"; }

# version_at_least HAVE WANT: true when vX.Y.Z HAVE >= WANT.
version_at_least() {
  local h1 h2 h3 w1 w2 w3
  IFS=. read -r h1 h2 h3 <<<"${1#v}"
  IFS=. read -r w1 w2 w3 <<<"${2#v}"
  h3="${h3%%[!0-9]*}" w3="${w3%%[!0-9]*}"
  (( ${h1:-0} != ${w1:-0} )) && { (( ${h1:-0} > ${w1:-0} )); return; }
  (( ${h2:-0} != ${w2:-0} )) && { (( ${h2:-0} > ${w2:-0} )); return; }
  (( ${h3:-0} >= ${w3:-0} ))
}

# Free space in GiB (whole) of the file system holding $1, or of its nearest existing parent.
free_gib() {
  local dir="$1" kb
  while [[ ! -d "$dir" && "$dir" != / ]]; do dir="$(dirname "$dir")"; done
  kb="$(df -Pk "$dir" 2>/dev/null | awk 'NR == 2 { print $4 }')"
  [[ -n "$kb" ]] && echo $((kb / 1048576))
}

# $1 made absolute and free of symlinks, as far as it exists (macOS: /tmp is /private/tmp).
resolved_path() {
  local dir="$1" rest=""
  [[ "$dir" == /* ]] || dir="$PWD/$dir"
  while [[ ! -d "$dir" && "$dir" != / ]]; do rest="/$(basename "$dir")$rest" dir="$(dirname "$dir")"; done
  dir="$(cd "$dir" && pwd -P)"
  echo "${dir%/}$rest"
}

check_engine() {
  case "$ENGINE" in
    none) check_fail "docker not found" "install Docker: Docker Desktop (macOS, Windows), Colima or OrbStack (macOS), Docker Engine or your distribution's docker package (Linux)"; return 1 ;;
    unreachable) check_fail "Docker is installed but not reachable" "start Docker Desktop (or 'colima start'), or 'sudo systemctl start docker' (rootless: 'systemctl --user start docker'); check that your user may use it: 'docker info'"; return 1 ;;
    podman) check_fail "Podman is not supported (kind's Podman provider is experimental, and rootless Podman cannot publish ports 80/443)" "use Docker: Docker Desktop, Docker Engine (rootless too), Colima or OrbStack; unset KIND_EXPERIMENTAL_PROVIDER"; return 1 ;;
  esac
  check_ok "docker: $ENGINE_NAME $ENGINE_VERSION ($ENGINE_OS, linux/$NODE_ARCH, $IMAGE_STORE; images reach the nodes as archives either way)"
}

# Memory given to Docker: 4 kind nodes, 3 brokers, the services. The fix depends on who gives it.
check_memory() {
  local fix
  case "$ENGINE" in
    docker-desktop)
      if [[ "$HOST_OS" == wsl || "$HOST_OS" == gitbash || "$ENGINE_KERNEL" == *[Mm]icrosoft* ]]; then
        fix="Docker Desktop's WSL 2 backend gets its memory from WSL: in %UserProfile%\\.wslconfig set [wsl2] memory=8GB, then 'wsl --shutdown' and start Docker Desktop again"
      else
        fix="Docker Desktop: Settings > Resources > Memory, 6 GB or more"
      fi ;;
    colima) fix="colima stop && colima start --memory 8" ;;
    orbstack) fix="OrbStack: Settings > System > Memory limit, 6 GB or more" ;;
    *) fix="the host's memory is what Docker gets: close other programs, or use a machine with more RAM" ;;
  esac
  if ((ENGINE_MEM_MIB < 4096)); then
    check_fail "memory for Docker: $ENGINE_MEM_MIB MiB (4 kind nodes and 3 brokers need at least 4 GiB, better 6)" "$fix"
  elif ((ENGINE_MEM_MIB < 6144)); then
    check_warn "memory for Docker: $ENGINE_MEM_MIB MiB (6 GiB or more recommended; pods may be evicted)" "$fix"
  else
    check_ok "memory for Docker: $ENGINE_MEM_MIB MiB"
  fi
}

# Disk where Docker keeps its data (only when that path is on this machine: VM-based engines keep it inside the VM).
check_docker_disk() {
  local gib
  if [[ -d "$ENGINE_ROOT_DIR" ]] && gib="$(free_gib "$ENGINE_ROOT_DIR")" && [[ -n "$gib" ]]; then
    if ((gib < 2)); then check_fail "disk: $gib GiB free for Docker in $ENGINE_ROOT_DIR (images and nodes need about 5 GB)" "free space there: 'docker system prune' removes unused images and build cache"
    elif ((gib < 5)); then check_warn "disk: $gib GiB free for Docker in $ENGINE_ROOT_DIR (about 5 GB needed)" "'docker system prune' removes unused images and build cache"
    else check_ok "disk: $gib GiB free for Docker ($ENGINE_ROOT_DIR)"
    fi
  else
    check_note "disk: Docker keeps its data in its VM ($ENGINE_NAME); give it 5 GB or more"
  fi
}

check_builder() {
  case "$BUILD_MODE" in
    none) check_ok "builder: not needed (SERVICE_IMAGE=$SERVICE_IMAGE is used as it is)" ;;
    buildkit)
      if [[ -n "$BUILDER" ]]; then
        check_ok "builder: BuildKit, builder '$BUILDER' (your current builder '$BUILDER_CURRENT' uses the $BUILDER_DRIVER driver, whose images do not reach 'docker images')"
      elif [[ -n "$BUILDER_DRIVER" ]]; then check_ok "builder: BuildKit (builder '$BUILDER_CURRENT')"
      else check_ok "builder: the engine's BuildKit (docker client $DOCKER_CLIENT)"
      fi ;;
    wrong-builder)
      check_fail "builder: the current buildx builder '$BUILDER_CURRENT' uses the $BUILDER_DRIVER driver: the image it builds stays in its cache, not in 'docker images'" \
        "docker buildx use default   (or any builder of the 'docker' driver; 'docker buildx ls' lists them)" ;;
    legacy)
      check_note "builder: no buildx plugin, so the service image builds with the legacy builder (DOCKER_BUILDKIT=0: works, but without a compile cache between builds). For faster rebuilds install buildx: 'docker-buildx-plugin' (Docker's apt/dnf repositories), 'docker-buildx' (Debian 13, Ubuntu, Fedora, Arch), 'brew install docker-buildx' (Colima)" ;;
  esac
}

# inotify limits (Linux hosts; VM-based engines have their own): kind's known issue with several nodes.
check_inotify() {
  local dir="${KOK_INOTIFY_DIR:-/proc/sys/fs/inotify}" instances watches
  [[ "$HOST_OS" == linux || "$HOST_OS" == wsl ]] || return 0
  [[ "$ENGINE" != docker-desktop && -r "$dir/max_user_instances" && -r "$dir/max_user_watches" ]] || return 0
  instances="$(cat "$dir/max_user_instances")" watches="$(cat "$dir/max_user_watches")"
  if ((instances < 512 || watches < 524288)); then
    check_fail "inotify limits: max_user_instances=$instances (need 512), max_user_watches=$watches (need 524288): kind's nodes fail with 'too many open files'" \
"sudo sysctl fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288
to keep it after a reboot: printf 'fs.inotify.max_user_instances = 512\nfs.inotify.max_user_watches = 524288\n' | sudo tee /etc/sysctl.d/99-kind.conf"
  else
    check_ok "inotify limits: max_user_instances=$instances, max_user_watches=$watches"
  fi
}

# Ports Windows programs listen on, seen from WSL (NAT networking hides them from a probe inside WSL). netstat's
# state column is translated, so a listener is told by its foreign address (0.0.0.0:0 or [::]:0).
windows_listeners() {
  local out
  out="$(netstat.exe -an -p TCP 2>/dev/null)" || return 1
  awk '$1 == "TCP" && ($3 == "0.0.0.0:0" || $3 == "[::]:0") { n = split($2, a, ":"); print a[n] }' <<<"${out//$'\r'/}"
}

# Host ports of the Ingress: ours when the cluster exists, else they must be free — on this machine, on the Windows
# side under WSL, and publishable at all by rootless Docker.
check_ports() {
  local port taken=() listeners start_file="${KOK_PORT_START_FILE:-/proc/sys/net/ipv4/ip_unprivileged_port_start}" start
  if [[ -n "$KIND" ]] && cluster_exists; then
    check_ok "ports $HTTP_PORT/$HTTPS_PORT: used by the existing cluster '$CLUSTER'"
    return
  fi
  for port in "$HTTP_PORT" "$HTTPS_PORT"; do port_open "$port" && taken+=("$port"); done
  if [[ "$HOST_OS" == wsl ]]; then
    if listeners="$(windows_listeners)"; then
      for port in "$HTTP_PORT" "$HTTPS_PORT"; do
        if printf '%s\n' "$listeners" | awk -v p="$port" '$1 == p { found = 1 } END { exit !found }'; then taken+=("$port (a Windows program)"); fi
      done
    else
      check_note "ports: cannot ask Windows which ports its programs hold (WSL interop off?); a Windows program on $HTTP_PORT/$HTTPS_PORT would make Docker Desktop refuse them"
    fi
  fi
  if ((${#taken[@]})); then
    check_fail "port(s) ${taken[*]-} taken on this machine (the Ingress listens on $HTTP_PORT and $HTTPS_PORT)" "free them, or choose others: ./deploy.sh --http-port 8080 --https-port 8443"
    return
  fi
  if [[ "$ENGINE" == rootless && -r "$start_file" ]]; then
    start="$(cat "$start_file")"
    if ((HTTP_PORT < start || HTTPS_PORT < start)); then
      check_fail "ports $HTTP_PORT/$HTTPS_PORT: rootless Docker cannot publish ports below $start (net.ipv4.ip_unprivileged_port_start)" \
"sudo sysctl net.ipv4.ip_unprivileged_port_start=80 && systemctl --user restart docker
(to keep it: echo 'net.ipv4.ip_unprivileged_port_start = 80' | sudo tee /etc/sysctl.d/99-rootless-ports.conf)
or use unprivileged ports: ./deploy.sh --http-port 8080 --https-port 8443"
      return
    fi
  fi
  check_ok "ports $HTTP_PORT/$HTTPS_PORT: free"
}

# The data directory: a file system Kafka can use, a path the engine can mount, and free space.
check_data_dir() {
  local dir gib fix_dir="--data-dir ~/kafka-on-kind-data"
  dir="$(resolved_path "$DATA_DIR")"
  # Kafka's segment renames fail on NTFS (Git Bash, or WSL's /mnt/c): KAFKA-1194.
  if [[ "$HOST_OS" == gitbash ]]; then
    check_warn "the data directory $DATA_DIR is on NTFS, where Kafka's segment renames fail (KAFKA-1194)" "run ./deploy.sh inside WSL 2 (deploy.ps1 does when WSL has Docker): the data then lives on the WSL file system"
  elif [[ "$dir" == /mnt/[a-z]/* ]]; then
    check_warn "the data directory $DATA_DIR is on a Windows drive, where Kafka's segment renames fail (KAFKA-1194)" "--data-dir ~/kafka-data (any directory of the WSL file system)"
  fi
  # VM-based engines mount only what they share with their VM; elsewhere the mount fails or is an empty directory.
  if [[ "$HOST_OS" == macos && "$ENGINE" == docker-desktop ]]; then
    case "$dir" in
      /Users/*|/Volumes/*|/private/*|/tmp/*|/var/folders/*) ;;
      *) check_fail "the data directory $dir is outside what Docker Desktop shares with its VM (/Users, /Volumes, /private, /tmp, /var/folders)" "$fix_dir, or add it in Docker Desktop: Settings > Resources > File sharing"; return ;;
    esac
  elif [[ "$ENGINE" == colima ]]; then
    case "$dir/" in
      "$HOME"/*) ;;
      *) check_fail "the data directory $dir is outside your home directory, the only one Colima mounts by default (the brokers would write into an empty directory of its VM)" "$fix_dir, or: colima stop && colima start --mount $dir:w"; return ;;
    esac
  fi
  if gib="$(free_gib "$dir")" && [[ -n "$gib" ]]; then
    if ((gib < 1)); then check_fail "disk: $gib GiB free for the data in $dir" "free space there, or put the data elsewhere: --data-dir DIR"
    elif ((gib < 5)); then check_warn "disk: $gib GiB free for the data in $dir (5 GB recommended)" "--data-dir DIR puts it on another disk"
    else check_ok "disk: $gib GiB free for the data ($dir)"
    fi
  fi
}

check_kind() {
  local fix="scripts/install-k8s-tools.sh (installs kind $KIND_VERSION into .cache/bin; needs Go), 'brew install kind', or 'go install sigs.k8s.io/kind@$KIND_VERSION' (in WSL: inside WSL, not kind.exe)"
  if [[ -z "$KIND" ]]; then
    check_fail "kind not found" "$fix"
  elif [[ -z "$KIND_FOUND_VERSION" ]]; then
    check_warn "kind of unknown version found (this project needs $KIND_VERSION or newer)" "$fix"
  elif ! version_at_least "$KIND_FOUND_VERSION" "$KIND_VERSION"; then
    check_fail "kind $KIND_FOUND_VERSION is older than $KIND_VERSION, the oldest that runs this project's node image ($KIND_NODE_IMAGE)" "$fix"
  else
    check_ok "kind $KIND_FOUND_VERSION (the kind proof ran $KIND_VERSION with Kubernetes $(minor_of "$KUBERNETES_VERSION"))"
  fi
}

check_kubectl() {
  local want have fix
  want="$(minor_of "$KUBERNETES_VERSION")"
  fix="install kubectl $want.x: 'brew install kubectl', the Kubernetes apt/yum repository, or https://kubernetes.io/docs/tasks/tools/ (in WSL: inside WSL)"
  if [[ -z "$KUBECTL" ]]; then
    check_fail "kubectl not found" "$fix"
    return
  fi
  have="$(minor_of "${KUBECTL_FOUND_VERSION:-v0.0}")"
  # kubectl supports one minor version of skew either way.
  if (( ${have#*.} < ${want#*.} - 1 || ${have#*.} > ${want#*.} + 1 )) || [[ "${have%%.*}" != "${want%%.*}" ]]; then
    check_warn "kubectl ${KUBECTL_FOUND_VERSION:-of unknown version} is more than one minor version away from the cluster's $KUBERNETES_VERSION" "$fix"
  else
    check_ok "kubectl $KUBECTL_FOUND_VERSION (cluster $KUBERNETES_VERSION)"
  fi
}

# Every check before anything is created. Problems are counted (and printed with their fix); warnings only printed.
preflight() {
  PROBLEMS=0 WARNINGS=0
  log "preflight: Docker, memory, inotify, ports, disk, builder, kind, kubectl"
  detect_all
  if check_engine; then
    check_memory
    check_docker_disk
    check_builder
  fi
  check_inotify
  check_ports
  check_data_dir
  check_kind
  check_kubectl
  if ((PROBLEMS)); then
    printf 'preflight: %d problem(s), %d warning(s)\n' "$PROBLEMS" "$WARNINGS" >&2
    return 1
  fi
  printf 'preflight: ok (%d warning(s))\n' "$WARNINGS" >&2
}
