# Real distccd farm hosts on loopback ports (Debian's distcc), for tests, benchmarks and quickstart.
# shellcheck shell=bash

# distccd_start DIR NAME JOBS: starts one stock distccd as user distccd, allowing only loopback.
# Sets DISTCCD_PORT (not printed: a $(...) subshell would lose the cleanup registration).
# The log is DIR/NAME.log; DIR must be searchable by user distccd. DISTCCD_PID is the daemon's pid.
distccd_start() {
  local dir=$1 name=$2 jobs=${3:-2} port
  port=$(free_port)
  mkdir -p "$dir"; chmod 755 "$dir"
  : > "$dir/$name.log"; chown distccd "$dir/$name.log"
  runuser -u distccd -- test -w "$dir/$name.log" || die "user distccd cannot write $dir/$name.log (a parent directory is not searchable)"
  # --allow: the gateway (and tests) connect from loopback only. --user: never compile as root.
  # --no-detach in the background: this shell keeps the pid (a pid file would have to be writable by distccd).
  distccd --daemon --no-detach --listen 127.0.0.1 --port "$port" --allow 127.0.0.1/32 --user distccd \
    --jobs "$jobs" --job-lifetime 300 --log-level info --log-file "$dir/$name.log" </dev/null >/dev/null 2>&1 &
  DISTCCD_PID=$!
  on_exit "distccd_stop $DISTCCD_PID"
  wait_port 127.0.0.1 "$port" 10 "distccd $name"
  DISTCCD_PORT=$port
}

# distccd_stop PID: the parent distccd terminates its workers on SIGTERM.
distccd_stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  local i
  for (( i=0; i<50; i++ )); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
