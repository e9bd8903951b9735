#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series.sh BASE OUT: turn $SERIES/series plus the owned files into a git
# format-patch series with a cover letter that applies to the base.
#
# Each patch of $SERIES/series becomes one commit; the owned files that
# $SERIES/owned assigns to it are added in the same commit; the patch's
# header (text before the first "--- a/") is the commit message. SERIES is
# the folder of the base's series (the Makefile sets it).
set -euo pipefail
base=$1 out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
series=${SERIES:?SERIES: the folder of the series to apply}
rel=${series#"$top"/}
git_dir=$(dirname "$out")/series-git

if [ ! -d "$git_dir/.git" ]; then
	echo "series: making a git repository of the base (once, about a minute)"
	rm -rf "$git_dir"
	mkdir -p "$git_dir"
	cp -a "$base/." "$git_dir/"
	git -C "$git_dir" init -q
	git -C "$git_dir" add -A -f
	git -C "$git_dir" -c user.name=base -c user.email=base@localhost \
		commit -q -m "Linux $(make -s --no-print-directory -C "$base" kernelversion)"
	git -C "$git_dir" tag base
fi
git -C "$git_dir" checkout -q -f base
git -C "$git_dir" clean -q -fdx
git -C "$git_dir" branch -q -f series base
git -C "$git_dir" checkout -q series

n=0
for p in $(grep -v -e '^#' -e '^$' "$series/series"); do
	msg=$(sed '/^--- a\//,$d' "$series/$p")
	if ! perr=$(patch -d "$git_dir" -p1 -s -f --no-backup-if-mismatch \
		   < "$series/$p" 2>&1); then
		why=$(echo "$perr" | awk '
			/^\|\+\+\+ b\// { f = substr($0, 8) }
			/No file to patch/ { print "no file " f " in the base"; exit }
			/FAILED|malformed|garbage|Reversed/ { print; exit }')
		echo "series: $rel/$p no longer applies to the base: ${why:-$(echo "$perr" | head -n 1)}" >&2
		exit 1
	fi
	for f in $(awk -v p="$p" '$1 == p { for (i = 2; i <= NF; i++) print $i }' \
		   "$series/owned"); do
		mkdir -p "$git_dir/$(dirname "$f")"
		cp "$top/$f" "$git_dir/$f"
	done
	git -C "$git_dir" add -A -f
	git -C "$git_dir" -c user.name="Shrinkers Developers" \
		-c user.email=shrinkers@localhost commit -q -s -m "$msg"
	n=$((n + 1))
done

# every owned file must belong to some commit
assigned=$(awk '!/^#/ { for (i = 2; i <= NF; i++) print $i }' \
	   "$series/owned")
missing=$("$top/scripts/owned.sh" files | while read -r f; do
		echo "$assigned" | grep -qxF -- "$f" || echo "$f"; done)
if [ -n "$missing" ]; then
	echo "series: owned files in no commit (add them to $rel/owned):" $missing >&2
	exit 1
fi
# and every commit $SERIES/owned names is in the series
for p in $(awk '!/^#/ && NF { print $1 }' "$series/owned"); do
	grep -qxF -- "$p" "$series/series" || {
		echo "series: $rel/owned names $p, which $rel/series does not list" >&2
		exit 1
	}
done

rm -rf "$out"
subject=$(head -n 1 "$series/cover-letter.txt")
git -C "$git_dir" format-patch -q --cover-letter -o "$out" base..series
cover=$(ls "$out"/0000-*.patch)
# @BENCH@ in the letter: this base's columns of results/bench.txt (what
# the last make bench recorded, with its commit), never typed by hand
python3 - "$cover" "$series/cover-letter.txt" "$top/results/bench.txt" \
	"${SHRINKERS_BASE:-7.2}" <<'PY'
import os
import sys
cover, letter, bench, base = sys.argv[1:5]
text = open(letter).read().split('\n', 1)


def bench_table():
    if not os.path.exists(bench):
        return 'No make bench run is recorded (results/bench.txt).'
    lines = open(bench).read().splitlines()
    head = dict(l.split(' ', 1) for l in lines[:3] if ' ' in l)
    rows = [l for l in lines[3:] if l.startswith('|')]
    if not rows or 'commit' not in head:
        return 'The recorded make bench (results/bench.txt) has no table.'
    cols = [c.strip() for c in rows[0].strip('|').split('|')]
    if base not in cols:
        return f'The recorded make bench has no {base} columns.'
    i = cols.index(base)
    # targets and verdicts are checked against the newest base only
    newest = i == 1
    keep = [0, i, i + 1, i + 2, len(cols) - 3] + (
        [len(cols) - 2, len(cols) - 1] if newest else [])
    others = [c for c in cols[1::3] if c and c != base and
              not c.startswith('ours')]
    table = []
    for r in rows[:1] + rows[2:]:
        c = [x.strip() for x in r.strip('|').split('|')]
        c += [''] * (len(cols) - len(c))
        if any(c[0].startswith(o + '-') for o in others):
            continue	# another base's own ratio row
        table.append([c[k] for k in keep])
    w = [max(len(t[k]) for t in table) for k in range(len(keep))]
    out = [f'make bench, commit {head["commit"]}, {head["date"]} (median of '
           'rounds; ratio: median of paired rounds, higher is better):', '']
    for t in table:
        out.append('  ' + '  '.join(x.ljust(w[k]) if k == 0 else x.rjust(w[k])
                                    for k, x in enumerate(t)).rstrip())
    out += [l for l in lines[3:] if l.startswith('Boots') or
            (newest and l.startswith('Targets'))]
    return '\n'.join(out)


s = open(cover).read()
body = text[1].strip()
if '@BENCH@' in body:
    body = body.replace('@BENCH@', bench_table())
s = s.replace('*** SUBJECT HERE ***', text[0].strip())
s = s.replace('*** BLURB HERE ***', body)
open(cover, 'w').write(s)
PY
# prove it applies to a clean base
git -C "$git_dir" checkout -q -f -B series-check base
if ! git -C "$git_dir" -c user.name=check -c user.email=check@localhost \
	am -q $(ls "$out"/*.patch | grep -v '/0000-'); then
	git -C "$git_dir" am --abort 2>/dev/null || true
	echo "series: the series does not apply to the base" >&2
	exit 1
fi
echo "series: $n patches and a cover letter in $out (applies to the base)"
