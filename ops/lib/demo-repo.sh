#!/usr/bin/env bash
# demo-repo.sh GITDIR PACKAGE [NAME]: makes GITDIR/NAME.git, a bare repository holding ops/demo/PACKAGE with branches
# main (prod) and dev, as an admin would lay out a package repository. NAME (default PACKAGE) renames the source and
# binary package in debian/control and debian/changelog, so tests can have several packages from one demo.
# Idempotent: an existing repository is kept.
# demo-repo.sh GITDIR PACKAGE --new-version: commits a new debian/changelog entry on dev (VERSION+qsN, the next N),
# as a developer would before the next build, and prints the new version.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
gitdir=$1 package=$2 mode="" name=$2
case "${3:-}" in
  --new-version) mode=--new-version ;;
  "") ;;
  *) name=$3 ;;
esac
repo="$gitdir/$name.git"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
git_as() { git -C "$1" -c user.name="Builder quickstart" -c user.email="quickstart@builder.invalid" "${@:2}"; }

if [ "$mode" = --new-version ]; then
  [ -d "$repo" ] || { echo "error: no repository $repo" >&2; exit 1; }
  git clone -q -b dev "$repo" "$tmp/w"
  changelog="$tmp/w/debian/changelog"
  source=$(dpkg-parsechangelog -l "$changelog" -SSource)
  current=$(dpkg-parsechangelog -l "$changelog" -SVersion)
  base=${current%%+qs*} n=1
  [ "$base" != "$current" ] && n=${current##*+qs}
  version="$base+qs$((n + 1))"
  { printf '%s (%s) unstable; urgency=medium\n\n  * New version for the next quickstart build.\n\n -- Builder quickstart <quickstart@builder.invalid>  %s\n\n' \
      "$source" "$version" "$(date -R)"
    cat "$changelog"; } > "$tmp/changelog"
  mv "$tmp/changelog" "$changelog"
  git_as "$tmp/w" commit -q -am "$source $version"
  git -C "$tmp/w" push -q origin dev
  echo "$version"
  exit 0
fi

[ -d "$repo" ] && exit 0
src="$root/ops/demo/$package"
[ -d "$src" ] || { echo "error: no demo package at ops/demo/$package" >&2; exit 1; }
cp -a "$src/." "$tmp/"
if [ "$name" != "$package" ]; then
  sed -i -e "s/^Source: $package\$/Source: $name/" -e "s/^Package: $package\$/Package: $name/" "$tmp/debian/control"
  sed -i -e "1s/^$package /$name /" "$tmp/debian/changelog"
fi
git -C "$tmp" init -q -b main
git_as "$tmp" add -A
git_as "$tmp" commit -q -m "Import $name"
git -C "$tmp" branch dev
git init -q --bare "$repo"
git -C "$tmp" push -q "$repo" main dev
