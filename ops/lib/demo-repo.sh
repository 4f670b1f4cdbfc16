#!/usr/bin/env bash
# demo-repo.sh GITDIR PACKAGE: makes GITDIR/PACKAGE.git, a bare repository holding ops/demo/PACKAGE with branches
# main (prod) and dev, as an admin would lay out a package repository. Idempotent: an existing repository is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
gitdir=$1 package=$2
repo="$gitdir/$package.git"
[ -d "$repo" ] && exit 0
src="$root/ops/demo/$package"
[ -d "$src" ] || { echo "error: no demo package at ops/demo/$package" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -a "$src/." "$tmp/"
git -C "$tmp" init -q -b main
git -C "$tmp" -c user.name="Builder quickstart" -c user.email="quickstart@builder.invalid" add -A
git -C "$tmp" -c user.name="Builder quickstart" -c user.email="quickstart@builder.invalid" commit -q -m "Import $package"
git -C "$tmp" branch dev
git init -q --bare "$repo"
git -C "$tmp" push -q "$repo" main dev
