#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series-check.sh BASE TOP BUILD: check the series commit by commit, as a
# reviewer applying it would.
#
# `make series` turns patches/ into git commits on the base (BUILD/series-git,
# branch "series"); then for each commit, in order:
#   - the test config builds (bzImage, in BUILD/obj-series, incrementally,
#     with ccache); a commit that does not build stops the check;
#   - checkpatch.pl --strict on its format-patch file: no error or warning
#     (CHECKs are listed in BUILD/series-check/checks.txt);
#   - scripts/kernel-doc -none on every C file and header it touches: silent;
#   - sparse (make C=2) on every object it touches that the config builds:
#     no warning that the base does not already have for that file (the
#     base's are taken at the end, on the base's objects);
#   - scripts/get_maintainer.pl names our MAINTAINERS entry for every owned
#     file it adds or changes.
# At the last commit the tree must equal the one `make test` builds (tree.sh),
# and `make test` runs there (SERIES_TEST=0 skips it).
#
# Every failure is one line naming the commit; the exit status is non-zero.
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: series-check.sh BASE TOP BUILD" >&2; exit 1; }
base=$1 top=$2 build=$(realpath -m "$3")
git_dir=$build/series-git
obj=$build/obj-series
out=$build/series-check
kmake=("$top/scripts/kmake.sh" "$git_dir" "$obj")
entry="LIST_LRU AND SHRINKER CORE"
fragments=${TEST_CONFIG:?TEST_CONFIG: the test config fragments (the Makefile sets it)}
start=$(date +%s)
fail=0

die() { echo "series-check: $*" >&2; exit 1; }
bad() { echo "series-check: $*" >&2; fail=1; }

[ -f "$base/Makefile" ] || die "no unpacked base at $base: run 'make base' first"
# shellcheck disable=SC2046
dirty=$(git -C "$top" status --porcelain -- $("$top/scripts/owned.sh" dirs) \
	patches configs scripts |
	awk '{ print $NF }' | head -n 3 | tr '\n' ' ')
[ -z "$dirty" ] || die "uncommitted changes in $top (${dirty% }): commit them first, the series is made from what git has"

rm -rf "$out"
mkdir -p "$out"
touch "$out/checks.txt" "$out/sparse.txt"
"$top/scripts/series.sh" "$base" "$build/series" || exit 1
command -v sparse >/dev/null || die "sparse is not installed: run 'make deps'"
/usr/bin/python3 -c 'import ply, git' 2>/dev/null ||
	die "checkpatch's SPDX check needs python3-ply and python3-git: run 'make deps'"
