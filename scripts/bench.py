#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Pair bench results of the base and our kernel, round by round.

bench.py DIR: reads DIR/<base>-<base|ours>-<set>-<round>.log ("BENCH
metric value" lines), prints a table, writes DIR/results.md and
DIR/ratios.png. For each base in the run (7.2, 6.12), the medians of the
unpatched kernel and of ours on it, and the median of the per-round
ratios, base over ours for costs and ours over base for throughputs, so
that higher is always better. Rows whose value is a percentage of an ask
or a count show no ratio: their target is on our own median. Targets
are checked against the newest base in the run.
"""
import glob
import os
import re
import statistics as st
import subprocess
import sys

# metric: (what it is, higher_is_better, target ratio or None)
METRICS = {
    'addel_1cpu_ns': ('list_lru add+del, 1 CPU (icount, ps/op)', False, 1.00),
    'addel_steady_1cpu_ns': ('add+del, list holding 1,000 items, 1 CPU (icount, ps/op)', False, 1.00),
    'addel_root_1cpu_ns': ('add+del, root memcg list, 1 CPU (icount, ps/op)', False, 1.00),
    'addel_1cpu_timed_ns': ('list_lru add+del, 1 CPU (ps/op)', False, 1.00),
    'addel_2cpu_2memcg_ns': ('add+del, 2 CPUs, 2 memcgs, 1 node (ps/op)', False, 1.25),
    'addel_2cpu_1memcg_ns': ('add+del, 2 CPUs, 1 memcg (ps/op)', False, None),
    'walk_ns': ('walk + isolate (icount, ps/item)', False, 1.00),
    'floor_ns': ('spinlock+list_add/del floor (icount, ps/op)', False, None),
    'floor_timed_ns': ('spinlock+list_add/del floor (ps/op)', False, None),
    'churn_1task_ops': ('dentry churn, 1 task (ops/s)', True, 1.00),
    'churn_2task_ops': ('dentry churn, 2 tasks, 2 memcgs (ops/s)', True, 1.00),
    'churn_scaling_pct': ('churn scaling efficiency (%)', True, None),
    'churn_inode_ops': ('inode-LRU churn: stat + dentry shrink (files/s)', True, 1.00),
    'reclaim_others1_ns': ('memory.reclaim of one memcg, 1 other (ns)', False, None),
    'reclaim_others100_ns': ('memory.reclaim of one memcg, 100 others (ns)', False, None),
    'reclaim_others1000_ns': ('memory.reclaim of one memcg, 1000 others (ns)', False, None),
    'rcu_barrier_idle_ns': ('rcu_barrier(), idle (ps/op)', False, None),
    # a delegable memory.high loop must not stall rcu_barrier() users
    'rcu_barrier_high_ns': ('rcu_barrier(), a memcg writing memory.high in a loop (ps/op)',
                            False, 0.50),
    'high_writes_per_s': ('  that loop\'s memory.high writes a second', True, 0.50),
    'reclaim_slab25_pct': ('memory.reclaim 25% of a slab memcg: freed/asked (%)', False, None),
    'reclaim_slab50_pct': ('memory.reclaim 50% of a slab memcg: freed/asked (%)', False, None),
    'reclaim_slab75_pct': ('memory.reclaim 75% of a slab memcg: freed/asked (%)', False, None),
    'reclaim_mixed25_pct': ('memory.reclaim 25%, page cache + slab: freed/asked (%)', False, None),
    'reclaim_mixed50_pct': ('memory.reclaim 50%, page cache + slab: freed/asked (%)', False, None),
    'reclaim_mixed75_pct': ('memory.reclaim 75%, page cache + slab: freed/asked (%)', False, None),
    'high_slab_pct': ('memory.high a third below a slab memcg: given back/excess (%)', False, None),
    'reap_small_dying_left': ('200 dying memcgs of 256 KB: left after one root memory.reclaim', False, None),
    'reap_small_live_kept_pct': ('  live working set kept through it (%)', True, None),
    'reap_small_live_refaults': ('  live working set refaults when read again (pages)', False, None),
    'reap_large_dying_left': ('4 dying memcgs of 24 MB: left after one root memory.reclaim', False, None),
    'reap_large_live_kept_pct': ('  live working set kept through it (%)', True, None),
    'reap_large_live_refaults': ('  live working set refaults when read again (pages)', False, None),
    'reclaim_sibling_loss': ('objects a sibling lost to it', False, None),
    'vmap_pooled': ('vmap areas pooled by thread churn (3,600 threads at once)', False, None),
    'vmap_left': ('  left pooled after a hog over 448 MB of hot mapped page cache', False, None),
    'vmap_hog_ms': ('  the hog\'s run time (ms)', False, None),
    'lrumem_bytes': ('per-memcg lists, 2 lrus (bytes)', False, 1.00),
    'lrutable_bytes': ('lists + lookup, 2 lrus x every memcg (bytes)', False, 1.00),
    'umount_memcgs_ns': ('umount, dentries of every memcg of the registration row (ns)',
                         False, 1.00),
}
# Targets on our own median rather than on the ratio: metric -> (text, test
# [, the base whose ours it is on; default the newest])
ABSOLUTE = {
    'reclaim_slab25_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_slab50_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_slab75_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_mixed25_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_mixed50_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_mixed75_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'high_slab_pct': ('ours 80..150', lambda v: 80 <= v <= 150),
    # the reaping patch is in the 6.12 backport only (7.2 reparents a dead
    # memcg's folios at offline): its target is on ours on 6.12
    'reap_small_live_kept_pct': ('ours on 6.12 >= 75', lambda v: v >= 75,
                                 '6.12'),
    'reap_large_live_kept_pct': ('ours on 6.12 >= 75', lambda v: v >= 75,
                                 '6.12'),
    'reclaim_sibling_loss': ('ours == 0', lambda v: v == 0),
}
SHRINKER_REG = re.compile(r'shrinker_reg_(\d+)memcg_ns')


def load(d):
    """{metric: {round: {kernel: value}}}, kernels named <base>-base|ours."""
    data = {}
    for path in glob.glob(os.path.join(d, '*.log')):
        m = re.match(r'([0-9.]+-(?:base|ours))-(timed|icount)-(\d+)\.log$',
                     os.path.basename(path))
        if not m:
            continue
        kind, rnd = m.group(1), int(m.group(3))
        with open(path, errors='replace') as f:
            for line in f:
                b = re.match(r'BENCH (\S+) (\d+)\s*$', line.strip())
                if b:
                    data.setdefault(b.group(1), {}).setdefault(
                        rnd, {})[kind] = int(b.group(2))
    return data


def describe(metric):
    if metric in METRICS:
        return METRICS[metric]
    m = SHRINKER_REG.match(metric)
    if m:
        return (f'shrinker alloc+register, {m.group(1)} memcgs (ps/op)',
                False, 1.00)
    return (metric, False, None)


def cv(xs):
    return st.pstdev(xs) / st.mean(xs) * 100 if len(xs) > 1 and st.mean(xs) else 0


def bases_of(data):
    """The bases with both kernels in the run, mainline (newest) first."""
    kinds = {k for rounds in data.values() for r in rounds.values() for k in r}
    bases = {k.rsplit('-', 1)[0] for k in kinds}
    have = [b for b in bases if f'{b}-base' in kinds and f'{b}-ours' in kinds]
    return sorted(have, key=lambda b: [int(x) for x in b.split('.')],
                  reverse=True)


def paired(rounds, base, higher):
    """Median of the per-round ratios, ours over the base (higher better)."""
    b, o = f'{base}-base', f'{base}-ours'
    # a throughput of ours of 0 is a ratio of 0, not a round left out
    ratios = [(r[o] / r[b]) if higher else (r[b] / r[o])
              for r in rounds.values()
              if b in r and o in r and r[b if higher else o]]
    return (st.median(ratios) if ratios else None), len(ratios)


def median_of(rounds, kind):
    xs = [r[kind] for r in rounds.values() if kind in r]
    return (st.median(xs), cv(xs)) if xs else (None, 0)


def main(d):
    data = load(d)
    bases = bases_of(data)
    if not bases:
        print('bench: no base with both kernels in ' + d, file=sys.stderr)
        return 1
    first = bases[0]	# the targets are against the newest base
    head = '| metric |'
    for b in bases:
        head += f' {b} | ours on {b} | ours vs {b} |'
    head += ' rounds | target | verdict |'
    lines = [head, '|' + '---|' * (4 + 3 * len(bases))]
    rows, missed = [], 0
    for metric in sorted(data, key=lambda m: list(METRICS).index(m)
                         if m in METRICS else 99):
        what, higher, target = describe(metric)
        rounds = data[metric]
        cells, n, ratio_first = '', 0, None
        for b in bases:
            bm, bcv = median_of(rounds, f'{b}-base')
            om, ocv = median_of(rounds, f'{b}-ours')
            ratio, k = paired(rounds, b, higher)
            n = max(n, k)
            if b == first:
                ratio_first = ratio
            fmt = (lambda v, c: '-' if v is None else f'{v:.0f} ({c:.0f}%)')
            # a ratio of percentages or of counts means nothing: not shown
            show = ratio is not None and metric not in ABSOLUTE
            cells += (f' {fmt(bm, bcv)} | {fmt(om, ocv)} | '
                      f'{f"{ratio:.2f}x" if show else "-"} |')
        verdict = ''
        if metric in ABSOLUTE:
            text, test, *on = ABSOLUTE[metric]
            om = median_of(rounds, f'{on[0] if on else first}-ours')[0]
            target = text
            verdict = '' if om is None else ('ok' if test(om) else 'MISSED')
        elif target is not None and ratio_first is not None:
            verdict = 'ok' if ratio_first >= target else 'MISSED'
            target = f'ours vs {first} >= {target:.2f}x'
        else:
            target = ''
        missed += verdict == 'MISSED'
        lines.append(f'| {what} |{cells} {n} | {target} | {verdict} |')
        if ratio_first is not None and metric not in ABSOLUTE:
            rows.append((what, ratio_first))
    # per kernel, one ratio of two of its own rows (lower is better); the
    # target, a limit, is on ours only
    def own_ratio(text, num, den, limit):
        nonlocal missed
        for b in bases:
            for kind in (f'{b}-base', f'{b}-ours'):
                xs = [num[k][kind] / den[k][kind] for k in num
                      if kind in num[k] and den.get(k, {}).get(kind)]
                if not xs:
                    continue
                v = st.median(xs)
                ours = kind.endswith('-ours')
                verdict = ('ok' if v <= limit else 'MISSED') if ours else ''
                missed += verdict == 'MISSED'
                lines.append(f'| {kind}: {text}: {v:.2f} (lower is better) |'
                             + ' |' * (3 * len(bases)) +
                             f' {len(xs)} | '
                             f'{"<= %.2f" % limit if ours else ""} | '
                             f'{verdict} |')

    # add+del against the bare spinlock floor, same guest, same boot
    floor = data.get('floor_ns', {})
    own_ratio('add+del over the spinlock floor, first item',
              data.get('addel_1cpu_ns', {}), floor, 3.5)
    own_ratio('add+del over the spinlock floor, list of 1,000',
              data.get('addel_steady_1cpu_ns', {}), floor, 2.0)
    # memory.reclaim time with 1000 other memcgs over 1 other
    own_ratio('memory.reclaim time, 1000 vs 1 other memcgs',
              data.get('reclaim_others1000_ns', {}),
              data.get('reclaim_others1_ns', {}), 1.2)
    try:
        with open(os.path.join(d, 'retries')) as f:
            retried = [l.split() for l in f if l.strip()]
    except OSError:
        retried = []
    try:
        with open(os.path.join(d, 'failed')) as f:
            failed = [l.split() for l in f if l.strip()]
    except OSError:
        failed = []
    lines.append('')
    lines.append(f'Boots retried after dying before /init: {len(retried)}'
                 + ''.join(f'; {r[0]} {r[1]} round {r[2]}' for r in retried))
    lines.append(f'Boots left out, the kernel reported a problem after /init: '
                 f'{len(failed)}'
                 + ''.join(f'; {r[0]} {r[1]} round {r[2]}' for r in failed))
    try:
        with open(os.path.join(d, 'commit')) as f:
            lines.append(f'Commit: {f.read().strip()}')
    except OSError:
        pass
    lines.append(f'Targets missed: {missed}')
    text = '\n'.join(lines)
    print(text)
    with open(os.path.join(d, 'results.md'), 'w') as f:
        f.write(text + '\n')
    chart(d, rows, first)
    return 0


def chart(d, rows, first):
    dat = os.path.join(d, 'ratios.dat')
    with open(dat, 'w') as f:
        for i, r in enumerate(rows):
            f.write(f'{i} "{r[0]}" {r[1]:.3f}\n')
    script = f'''set terminal png size 1100,{200 + 40 * len(rows)}
set output "{os.path.join(d, 'ratios.png')}"
set termoption noenhanced
set title "shrinkers vs {first}: median paired ratio, log scale (right of 1 is better)"
set style fill solid 0.6
set logscale x 2
set xrange [0.25:128]
set yrange [-0.5:{len(rows) - 0.5}]
set ytics font ",9"
set arrow from 1,-0.5 to 1,{len(rows) - 0.5} nohead dt 2
unset key
plot "{dat}" using (1):1:(($3 < 1) ? $3 : 1):(($3 < 1) ? 1 : $3):($1-0.3):($1+0.3):ytic(2) with boxxyerror
'''
    try:
        subprocess.run(['gnuplot'], input=script, text=True, check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f'bench: no chart ({e})', file=sys.stderr)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
