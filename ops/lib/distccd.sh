# Real distccd farm hosts on loopback ports (Debian's distcc), for tests, benchmarks and quickstart.
# shellcheck shell=bash

# distccd_farm_cc DIR: installs the per-job sandbox wrapper (ops/farm/install-farm-cc) under DIR/farm-cc, once;
# sets FARM_CC_PATH to its symlink directory (what DISTCCD_PATH starts with, as in distccd-farm.service).
distccd_farm_cc() {
  FARM_CC_PATH=$1/farm-cc/bin
  [ -x "$1/farm-cc/builder-farm-cc" ] && return 0
  mkdir -p "$1"; chmod 755 "$1"
  "$BUILDER_ROOT/ops/farm/install-farm-cc" "$1/farm-cc" >/dev/null || die "ops/farm/install-farm-cc failed"
}

# distccd_start DIR NAME JOBS [plain]: starts one stock distccd as user distccd, allowing only loopback, running
# every compile job through the per-job sandbox (ops/farm/builder-farm-cc) as production does; "plain" runs the
# compilers directly (only the benchmark's baseline does that).
# Sets DISTCCD_PORT (not printed: a $(...) subshell would lose the cleanup registration).
# The log is DIR/NAME.log; DIR must be searchable by user distccd. DISTCCD_PID is the daemon's pid.
distccd_start() {
  local dir=$1 name=$2 jobs=${3:-2} mode=${4:-sandbox} port path
  port=$(free_port)
  if [ "$mode" = plain ]; then
    path=/usr/local/bin:/usr/bin:/bin
  else
    distccd_farm_cc "$dir"; path=$FARM_CC_PATH:/usr/bin:/bin
  fi
  mkdir -p "$dir"; chmod 755 "$dir"
  : > "$dir/$name.log"; chown distccd "$dir/$name.log"
  runuser -u distccd -- test -w "$dir/$name.log" || die "user distccd cannot write $dir/$name.log (a parent directory is not searchable)"
  # --allow: the gateway (and tests) connect from loopback only. --user: never compile as root.
  # --no-detach in the background: this shell keeps the pid (a pid file would have to be writable by distccd).
  # DISTCCD_PATH: the command PATH distccd runs compilers from (man distccd, SEARCH PATHS).
  DISTCCD_PATH=$path distccd --daemon --no-detach --listen 127.0.0.1 --port "$port" --allow 127.0.0.1/32 --user distccd \
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
