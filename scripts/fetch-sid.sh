#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fetch-sid.sh PKG PIN OUT: put PKG from Debian unstable, unpacked
# (dpkg -x), in OUT. Debian 12 does not carry mainline kernels; unstable
# does. The package lists are read into a private folder, so the machine's
# apt sources and package state stay as they are.
#
# PIN, when the archive has it; else the newest version of PKG, with a
# warning; no PKG at all fails at once, naming the linux-source packages
# unstable has now. OUT/.version records what was unpacked; a rerun with
# that version does nothing.
set -euo pipefail
pkg=$1 pin=$2 out=$3
if [ "$(cat "$out/.version" 2>/dev/null)" = "$pin" ]; then
	exit 0
fi

# The machine's Debian mirror: deb822 .sources first, then sources.list.
uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
      awk '{ print $1; exit }')
[ -n "$uri" ] || uri=$(sed 's/\[[^]]*\]//' /etc/apt/sources.list 2>/dev/null |
		       awk '$1 == "deb" { print $2; exit }')
[ -n "$uri" ] || { echo "fetch: no Debian mirror in the apt sources" >&2; exit 1; }

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/lists/partial"
echo "deb $uri sid main" > "$t/sources.list"
o=(-o "Dir::State::Lists=$t/lists" -o "Dir::Etc::SourceList=$t/sources.list"
   -o Dir::Etc::SourceParts=/nonexistent -o Debug::NoLocking=1
   -o APT::Sandbox::User=root -o Acquire::Check-Valid-Until=false)
# A mirror or cache may serve an unstable Release file past its
# Valid-Until date; apt then refuses the whole list. The signature is still
# checked and the version is pinned, so an old list is only a staler
# choice of versions, not an unverified one.
echo "fetch: reading Debian unstable's package list ($uri)"
apt-get "${o[@]}" update -qq ||
	{ echo "fetch: apt-get update of unstable's list failed (above)" >&2; exit 1; }

versions=$(apt-cache "${o[@]}" madison "$pkg" |
	   awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -Vr)
if grep -qxF "$pin" <<<"$versions"; then
	want=$pin
elif [ -n "$versions" ]; then
	want=$(head -n 1 <<<"$versions")
	cat >&2 <<MSG
################################################################
fetch: WARNING: $pkg $pin is no longer in Debian unstable.
fetch: WARNING: using $pkg $want instead.
fetch: WARNING: results are NOT from the pinned base.
################################################################
MSG
else
	have=$(apt-cache "${o[@]}" search --names-only '^linux-source-[0-9.]+$' |
	       awk '{ print $1 }' | sort -V | tr '\n' ' ')
	echo "fetch: no $pkg in Debian unstable; it has: ${have:-no linux-source at all}" >&2
	exit 1
fi

echo "fetch: downloading $pkg $want"
(cd "$t" && apt-get "${o[@]}" download -q "$pkg=$want")
rm -rf "$out"
mkdir -p "$out"
dpkg -x "$t"/"${pkg}"_*.deb "$out"
echo "$want" > "$out/.version"
echo "fetch: $pkg $want in $out"
