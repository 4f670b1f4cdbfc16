# The build VM image (ops/image/build-image; cached by recipe hash, so only the first run takes ~3 minutes)
# and the unprivileged user qemu runs as.
# BUILDER_TEST_IMAGE: the image directory; BUILDER_TEST_VM_USER: the user qemu runs as.
id builder-vm >/dev/null 2>&1 \
  || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin builder-vm \
  || die "could not create user builder-vm"
BUILDER_TEST_IMAGE=$(ops/image/build-image --prune 3) || die "ops/image/build-image failed"
[ -f "$BUILDER_TEST_IMAGE/image.json" ] || die "ops/image/build-image printed '$BUILDER_TEST_IMAGE', not an image directory"
export BUILDER_TEST_IMAGE BUILDER_TEST_VM_USER=builder-vm
say "VM image $BUILDER_TEST_IMAGE"