commits=$(git -C "$git_dir" rev-list --reverse base..series)
[ -n "$commits" ] || die "the series has no commits"
patches=($(ls "$build/series"/*.patch | grep -v '/0000-'))
owned=$(awk '!/^#/ { for (i = 2; i <= NF; i++) print $i }' "${SERIES:?}/owned")

# The test config for whatever tree is checked out: tinyconfig, the guest
# fragment and ours. Symbols a commit does not have yet are dropped silently
# here; the last commit's config is verified by `make test`.
configure() {
	CONFIG_VERIFY=0 "$top/scripts/config.sh" "$git_dir" "$obj" \
		$fragments >/dev/null
}

# sparse on the objects of C files $@ that the config builds, one warning a
# line as "c-file: reported-file: message" (no line numbers, so that the
# base compares; a header's warning is keyed by the C file that showed it).
sparse_of() {
	local f
	for f in "$@"; do
		[ -f "$obj/${f%.c}.o" ] || continue
		"${kmake[@]}" C=2 "${f%.c}.o" 2>&1 |
			sed -n "s#^$git_dir/\([^:]*\):[0-9]*:[0-9]*: \(warning\|error\): #$f: \1: \2: #p" |
			sort -u
	done
}

mkdir -p "$obj"

i=0
for c in $commits; do
	p=${patches[$i]}
	i=$((i + 1))
	subject=$(git -C "$git_dir" log -1 --format=%s "$c")
	tag=$(printf '%04d %s' "$i" "$subject")
	files=$(git -C "$git_dir" diff --name-only "$c~1" "$c")
	t0=$(date +%s)

	git -C "$git_dir" checkout -q -f "$c"
	log=$out/$(printf '%04d' "$i")-build.log
	if ! { configure && "${kmake[@]}" bzImage; } >"$log" 2>&1; then
		die "$tag: does not build (the test config; $log)"
	fi
	t1=$(date +%s)

	# checkpatch --strict on the patch as mailed
	# Debian's python3 for spdxcheck.py (python3-ply, python3-git)
	cp_out=$(cd "$git_dir" && PATH=/usr/bin:$PATH \
		scripts/checkpatch.pl --strict --terse --show-types \
		--no-summary "$p" 2>&1)
	cp_rc=$?
	ew=$(echo "$cp_out" | grep -E ': (ERROR|WARNING):')
	[ -z "$ew" ] || bad "$tag: checkpatch: $(echo "$ew" | wc -l) errors or warnings:
$ew"
	# it exits 1 for CHECKs too: only an exit with nothing found is bad
	echo "$cp_out" | grep -qE ': (ERROR|WARNING|CHECK):' || [ $cp_rc -eq 0 ] ||
		bad "$tag: checkpatch exited $cp_rc: $(echo "$cp_out" | tail -n 1)"
	echo "$cp_out" | grep ': CHECK:' | sed "s#^#$(basename "$p"): #" \
		>> "$out/checks.txt"

	# kernel-doc on every C file and header it touches
	for f in $(echo "$files" | grep -E '\.[ch]$'); do
		[ -f "$git_dir/$f" ] || continue
		kd=$(cd "$git_dir" && scripts/kernel-doc -none "$f" 2>&1)
		[ -z "$kd" ] || bad "$tag: kernel-doc: $f:
$kd"
	done

	# sparse on what it touches; compared with the base at the end
	for f in $(echo "$files" | grep '\.c$'); do
		sparse_of "$f" | sed "s#^#$i #" >> "$out/sparse.txt"
	done

	# our owned files must name our entry
	for f in $files; do
		echo "$owned" | grep -qxF "$f" || continue
		(cd "$git_dir" && scripts/get_maintainer.pl --no-git \
			--no-git-fallback -f "$f" 2>/dev/null) |
			grep -qF "maintainer:$entry" ||
			bad "$tag: get_maintainer.pl does not name '$entry' for $f"
	done
	echo "series-check: $tag: builds ($((t1 - t0))s), checks done ($(($(date +%s) - t1))s)"
done

# sparse: a warning is new if the base has no such warning in that file
git -C "$git_dir" checkout -q -f base
for f in $(awk '{ sub(":$", "", $2); print $2 }' "$out/sparse.txt" | sort -u); do
	[ -f "$git_dir/$f" ] || continue
	mkdir -p "$out/base-sparse/$(dirname "$f")"
	sparse_of "$f" > "$out/base-sparse/$f"
done
while read -r n line; do
	f=${line%%: *}
	grep -qxF -- "$line" "$out/base-sparse/$f" 2>/dev/null && continue
	bad "$(printf '%04d' "$n") $(git -C "$git_dir" log -1 --format=%s \
		"$(echo "$commits" | sed -n "${n}p")"): sparse: new: $line"
done < "$out/sparse.txt"
git -C "$git_dir" checkout -q -f series

# the series ends in the tree `make test` builds: every file of the last
# commit is byte for byte the test tree's (a scratch index, so that the
# series repository's own index keeps its stat data)
make -s --no-print-directory -C "$top" BASE="${SHRINKERS_BASE:?}" tree \
	>/dev/null || die "make tree failed"
idx=$out/index
rm -f "$idx"
tgit() {
	GIT_INDEX_FILE=$idx git --git-dir="$git_dir/.git" \
		--work-tree="$build/linux" "$@"
}
tgit read-tree series || die "git read-tree of the series failed"
[ "$(tgit ls-files | wc -l)" -gt 1000 ] || die "the scratch index of the series is empty"
tgit update-index -q --refresh >/dev/null
diff=$(tgit diff-files --name-only) || die "git diff-files failed"
# the files tree.sh wrote over the base (its .shrinkers-touched) must all
# be in the series: Debian's .gitignore hides untracked files from git
extra=$(for f in $(cat "$build/linux/.shrinkers-touched"); do
	[ -e "$build/linux/$f" ] || continue
	tgit ls-files --error-unmatch -- "$f" >/dev/null 2>&1 || echo "$f"
done)
rm -f "$idx"
[ -z "$diff" ] || die "the last commit differs from the test tree in: $(echo $diff | cut -c1-300)"
[ -z "$extra" ] || die "the test tree has files the series does not: $(echo $extra | cut -c1-300)"
echo "series-check: the last commit is the tree make test builds"
if [ $fail -ne 0 ]; then
	echo "series-check: FAILED (see above), $(( $(date +%s) - start ))s" >&2
	exit 1
fi
if [ "${SERIES_TEST:-1}" = 1 ]; then
	make --no-print-directory -C "$top" BASE="$SHRINKERS_BASE" test ||
		die "make test failed at the last commit"
fi
nchecks=$(wc -l < "$out/checks.txt")
echo "series-check: $i commits build, checkpatch/kernel-doc/sparse/get_maintainer clean ($nchecks CHECKs in $out/checks.txt), $(( $(date +%s) - start ))s"
