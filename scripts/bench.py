#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Pair bench results of the base and our kernel, round by round.

bench.py DIR: reads DIR/<kind>-<set>-<round>.log ("BENCH metric value"
lines), prints a table, writes DIR/results.md and DIR/ratios.png.
Ratios are per round, base over ours for costs and ours over base for
throughputs, so higher is always better; the table shows their median.
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
# Targets on our own median rather than on the ratio: metric -> (text, test)
ABSOLUTE = {
    'reclaim_slab25_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_slab50_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_slab75_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_mixed25_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_mixed50_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'reclaim_mixed75_pct': ('ours 80..125', lambda v: 80 <= v <= 125),
    'high_slab_pct': ('ours 80..150', lambda v: 80 <= v <= 150),
    'reap_small_live_kept_pct': ('ours >= 75', lambda v: v >= 75),
    'reap_large_live_kept_pct': ('ours >= 75', lambda v: v >= 75),
    'reclaim_sibling_loss': ('ours == 0', lambda v: v == 0),
}
SHRINKER_REG = re.compile(r'shrinker_reg_(\d+)memcg_ns')


def load(d):
    data = {}
    for path in glob.glob(os.path.join(d, '*.log')):
        m = re.match(r'(bench-base|bench-ours)-(timed|icount)-(\d+)\.log$',
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
                False, 2.00)
    return (metric, False, None)


def cv(xs):
    return st.pstdev(xs) / st.mean(xs) * 100 if len(xs) > 1 and st.mean(xs) else 0


def main(d):
    data = load(d)
    rows = []
    for metric in sorted(data, key=lambda m: list(METRICS).index(m)
                         if m in METRICS else 99):
        what, higher, target = describe(metric)
        rounds = data[metric]
        base = [r['bench-base'] for r in rounds.values() if 'bench-base' in r]
        ours = [r['bench-ours'] for r in rounds.values() if 'bench-ours' in r]
        ratios = [(r['bench-ours'] / r['bench-base']) if higher else
                  (r['bench-base'] / r['bench-ours'])
                  for r in rounds.values()
                  if r.get('bench-base') and r.get('bench-ours')]
        if not base or not ours:
            continue
        ratio = st.median(ratios) if ratios else None
        if metric in ABSOLUTE:
            text, test = ABSOLUTE[metric]
            target, verdict = text, 'ok' if test(st.median(ours)) else 'MISSED'
        elif target is None or ratio is None:
            target, verdict = '', ''
        else:
            verdict = 'ok' if ratio >= target else 'MISSED'
            target = f'>= {target:.2f}'
        rows.append((what, st.median(base), st.median(ours), cv(base),
                     cv(ours), ratio, len(ratios), target, verdict))
    # add+del against the bare spinlock floor, same guest, same boot:
    # a list's first item (sets the shrinker bit) and a list of 1,000
    overs = []
    for metric, label, limit in (
            ('addel_1cpu_ns', 'first item', 3.5),
            ('addel_steady_1cpu_ns', 'list of 1,000', 2.0)):
        for kind in ('bench-base', 'bench-ours'):
            pairs = [(r[kind], data[metric][k][kind])
                     for k, r in data.get('floor_ns', {}).items()
                     if kind in r and
                     kind in data.get(metric, {}).get(k, {})]
            if pairs:
                overs.append((kind, label, limit,
                              st.median([a / f for f, a in pairs]),
                              len(pairs)))
    head = ('| metric | base median | ours median | base CV% | ours CV% '
            '| ratio (higher is better) | rounds | target | verdict |')
    lines = [head, '|' + '---|' * 9]
    for r in rows:
        ratio = '-' if r[5] is None else f'{r[5]:.2f}'
        lines.append(f'| {r[0]} | {r[1]:.0f} | {r[2]:.0f} | {r[3]:.1f} | '
                     f'{r[4]:.1f} | {ratio} | {r[6]} | {r[7]} | {r[8]} |')
    for kind, label, limit, over, n in overs:
        ours = kind == 'bench-ours'
        target = f'<= {limit:.2f}' if ours else ''
        verdict = ('ok' if over <= limit else 'MISSED') if ours else ''
        lines.append(f'| {kind[6:]}: add+del over the spinlock floor, '
                     f'{label} | | | | | {over:.2f} (lower is better) | '
                     f'{n} | {target} | {verdict} |')
    # memory.reclaim time with 1000 other memcgs over 1 other, per kernel
    far, near = (data.get('reclaim_others1000_ns', {}),
                 data.get('reclaim_others1_ns', {}))
    for kind in ('bench-base', 'bench-ours'):
        growth = [far[k][kind] / near[k][kind] for k in far
                  if kind in far[k] and near.get(k, {}).get(kind)]
        if not growth:
            continue
        g = st.median(growth)
        target = '<= 1.20' if kind == 'bench-ours' else ''
        verdict = ('ok' if g <= 1.2 else 'MISSED') if target else ''
        lines.append(f'| {kind[6:]}: memory.reclaim time, 1000 vs 1 other '
                     f'memcgs | | | | | {g:.2f} (lower is better) | '
                     f'{len(growth)} | {target} | {verdict} |')
    text = '\n'.join(lines)
    print(text)
    with open(os.path.join(d, 'results.md'), 'w') as f:
        f.write(text + '\n')
    chart(d, rows)


def chart(d, rows):
    dat = os.path.join(d, 'ratios.dat')
    with open(dat, 'w') as f:
        for i, r in enumerate(rows):
            if r[5]:
                f.write(f'{i} "{r[0]}" {r[5]:.3f}\n')
    script = f'''set terminal png size 1100,{200 + 40 * len(rows)}
set output "{os.path.join(d, 'ratios.png')}"
set termoption noenhanced
set title "shrinkers vs 6.12 base: median paired ratio, log scale (right of 1 is better)"
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
    main(sys.argv[1])
