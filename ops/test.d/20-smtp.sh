# Real SMTP servers (ops/lib/smtp.sh): plain, STARTTLS (required) and implicit TLS, each into its own Maildir.
# BUILDER_TEST_SMTP / _SMTP_TLS / _SMTPS: 127.0.0.1:PORT; *_MAILDIR: where each stores what it accepted;
# BUILDER_TEST_SMTP_TLS_CA: the CA that signed the TLS servers' certificate.
. ops/lib/smtp.sh
_s=$BUILDER_TEST_WORK/smtp
smtp_tls_material "$_s/tls"
smtp_start "$_s" plain
export BUILDER_TEST_SMTP=127.0.0.1:$SMTP_PORT BUILDER_TEST_SMTP_MAILDIR=$_s/plain/Maildir
smtp_start "$_s" starttls --tlscert "$_s/tls/server.pem" --tlskey "$_s/tls/server.key"
export BUILDER_TEST_SMTP_TLS=127.0.0.1:$SMTP_PORT BUILDER_TEST_SMTP_TLS_MAILDIR=$_s/starttls/Maildir
smtp_start "$_s" smtps --smtpscert "$_s/tls/server.pem" --smtpskey "$_s/tls/server.key"
export BUILDER_TEST_SMTPS=127.0.0.1:$SMTP_PORT BUILDER_TEST_SMTPS_MAILDIR=$_s/smtps/Maildir
export BUILDER_TEST_SMTP_TLS_CA=$_s/tls/ca.pem
say "aiosmtpd on $BUILDER_TEST_SMTP (plain), $BUILDER_TEST_SMTP_TLS (STARTTLS), $BUILDER_TEST_SMTPS (implicit TLS)"
