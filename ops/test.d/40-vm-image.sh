# The build VM image (ops/image/build-image; cached by recipe hash, so only the first run takes ~3 minutes), and the
# user the systemd unit runs builderd as (the privilege tests start builderd as that user, as the unit does).
# BUILDER_TEST_IMAGE: the image directory; BUILDER_TEST_DAEMON_USER: the unit's user.
id builder >/dev/null 2>&1 \
  || useradd --system --user-group --no-create-home --home-dir /var/lib/builder --shell /usr/sbin/nologin builder \
  || die "could not create user builder"
BUILDER_TEST_IMAGE=$(ops/image/build-image --prune 8) || die "ops/image/build-image failed"
[ -f "$BUILDER_TEST_IMAGE/image.json" ] || die "ops/image/build-image printed '$BUILDER_TEST_IMAGE', not an image directory"
export BUILDER_TEST_IMAGE BUILDER_TEST_DAEMON_USER=builder
say "VM image $BUILDER_TEST_IMAGE"
