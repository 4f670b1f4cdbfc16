# Throwaway PostgreSQL cluster: initdb in a temp dir, a free port, run as the postgres user.
# shellcheck shell=bash

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -x "$d/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql (package postgresql)"
  echo "$d"
}

# pg_start DIR [durable]: starts a cluster in DIR and exports BUILDER_TEST_PG (an admin connection string).
# Tests run without fsync; "durable" keeps PostgreSQL's defaults (benchmarks compare like with like).
pg_start() {
  local dir=$1 durable=${2:-} bin port pw opts
  bin=$(pg_bindir)
  port=$(free_port)
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  printf '%s\n' "$pw" > "$dir.pw"; chown postgres "$dir.pw"; chmod 600 "$dir.pw"
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U builder --pwfile="$dir.pw" -A scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 || { cat "$dir.initdb.log" >&2; die "initdb failed"; }
  rm -f "$dir.pw"
  opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300"
  # Throwaway test cluster: fsync off is fine, durability is not what the tests measure.
  [ "$durable" = durable ] || opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 -o "$opts" \
    start >/dev/null || { tail -n 30 "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
  on_exit "runuser -u postgres -- '$bin/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1"
  export BUILDER_TEST_PG="Host=127.0.0.1;Port=$port;Username=builder;Password=$pw;Database=postgres"
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=builder PGPASSWORD=$pw
  say "PostgreSQL on 127.0.0.1:$port (cluster $dir)"
}
