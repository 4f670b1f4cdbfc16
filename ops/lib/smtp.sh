# Real SMTP servers for tests: Debian's python3-aiosmtpd with its Maildir handler.
# shellcheck shell=bash

# smtp_tls_material DIR: a throwaway CA (DIR/ca.pem) and a server certificate for 127.0.0.1/localhost
# (DIR/server.pem, DIR/server.key) signed by it, so clients can verify the server instead of trusting anything.
smtp_tls_material() {
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=builder test SMTP CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1 || die "openssl could not make the SMTP test CA"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1 \
    || die "openssl could not make the SMTP server key"
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" >/dev/null 2>&1 || die "openssl could not sign the SMTP server certificate"
}

# smtp_start DIR NAME [aiosmtpd options...]: starts aiosmtpd storing into DIR/NAME/Maildir.
# Sets SMTP_PORT and SMTP_PID (not printed: a $(...) subshell would lose the cleanup registration).
smtp_start() {
  local dir=$1 name=$2 port pid
  shift 2
  port=$(free_port)
  mkdir -p "$dir/$name"
  # -n: never setuid to nobody: the Maildir belongs to the user running the tests.
  # The Debian interpreter, so the packaged aiosmtpd is the one that runs.
  /usr/bin/python3 -m aiosmtpd -n -c aiosmtpd.handlers.Mailbox -l "127.0.0.1:$port" "$@" "$dir/$name/Maildir" \
    </dev/null >"$dir/$name.log" 2>&1 &
  pid=$!
  on_exit "smtp_stop $pid"
  wait_port 127.0.0.1 "$port" 20 "aiosmtpd $name"
  SMTP_PORT=$port SMTP_PID=$pid
}

smtp_stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  local i
  for (( i=0; i<50; i++ )); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
