#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ci-test.sh: .ci/run runs the README's steps and nothing else (no root is
# built: .ci/run --steps and --script, and the script run with stub apt-get,
# git and make), takes the target a user would type, and fails when the
# runner cannot mount (stub mount) unless CI_DIRECT=1. CI_SCRIPT=path tests another
# copy of .ci/run.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
ci=${CI_SCRIPT:-$here/.ci/run}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "not ok $1: $2"; }

# the README's steps block: its indented lines, comments dropped
readme=$(awk '
	/^<!-- steps: / { on = 1; next }
	on && /^    / { print; seen = 1; next }
	on && seen && NF { exit }' "$here/README.md")
steps=$("$ci" --steps 2>&1)
# every line .ci/run runs is a line of the block, in the block's order
want=$(sed 's/^    //; s/[[:space:]]*#.*$//' <<<"$readme" |
       sed 's#<this repository>#/srv/shrinkers.git#')
if [ -z "$readme" ]; then
	bad readme-steps "README.md has no '<!-- steps: ' block"
elif [ "$steps" != "$want" ]; then
	bad readme-steps "$(diff <(echo "$want") <(echo "$steps") | tr '\n' ' ')"
elif [ "$(head -n 1 <<<"$steps")" != "apt-get update" ] ||
     ! grep -qx 'make test' <<<"$steps"; then
	bad readme-steps "the steps do not start with apt-get update or lack make test: $steps"
else
	ok readme-steps
fi

# a target as the user types it: the README's setup, then that make line
t=$("$ci" --steps demo | tail -n 2)
[ "$t" = "git clone /srv/shrinkers.git shrinkers && cd shrinkers
make" ] && ok target-demo || bad target-demo "$t"
t=$("$ci" --steps test BASE=6.12 | tail -n 1)
[ "$t" = "make test BASE=6.12" ] && ok target-test || bad target-test "$t"
t=$(CI_DIRECT=1 "$ci" --steps)
[ "$t" = "$(grep '^make' <<<"$want")" ] && ok direct-makes-only ||
	bad direct-makes-only "$t"
if "$ci" --steps 'test;id' >/dev/null 2>"$tmp/err"; then
	bad target-refused "'test;id' accepted"
else
	grep -q "not a make target" "$tmp/err" && ok target-refused ||
		bad target-refused "$(cat "$tmp/err")"
fi

# the script the root runs, with stubs: each step in order, make in the
# clone, and the first failure ends it, named
mkdir -p "$tmp/bin" "$tmp/home"
for c in apt-get make; do
	cat > "$tmp/bin/$c" <<STUB
#!/bin/bash
echo "\$(pwd) $c\${*:+ \$*}" >> "$tmp/calls"
[ "$c\${*:+ \$*}" != "\${FAIL_AT:-}" ]
STUB
done
cat > "$tmp/bin/git" <<STUB
#!/bin/bash
echo "\$(pwd) git \$*" >> "$tmp/calls"
mkdir -p "\${!#}"
STUB
chmod +x "$tmp/bin/"*
"$ci" --script > "$tmp/script.sh"
run_script() {
	: > "$tmp/calls"
	HOME=$tmp/home PATH="$tmp/bin:$PATH" FAIL_AT=${1:-} \
		bash "$tmp/script.sh" > "$tmp/out" 2> "$tmp/err"
}
h=$tmp/home
run_script
if [ $? = 0 ] && [ "$(cat "$tmp/calls")" = "$h apt-get update
$h apt-get install -y make git
$h git clone /srv/shrinkers.git shrinkers
$h/shrinkers make
$h/shrinkers make test
$h/shrinkers make test BASE=6.12" ] && grep -qx 'ci: \$ make test' "$tmp/out"; then
	ok script-runs-steps
else
	bad script-runs-steps "calls: $(tr '\n' '|' < "$tmp/calls")"
fi
run_script "make test"
if [ "$(tail -n 1 "$tmp/calls")" = "$h/shrinkers make test" ] &&
   grep -qx 'ci: failed in the fresh root (exit 1): make test' "$tmp/err"; then
	ok script-stops-at-failure
else
	bad script-stops-at-failure "calls: $(tr '\n' '|' < "$tmp/calls") err: $(cat "$tmp/err")"
fi

# a runner that cannot mount: fail (no fresh root), unless CI_DIRECT=1;
# root as far as .ci/run can tell, mount failing, nothing else reachable
mkdir -p "$tmp/nomount"
printf '#!/bin/sh\necho 0\n' > "$tmp/nomount/id"
printf '#!/bin/sh\nexit 32\n' > "$tmp/nomount/mount"
for c in debootstrap chroot umount apt-get; do
	printf '#!/bin/sh\necho "%s must not run" >&2\nexit 99\n' "$c" > "$tmp/nomount/$c"
done
chmod +x "$tmp/nomount/"*
PATH="$tmp/nomount:$PATH" CI_CACHE=$tmp/cache CI_WORK=$tmp/work CI_NEED_GB=0 \
	"$ci" > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ $rc = 1 ] && [ "$(grep -c . "$tmp/err")" = 1 ] &&
   grep -q "cannot mount.*CI_DIRECT=1" "$tmp/err"; then
	ok no-mount-fails
else
	bad no-mount-fails "exit $rc: $(cat "$tmp/out" "$tmp/err")"
fi

echo "ci: $pass passed, $fail failed"
[ "$fail" = 0 ]
