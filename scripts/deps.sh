#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deps.sh [--stamp FILE | --once FILE] [PKG PIN]: install what the build,
# the guest and the tests need, and the base's source package PKG at PIN
# when the base is Debian 12's.
#
# --stamp FILE: after every package is there, write the list to FILE.
# --once FILE: when FILE holds the list this run would check, a run before
# installed it all: exit at once, without dpkg or apt; otherwise as --stamp.
# The builds run it with --once (once per package list); make deps checks
# every package again.
set -euo pipefail
stamp="" once=0
case "${1:-}" in
--stamp) stamp=${2:?deps: --stamp needs a file}; shift 2 ;;
--once) stamp=${2:?deps: --once needs a file}; once=1; shift 2 ;;
esac
pkg=${1:-} pin=${2:-}
need="build-essential bc bison flex libelf-dev libssl-dev cpio ccache
      qemu-system-x86 busybox-static xfsprogs python3 perl gzip xz-utils
      patch rsync gnuplot-nox git python3-sphinx python3-sphinx-rtd-theme
      python3-yaml python3-ply python3-git sparse"
# what the stamp records: every package, and the base's at its pin
list=$(printf '%s\n' $need ${pkg:+"$pkg=$pin"} | sort)
if [ "$once" = 1 ] && [ "$(cat "$stamp" 2>/dev/null)" = "$list" ]; then
	exit 0
fi
done_() {
	if [ -n "$stamp" ]; then
		mkdir -p "$(dirname "$stamp")"
		echo "$list" > "$stamp"
	fi
	exit 0
}

missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=" $p"
done
# dpkg-query exits 1 for a package dpkg has never seen: normal here.
if [ -n "$pkg" ]; then
	have=$( { dpkg-query -W -f='${Status} ${Version}' "$pkg" 2>/dev/null ||
		  true; } | sed -n 's/^install ok installed //p')
	[ "$have" = "$pin" ] || missing+=" $pkg"
fi
[ -z "$missing" ] && done_

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing; run as root or install them" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
"$(dirname "$0")/step.sh" "deps: apt-get update" apt-get update -qq
want=$missing
if [ -n "$pkg" ] && [[ "$missing" == *" $pkg"* ]]; then
	want="${missing/ $pkg/}"
	# grep -q would close the pipe early: under pipefail apt-cache's
	# SIGPIPE would read as "pin not found".
	versions=$(apt-cache madison "$pkg" | awk -F'|' '{gsub(/ /, "", $2); print $2}')
	if grep -qxF "$pin" <<<"$versions"; then
		want+=" $pkg=$pin"
	else
		newest=$(head -n1 <<<"$versions")
		[ -n "$newest" ] || { echo "deps: no $pkg in the archive" >&2; exit 1; }
		cat >&2 <<MSG
################################################################
deps: WARNING: $pkg $pin is no longer in the archive.
deps: WARNING: falling back to the newest 6.12: $newest.
deps: WARNING: results are NOT from the pinned base.
################################################################
MSG
		want+=" $pkg=$newest"
	fi
fi
# a few minutes on a fresh machine: step.sh says how long it has taken
"$(dirname "$0")/step.sh" "deps: apt-get install of $(echo $want | wc -w) packages" \
	sh -c 'exec apt-get install -y -qq --allow-downgrades "$@" >/dev/null' \
	sh $want
echo "deps: done"
done_
