#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# boot-test.sh: scripts/boot.sh's inputs, with a stub QEMU and mkfs.xfs on
# PATH (nothing boots): its options reach QEMU's command line, the old
# environment variables are not read, bad input is refused before QEMU, and
# no caller passes a boot input through the environment.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
boot=${BOOT:-$here/scripts/boot.sh}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

mkdir -p "$tmp/bin"
cat > "$tmp/bin/qemu-system-x86_64" <<'STUB'
#!/bin/bash
printf '%s\n' "$@" > "$STATE/qemu-args"
STUB
cat > "$tmp/bin/mkfs.xfs" <<'STUB'
#!/bin/bash
echo "mkfs.xfs $*" >> "$STATE/mkfs"
STUB
chmod +x "$tmp/bin/"*
: > "$tmp/bzImage"
: > "$tmp/initrd"

# run NAME [VAR=VALUE...] -- BOOT-ARGS...: boot.sh under the stubs, from
# a clean environment plus VARs
run() {
	local name=$1 env=()
	shift
	while [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	export STATE=$tmp/$name
	mkdir -p "$STATE"
	env -i PATH="$tmp/bin:$PATH" STATE="$STATE" ${env[@]+"${env[@]}"} \
		"$boot" "$@" > "$STATE/out" 2> "$STATE/err"
	echo $? > "$STATE/rc"
}
ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() {
	fail=$((fail + 1)); echo "not ok $1: $2"
	sed 's/^/    stderr: /' "$tmp/$1/err" 2>/dev/null
}
# has NAME LINE: QEMU got LINE as one argument
has() { grep -qxF -- "$2" "$tmp/$1/qemu-args" 2>/dev/null; }

# the options, each where QEMU takes it
run options -- --topology numa16 --append "a=1 b=2" --qemu "-x y" \
	--disk "$tmp/d.img" --timeout 77 test "$tmp/bzImage" "$tmp/initrd" \
	"$tmp/options.log"
if [ "$(cat "$tmp/options/rc")" != 0 ]; then
	bad options "exit $(cat "$tmp/options/rc")"
elif ! has options "console=ttyS0 panic=-1 log_buf_len=16M shrinkers.mode=test a=1 b=2"; then
	bad options "--append is not on the kernel command line"
elif ! has options "node,nodeid=15,memdev=m15"; then
	bad options "--topology numa16 gave no node 15"
elif ! has options "-x" || ! has options "y"; then
	bad options "--qemu's arguments are not QEMU's"
elif ! has options "file=$tmp/d.img,if=virtio,format=raw"; then
	bad options "--disk is not the guest's disk"
else
	ok options
fi

# the environment of old callers is not read
run no-env QEMU_TOPOLOGY=numa16 QEMU_EXTRA=-bogus XFS_IMAGE="$tmp/env.img" \
	ACCEL=kvm BOOT_TIMEOUT=x -- test "$tmp/bzImage" "$tmp/initrd" \
	"$tmp/no-env.log"
if [ "$(cat "$tmp/no-env/rc")" != 0 ]; then
	bad no-env "exit $(cat "$tmp/no-env/rc")"
elif has no-env "node,nodeid=4,memdev=m4" || has no-env "-bogus" ||
     has no-env "kvm" || ! has no-env "file=$tmp/xfs-test.img,if=virtio,format=raw"; then
	bad no-env "an environment variable changed the boot"
else
	ok no-env
fi

# refuse NAME EXPECTED [VAR=VALUE...] -- BOOT-ARGS...: exit 1, one line on
# stderr containing EXPECTED, QEMU never run
refuse() {
	local name=$1 want=$2
	shift 2
	run "$name" "$@"
	if [ "$(cat "$tmp/$name/rc")" = 1 ] &&
	   [ "$(grep -c . "$tmp/$name/err")" = 1 ] &&
	   grep -qF -- "$want" "$tmp/$name/err" &&
	   [ ! -e "$tmp/$name/qemu-args" ]; then
		ok "$name"
	else
		bad "$name" "exit $(cat "$tmp/$name/rc"), want 1 and '$want'"
	fi
}
args=(test "$tmp/bzImage" "$tmp/initrd" "$tmp/r.log")
refuse boot-append "BOOT_APPEND is not read" BOOT_APPEND=x -- "${args[@]}"
refuse unknown-option "unknown option '--nodes'" -- --nodes 4 "${args[@]}"
refuse no-value "--append needs a value" -- --append
refuse three-args "got 3 arguments" -- test "$tmp/bzImage" "$tmp/initrd"
refuse bad-timeout "--timeout must be seconds" -- --timeout 1m "${args[@]}"
refuse bad-topology "unknown --topology 'numa8'" -- --topology numa8 "${args[@]}"
refuse no-kernel "no kernel at $tmp/none" -- test "$tmp/none" "$tmp/initrd" "$tmp/r.log"

# every caller names its boot inputs: none sets the old variables
callers=$(grep -nE '(BOOT_APPEND|QEMU_TOPOLOGY|CONSOLE_OBJ|XFS_IMAGE|QEMU_EXTRA|BOOT_TIMEOUT)=' \
	"$here/Makefile" "$here"/scripts/*.sh "$here"/scripts/guest/* "$here/.ci/run" |
	grep -v '^[^:]*:[0-9]*:#')
if [ -z "$callers" ]; then
	ok callers
else
	fail=$((fail + 1)); echo "not ok callers: boot inputs through the environment:"
	echo "$callers" | sed 's/^/    /'
fi

echo "boot.sh: $pass passed, $fail failed"
[ "$fail" = 0 ]
