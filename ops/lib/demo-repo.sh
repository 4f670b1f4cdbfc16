#!/usr/bin/env bash
# demo-repo.sh GITDIR PACKAGE [NAME]: makes GITDIR/NAME.git, a bare repository holding ops/demo/PACKAGE with branches
# main (prod) and dev, as an admin would lay out a package repository. NAME (default PACKAGE) renames the source and
# binary package in debian/control and debian/changelog, so tests can have several packages from one demo.
# Idempotent: an existing repository is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
gitdir=$1 package=$2 name=${3:-$2}
repo="$gitdir/$name.git"
[ -d "$repo" ] && exit 0
src="$root/ops/demo/$package"
[ -d "$src" ] || { echo "error: no demo package at ops/demo/$package" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -a "$src/." "$tmp/"
if [ "$name" != "$package" ]; then
  sed -i -e "s/^Source: $package\$/Source: $name/" -e "s/^Package: $package\$/Package: $name/" "$tmp/debian/control"
  sed -i -e "1s/^$package /$name /" "$tmp/debian/changelog"
fi
git -C "$tmp" init -q -b main
git -C "$tmp" -c user.name="Builder quickstart" -c user.email="quickstart@builder.invalid" add -A
git -C "$tmp" -c user.name="Builder quickstart" -c user.email="quickstart@builder.invalid" commit -q -m "Import $name"
git -C "$tmp" branch dev
git init -q --bare "$repo"
git -C "$tmp" push -q "$repo" main dev
