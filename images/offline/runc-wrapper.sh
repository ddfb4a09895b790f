#!/bin/bash
# bash 4+: runs only on the offline build host (./test.sh --kind), never on a user's machine.
# A runc in front of the real one that removes CAP_SYS_RESOURCE from the capabilities a container asks for, when
# (and only when) this process's own capability bounding set lacks it.
#
# Why: some sandboxed hosts run everything with CAP_SYS_RESOURCE dropped from the bounding set. A privileged
# container asks for every capability, runc cannot grant one it does not have, and the container fails with
# "unable to apply caps: operation not permitted". kind's nodes are privileged containers, and the pods they run
# (kube-proxy, the CNI daemon) are privileged too, so the same wrapper is registered as dockerd's default runtime on
# the host and installed as /usr/local/sbin/runc (ahead of Debian's /usr/sbin/runc) inside the node image.
#
# The same missing capability forbids lowering oom_score_adj: the kubelet asks -998 for pod sandboxes and critical
# pods, and runc then fails with "can't get final child's PID from pipe: EOF" (nsexec: "failed to update
# /proc/self/oom_score_adj: Permission denied"). So a requested oomScoreAdj below our own is raised to our own.
#
# It edits the OCI bundle's config.json (create/run) or the process file (exec --process), and drops
# `--cap CAP_SYS_RESOURCE` from exec. Everything else is passed through untouched.
set -euo pipefail

real_runc="${KOK_REAL_RUNC:-/usr/sbin/runc}"

cap_bounded() {  # true when CAP_SYS_RESOURCE (bit 24) is in our bounding set
  local bnd
  bnd="$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status)"
  (( (0x$bnd >> 24) & 1 ))
}
if cap_bounded; then
  exec "$real_runc" "$@"
fi

# fix_spec FILE CAPS_PATH PROCESS_PATH: removes CAP_SYS_RESOURCE from every capability list under CAPS_PATH and
# raises PROCESS_PATH.oomScoreAdj to at least our own oom_score_adj.
fix_spec() {
  local file="$1" caps="$2" process="$3" floor tmp
  [[ -f "$file" ]] || return 0
  floor="$(cat /proc/self/oom_score_adj)"
  tmp="$(mktemp "$file.XXXXXX")"
  jq --argjson floor "$floor" "
    (if $caps != null then $caps |= with_entries(.value |= map(select(. != \"CAP_SYS_RESOURCE\"))) else . end)
    | (if $process.oomScoreAdj != null and $process.oomScoreAdj < \$floor then $process.oomScoreAdj = \$floor else . end)" \
    "$file" > "$tmp"
  chmod --reference="$file" "$tmp"
  mv "$tmp" "$file"
}

# Find the subcommand: the first argument that is neither a global option nor the value of one.
args=("$@")
command=""
bundle=""
process=""
out=()
i=0
while (( i < ${#args[@]} )); do
  arg="${args[i]}"
  if [[ -z "$command" ]]; then
    case "$arg" in
      --root|--log|--log-format|--criu|--rootless) out+=("$arg" "${args[i+1]:-}"); i=$((i + 2)); continue ;;
      -*) ;;
      *) command="$arg" ;;
    esac
    out+=("$arg")
  else
    case "$arg" in
      --bundle|-b) bundle="${args[i+1]:-}"; out+=("$arg" "$bundle"); i=$((i + 2)); continue ;;
      --bundle=*) bundle="${arg#--bundle=}" ;;
      --process|-p) process="${args[i+1]:-}"; out+=("$arg" "$process"); i=$((i + 2)); continue ;;
      --process=*) process="${arg#--process=}" ;;
      --cap|-c) if [[ "${args[i+1]:-}" == CAP_SYS_RESOURCE ]]; then i=$((i + 2)); continue; fi ;;
      --cap=CAP_SYS_RESOURCE) i=$((i + 1)); continue ;;
    esac
    out+=("$arg")
  fi
  i=$((i + 1))
done

case "$command" in
  create|run) fix_spec "${bundle:-.}/config.json" .process.capabilities .process ;;
  exec) if [[ -n "$process" ]]; then fix_spec "$process" .capabilities ""; fi ;;
esac
exec "$real_runc" "${out[@]}"
