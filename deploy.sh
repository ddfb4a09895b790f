#!/usr/bin/env bash
# One command for the whole system.
#
#   ./deploy.sh [up] [options]          kind cluster (1 control-plane + 3 workers), Kafka x3, services, Ingress on http://localhost
#   ./deploy.sh doctor                  the preflight checks alone (up runs them first): Docker, memory, inotify, ports, disk, tools
#   ./deploy.sh down [--purge]          delete the kind cluster; data in ./data/kind is kept unless --purge
#   ./deploy.sh status                  what runs; prints 'gateway: URL' and 'bootstrap: ...'
#   ./deploy.sh [up|down|status] --local   the same without Docker/Kubernetes: 3 local brokers, services, nginx on :8080
#   ./deploy.sh --help [--local]        this text, or the options of one mode
#
# Mode-specific options: deploy/kind/deploy-kind.sh --help and deploy/local/local.sh --help.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$here/scripts/lib/common.sh"

local_mode=false
args=()
for arg in "$@"; do
  if [[ "$arg" == --local ]]; then local_mode=true; else args+=("$arg"); fi
done

if ((${#args[@]} == 1)) && ! $local_mode && [[ "${args[0]}" == -h || "${args[0]}" == --help ]]; then
  script_help "$0"
  exit 0
fi

if $local_mode; then
  exec "$here/deploy/local/local.sh" ${args[@]+"${args[@]}"}
fi
exec "$here/deploy/kind/deploy-kind.sh" ${args[@]+"${args[@]}"}
