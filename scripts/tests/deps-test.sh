#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deps-test.sh: run scripts/deps.sh against fake machine states (stub
# dpkg-query, apt-cache, apt-get and id on PATH) and check what it decides,
# and what its stamp (--once, --stamp) spares or redoes.
# Run by `make test` on the host before anything is built; DEPS=path tests
# another copy of deps.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
pkg=linux-source-6.12 pin=6.12.117-1~deb12u1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# state: installed packages as "name version" lines in $tmp/installed,
# archive versions of the base in $tmp/archive, uid in $tmp/uid
stubs() {
	mkdir -p "$tmp/bin"
	cat > "$tmp/bin/dpkg-query" <<'STUB'
#!/bin/bash
p=${!#}
echo "dpkg-query $p" >> "$STATE/dpkg-calls"
v=$(awk -v p="$p" '$1 == p { print $2 }' "$STATE/installed")
[ -n "$v" ] || { echo "dpkg-query: no packages found matching $p" >&2; exit 1; }
case "$*" in
*Version*) echo -n "install ok installed $v" ;;
*) echo -n "install ok installed" ;;
esac
STUB
	cat > "$tmp/bin/apt-cache" <<'STUB'
#!/bin/bash
while read -r v; do
	echo "linux-source-6.12 | $v | http://deb.example bookworm/main all Packages"
done < "$STATE/archive"
STUB
	cat > "$tmp/bin/apt-get" <<'STUB'
#!/bin/bash
echo "apt-get $*" >> "$STATE/calls"
STUB
	cat > "$tmp/bin/id" <<'STUB'
#!/bin/bash
cat "$STATE/uid"
STUB
	chmod +x "$tmp/bin/"*
}

# the packages deps.sh wants besides the base, read from deps.sh itself
need=$(sed -n '/^need="/,/"$/p' "${DEPS:-$here/scripts/deps.sh}" |
       sed 's/^need=//; s/"//g')
[ -n "$need" ] || { echo "deps-test: no need=\"...\" list in deps.sh" >&2; exit 1; }

# case NAME UID INSTALLED-BASE ARCHIVE EXPECT-RC EXPECT-IN-CALLS EXPECT-IN-ERR
case_() {
	local name=$1 uid=$2 base=$3 archive=$4 rc=$5 calls=$6 err=$7 got
	export STATE=$tmp/$name
	mkdir -p "$STATE"
	: > "$STATE/calls"
	: > "$STATE/dpkg-calls"
	echo "$uid" > "$STATE/uid"
	printf '%s\n' $archive > "$STATE/archive"
	# every other package deps.sh wants is installed
	for p in $need; do
		echo "$p 1.0"
	done > "$STATE/installed"
	[ -n "$base" ] && echo "$pkg $base" >> "$STATE/installed"
	PATH="$tmp/bin:$PATH" "${DEPS:-$here/scripts/deps.sh}" ${opts[@]+"${opts[@]}"} \
		"${base_args[@]}" \
		> "$STATE/out" 2> "$STATE/err"
	got=$?
	if [ "$got" = "$rc" ] &&
	   { [ -z "$calls" ] || grep -qF -- "$calls" "$STATE/calls"; } &&
	   { [ -z "$err" ] || grep -qF -- "$err" "$STATE/err"; }; then
		pass=$((pass + 1))
		echo "ok $name"
	else
		fail=$((fail + 1))
		echo "not ok $name: rc $got (want $rc); apt-get calls:"
		sed 's/^/    /' "$STATE/calls"
		sed 's/^/    stderr: /' "$STATE/err"
	fi
}

stubs
opts=()
# a Debian 12 base: deps.sh PKG PIN
base_args=("$pkg" "$pin")
# the base unknown to dpkg: install the pin
case_ unknown-to-dpkg 0 "" "$pin" 0 "install -y -qq --allow-downgrades $pkg=$pin" ""
# an older 6.12 installed: install the pin over it
case_ older-installed 0 6.12.100-1 "6.12.120-1 $pin" 0 "$pkg=$pin" ""
# the pin installed, everything else too: nothing to do, apt untouched
case_ pin-installed 0 "$pin" "$pin" 0 "" ""
if [ -s "$tmp/pin-installed/calls" ]; then
	fail=$((fail + 1)); pass=$((pass - 1))
	echo "not ok pin-installed: apt-get was called"
fi
# the pin gone from the archive: the newest 6.12, loudly
case_ pin-gone 0 "" "6.12.130-1 6.12.120-1" 0 "$pkg=6.12.130-1" \
	"WARNING: falling back to the newest 6.12: 6.12.130-1"
# not root, the base missing: one line naming it, non-zero exit
case_ not-root 1000 "" "$pin" 1 "" "deps: missing packages: $pkg; run as root"
# no 6.12 in the archive at all (no network, wrong sources)
case_ no-archive 0 "" "" 1 "" "deps: no $pkg in the archive"
# a mainline base (fetched from unstable, not installed): deps.sh alone
# installs nothing when every tool is there, whatever dpkg says of 6.12
base_args=()
case_ mainline-tools-there 0 "" "" 0 "" ""
if [ -s "$tmp/mainline-tools-there/calls" ]; then
	fail=$((fail + 1)); pass=$((pass - 1))
	echo "not ok mainline-tools-there: apt-get was called"
fi
# judge NAME WHAT CONDITION...: one more check of a case that passed
judge() {
	local name=$1 what=$2
	shift 2
	"$@" && return
	fail=$((fail + 1)); pass=$((pass - 1))
	echo "not ok $name: $what"
}

# --once STAMP: the builds' way. The first run (no stamp) checks every
# package and writes the list; the next one with the same list exits
# without asking dpkg or apt; a changed list (here the 6.12 base added)
# checks again and installs what is missing.
base_args=()
stamp=$tmp/stamp/deps.stamp
opts=(--once "$stamp")
case_ once-first-run 0 "" "" 0 "" ""
judge once-first-run "no stamp written" test -s "$stamp"
judge once-first-run "dpkg-query not asked" test -s "$tmp/once-first-run/dpkg-calls"
case_ once-same-list 0 "" "" 0 "" ""
judge once-same-list "dpkg-query asked" test ! -s "$tmp/once-same-list/dpkg-calls"
base_args=("$pkg" "$pin")
case_ once-list-changed 0 "" "$pin" 0 "$pkg=$pin" ""
judge once-list-changed "stamp lacks $pkg=$pin" grep -qxF "$pkg=$pin" "$stamp"
# a failed install writes no stamp: the next build tries again
rm -f "$stamp"
case_ once-not-root 1000 "" "$pin" 1 "" "deps: missing packages: $pkg"
judge once-not-root "stamp written after a failure" test ! -e "$stamp"
# make deps (--stamp) checks every package even with the stamp there
opts=(--once "$stamp")
case_ stamp-prepare 0 "$pin" "$pin" 0 "" ""
opts=(--stamp "$stamp")
case_ stamp-checks-again 0 "$pin" "$pin" 0 "" ""
judge stamp-checks-again "dpkg-query not asked" test -s "$tmp/stamp-checks-again/dpkg-calls"

echo "deps.sh: $pass passed, $fail failed"
[ "$fail" = 0 ]
