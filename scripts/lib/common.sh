# shellcheck shell=bash
# Helpers shared by the project's shell scripts. Source it; it defines functions and ROOT only.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT

log()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# Reads KEY=VALUE pins from versions.env into the environment (an already exported value wins, so callers can override).
load_versions() {
  local key value
  while IFS='=' read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    if [[ -z "${!key:-}" ]]; then export "$key=$value"; fi
  done < "$ROOT/versions.env"
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# Installs Debian packages (extra apt-get options such as --no-install-recommends may come first). Refreshes the
# package lists once per script, since a new machine may have none or stale ones, and waits up to 10 minutes for
# another apt or dpkg run (an unattended upgrade, a second script) to release its lock instead of failing at once.
APT_LISTS_FRESH=false
apt_install() {
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -qq)
  if ! $APT_LISTS_FRESH; then
    as_root ${apt[@]+"${apt[@]}"} update
    APT_LISTS_FRESH=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive ${apt[@]+"${apt[@]}"} install -y "$@" >/dev/null
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Elapsed seconds since $1 (a value of $SECONDS).
since() { echo "$(( SECONDS - $1 ))s"; }

# The --help text of script $1: its leading comment block (after the shebang, up to the first line that is not a
# comment), without the '# ' and without shellcheck directives. No fixed line numbers, so the text can grow.
script_help() {
  awk 'NR == 1 && /^#!/ { next }
       /^#/ { if ($0 ~ /^# *shellcheck /) next; sub(/^# ?/, ""); print; next }
       { exit }' "$1"
}

# usage_error MESSAGE USAGE: a wrong argument gets one line saying what was wrong and the usage line, on stderr,
# and exit status 2 (no full help: --help prints that).
usage_error() {
  printf 'error: %s\n' "$1" >&2
  printf 'usage: %s   (--help for more)\n' "$2" >&2
  exit 2
}

# Upper case, as bash 4's ${x^^} (bash 3.2 lacks it).
upper() { printf '%s' "$1" | tr '[:lower:]' '[:upper:]'; }
