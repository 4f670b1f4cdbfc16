# Shared shell helpers for ops/test, ops/quickstart and ops/bench/*. Source it; do not run it.
# shellcheck shell=bash

BUILDER_ROOT=${BUILDER_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

say()  { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "$1 must run as root (it installs packages with apt and starts services as their own users)"
}

# Cleanup stack: functions registered here run in reverse order on exit, also on failure or Ctrl-C.
_BUILDER_CLEANUPS=()
on_exit() { _BUILDER_CLEANUPS+=("$*"); }
_builder_run_cleanups() {
  local rc=$? i
  for (( i=${#_BUILDER_CLEANUPS[@]}-1; i>=0; i-- )); do eval "${_BUILDER_CLEANUPS[$i]}" || true; done
  return $rc
}
trap _builder_run_cleanups EXIT
trap 'exit 130' INT TERM

# apt_ensure PKG...: installs the packages that are missing; silent when all are there.
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n1)" ]; then
    apt-get update -qq || die "apt-get update failed"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# apt_ensure_lists FILE...: package lists, one name a line, '#' comments.
apt_ensure_lists() {
  local pkgs
  pkgs=$(sed -e 's/#.*//' "$@" | tr -s ' \n' '\n' | sed '/^$/d' | sort -u)
  # shellcheck disable=SC2086
  apt_ensure $pkgs
}

# free_port: an unused TCP port on 127.0.0.1.
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port HOST PORT SECONDS NAME: waits until something listens.
wait_port() {
  local host=$1 port=$2 secs=$3 name=$4 i
  for (( i=0; i<secs*10; i++ )); do
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  die "$name did not listen on $host:$port within ${secs}s"
}
