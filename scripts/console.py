#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the guest's serial console log.

  console.py check LOG                 kernel splats, missing end of /init
  console.py section LOG NAME          print a "==== NAME begin/end" block
  console.py [--obj DIR] [--skips FILE] results TREE LOG[,LOG..] SUITE..
                                       KUnit (via kunit.py parse) plus
                                       selftest TAP of each boot's log,
                                       counted per boot, then over all of
                                       them (see total()), last line:
                                       "N passed, N failed, N skipped";
                                       DIR: the kernel's object tree
                                       (O=), whose mm/list_lru.o and
                                       mm/shrinker.o tell which KCSAN
                                       reports are in our code
  console.py base LOG EXPECT           the selftest cases of a boot of the
                                       unpatched base against EXPECT's
                                       "feature|guard SELFTEST CASE" lines:
                                       a feature case must fail there, a
                                       guard must pass
"""
import fnmatch
import json
import os
import re
import subprocess
import sys
import tempfile

SPLATS = re.compile(
    r'Kernel panic|Oops|BUG:|WARNING:|general protection fault|'
    r'Unable to handle|list_(add|del) corruption|UBSAN:|KASAN|'
    r'INFO: task .* blocked|rcu.*(stall|self-detected)|'
    r'possible (circular|recursive) locking|inconsistent lock state|'
    r'lockdep|Call Trace:')
# lines that match SPLATS but are not problems
BENIGN = re.compile(r'lockdep is turned off|Lock dependency validator|'
                    r'hash-table entries|Per task-struct memory footprint|'
                    r'RCU lockdep checking is enabled')
INIT_MARK = '==== shrinkers init'
DONE_MARK = '==== shrinkers done'


KCSAN_TITLE = re.compile(r'BUG: KCSAN: (?:data-race|assert: race) in (\S+)'
                         r'(?: / (\S+))?')
# objects whose functions are ours: a KCSAN report naming one is a failure
OWNED_OBJECTS = ('mm/list_lru.o', 'mm/shrinker.o')
# the kernel's object tree (O=), from --obj
OBJ = None


def owned_symbols():
    """Functions of our objects in OBJ (--obj, the kernel's O= dir)."""
    obj = OBJ
    syms = set()
    for o in OWNED_OBJECTS if obj else ():
        try:
            out = subprocess.run(['nm', os.path.join(obj, o)], check=True,
                                 capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError):
            continue
        syms.update(l.split()[2].split('.')[0] for l in out.splitlines()
                    if len(l.split()) == 3 and l.split()[1] in 'tT')
    return syms


def kcsan_reports(lines):
    """[(first line index, last line index, title functions)] of KCSAN."""
    reps, i = [], 0
    while i < len(lines):
        m = KCSAN_TITLE.search(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and '=========' not in lines[j]:
            j += 1
        reps.append((i, j, [f for f in m.groups() if f]))
        i = j + 1
    return reps


def kcsan(log):
    """Report KCSAN races; return how many name a function of ours."""
    lines = read(log)
    reps = kcsan_reports(lines)
    if not reps:
        return 0
    syms = owned_symbols()
    ours = [r for r in reps if any(f.split('.')[0] in syms for f in r[2])]
    titles = {}
    for r in reps:
        titles[' / '.join(r[2])] = titles.get(' / '.join(r[2]), 0) + 1
    print(f'kcsan: {len(reps)} reports ({len(titles)} distinct), '
          f'{len(ours)} in owned code ({", ".join(OWNED_OBJECTS)})')
    for t, n in sorted(titles.items(), key=lambda x: -x[1]):
        mark = '*' if any(f.split('.')[0] in syms for f in t.split(' / ')) \
            else ' '
        print(f'  {mark} {n:4d}  {t}')
    for first, last, _ in ours:
        for l in lines[first:min(last, first + 30)]:
            print('    ' + l, file=sys.stderr)
    return len(ours)


def read(log):
    with open(log, errors='replace') as f:
        return [l.rstrip('\r\n') for l in f]


def check(log):
    lines = read(log)
    # KCSAN reports are judged by kcsan(): only races in our code fail
    inside = set()
    for first, last, _ in kcsan_reports(lines):
        inside.update(range(first, last + 1))
    bad = [i for i, l in enumerate(lines)
           if i not in inside and SPLATS.search(l) and not BENIGN.search(l)]
    ok = True
    if bad:
        ok = False
        print(f'console: kernel reported a problem ({len(bad)} lines); '
              f'first report:', file=sys.stderr)
        first = bad[0]
        for l in lines[max(0, first - 2):first + 25]:
            print('  ' + l, file=sys.stderr)
    if not any(l.startswith(DONE_MARK) for l in lines):
        ok = False
        print('console: the guest never reached the end of /init; last lines:',
              file=sys.stderr)
        for l in lines[-20:]:
            print('  ' + l, file=sys.stderr)
    return 0 if ok else 1


def section(log, name):
    out, inside = [], False
    for l in read(log):
        if l.startswith(f'==== {name} begin'):
            inside = True
        elif l.startswith(f'==== {name} end'):
            inside = False
        elif inside:
            out.append(l)
    print('\n'.join(out))
    return 0


def kunit_cases(group, path=()):
    """[((suite, .., case), 'pass' | 'fail' | 'skip')] of kunit.py's JSON."""
    path = path + (group.get('name', ''),)
    out = []
    for case in group.get('test_cases', []):
        state = {'PASS': 'pass', 'SKIP': 'skip'}.get(case['status'], 'fail')
        out.append((('kunit',) + path + (case['name'],), state))
    for sub in group.get('sub_groups', []):
        out += kunit_cases(sub, path)
    return out


def kunit_results(tree, lines, suites):
    """Run the kernel's own KTAP parser on the part before /init: its
    cases, and how many failures no case carries (a suite that did not
    run, a log kunit.py could not parse)."""
    pre = []
    for l in lines:
        if l.startswith(INIT_MARK):
            break
        pre.append(l)
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, 'kunit.log')
        res = os.path.join(tmp, 'kunit.json')
        with open(raw, 'w') as f:
            f.write('\n'.join(pre) + '\n')
        kunit = os.path.join(tree, 'tools/testing/kunit/kunit.py')
        p = subprocess.run([sys.executable, kunit, 'parse', '--json=' + res, raw],
                           capture_output=True, text=True)
        print(p.stdout.rstrip())
        if not os.path.exists(res):
            print('results: kunit.py parse produced no results', file=sys.stderr)
            return [], len(suites)
        with open(res) as f:
            top = json.load(f)
    extra = 0
    seen = {g['name'] for g in top.get('sub_groups', [])}
    for s in suites:
        if s not in seen:
            print(f'results: KUnit suite {s} did not run', file=sys.stderr)
            extra += 1
    return kunit_cases(top), extra


def counts(cases, extra=0):
    """{'passed', 'failed', 'skipped'} of [(key, state)], plus EXTRA
    failures that no case carries."""
    n = {'passed': 0, 'failed': extra, 'skipped': 0}
    for _, state in cases:
        n[{'pass': 'passed', 'fail': 'failed', 'skip': 'skipped'}[state]] += 1
    return n


def line(n):
    return f"{n['passed']} passed, {n['failed']} failed, {n['skipped']} skipped"


TAP_RESULT = re.compile(r'^(not )?ok (\d+) (\S+)(.*)$')
TAP_PLAN = re.compile(r'^1\.\.(\d+)$')


def selftest_results(lines):
    """The selftest TAP of one boot's log: [((selftest, case), state)], and
    how many failures no case carries (a selftest missing, or one that
    ended before all its results)."""
    cases, extra = [], 0
    name, plan, got = None, 0, 0
    for l in lines:
        m = re.match(r'^==== selftest (\S+) (begin|end rc=(\d+)|missing)', l)
        if m:
            if m.group(2) == 'begin':
                name, plan, got = m.group(1), 0, 0
                print(l)
                continue
            if m.group(2) == 'missing':
                print(f'results: selftest {m.group(1)} missing from the '
                      f'initramfs', file=sys.stderr)
                extra += 1
            else:
                rc = int(m.group(3))
                if got < plan or (got == 0 and rc != 0):
                    print(f'results: selftest {name} ended (rc={rc}) after '
                          f'{got} of {max(plan, 1)} results', file=sys.stderr)
                    extra += max(plan - got, 1)
            print(l)
            name = None
            continue
        if name is None:
            continue
        print('  ' + l)
        m = TAP_PLAN.match(l)
        if m:
            plan = int(m.group(1))
            continue
        m = TAP_RESULT.match(l)
        if m:
            got += 1
            state = 'fail' if m.group(1) else 'pass'
            if re.search(r'#\s*SKIP', m.group(4), re.I):
                state = 'skip'
            cases.append(((name, m.group(3)), state))
    return cases, extra


def selftest_cases(lines):
    """{(selftest, case): 'pass' | 'fail' | 'skip'} of one boot's log."""
    cases, name = {}, None
    for l in lines:
        m = re.match(r'^==== selftest (\S+) (begin|end|missing)', l)
        if m:
            name = m.group(1) if m.group(2) == 'begin' else None
            continue
        m = TAP_RESULT.match(l) if name else None
        if m:
            state = 'fail' if m.group(1) else 'pass'
            if re.search(r'#\s*SKIP', m.group(4), re.I):
                state = 'skip'
            cases[(name, m.group(3))] = state
    return cases


def base(log, expect_file):
    """A boot of the unpatched base: feature cases fail, guards pass."""
    lines = read(log)
    got = selftest_cases(lines)
    want = {}
    if not os.path.exists(expect_file):
        print(f'base: no {expect_file}: every case below is unlisted',
              file=sys.stderr)
        expect_file = os.devnull
    with open(expect_file) as f:
        for l in f:
            w = l.split()
            if not w or w[0].startswith('#'):
                continue
            if len(w) != 3 or w[0] not in ('feature', 'guard'):
                print(f'base: {expect_file}: bad line: {l.rstrip()}',
                      file=sys.stderr)
                return 2
            want[(w[1], w[2])] = w[0]
    bad = 0
    print(f'{"selftest case":50} {"on the base":11} expected')
    for key in sorted(set(got) | set(want)):
        state, kind = got.get(key, 'absent'), want.get(key, 'unlisted')
        ok = ((kind == 'feature' and state == 'fail') or
              (kind == 'guard' and state == 'pass'))
        bad += not ok
        print(f'{key[0] + " " + key[1]:50} {state:11} {kind}'
              f'{"" if ok else "   <- MISMATCH"}')
    n = {k: sum(1 for v in want.values() if v == k) for k in ('feature', 'guard')}
    print(f"base: {n['feature']} feature cases, {n['guard']} guards, "
          f"{bad} mismatched")
    return 1 if bad else 0


def boot_results(tree, log, suites):
    """One boot: its KUnit and selftest cases, and the failures no case
    carries (a kernel splat, a KCSAN report in our code, a suite that did
    not run, a selftest that ended early); prints its per-boot lines."""
    print(f'==== boot {log}')
    lines = read(log)
    if not any(l.startswith(INIT_MARK) for l in lines):
        print('results: the guest never reached /init', file=sys.stderr)
    kunit, kextra = kunit_results(tree, lines, suites)
    selftests, sextra = selftest_results(lines)
    if check(log):
        kextra += 1
    kextra += kcsan(log)
    print(f'kunit: {line(counts(kunit, kextra))}')
    print(f'selftests: {line(counts(selftests, sextra))}')
    return {'name': boot_name(log), 'kunit': kunit, 'selftests': selftests,
            'extra': kextra + sextra}


def boot_name(log):
    """full of .../test-full.log"""
    base = os.path.basename(log)
    base = base[:-len('.log')] if base.endswith('.log') else base
    return base.split('-', 1)[1] if '-' in base else base


def total(boots):
    """The closing line over BOOTS (boot_results(), the first the reference,
    in make test the boot with everything): each case once per boot that
    can exercise it differently.

    A KUnit case runs on fake memcgs, lists and shrinkers: what a boot's
    memcg setting (cgroup.memory=nokmem, cgroup_disable=memory) changes
    for it is whether it runs or skips. It counts in the first boot, and
    in a later boot only if the first skipped it (a case of the fallback
    to per-node lists runs only without memcg or its slab accounting; each
    such boot reaches the fallback its own way); a later boot's result of
    a case the first boot ran repeats it, unless it failed.
    A selftest case drives the whole kernel, whose own caches run on the
    boot's kind of lists: it counts in each boot that ran it.
    A skip means that the boot does not apply to the case: it counts once,
    and only for a case that no boot ran. A failure always counts, in each
    boot it happened in, and so do failures that no case carries. Returns
    the counts and the "counted:" line, which says what was left out."""
    tot = {'passed': 0, 'failed': sum(b['extra'] for b in boots),
           'skipped': 0}
    first = {key for key, state in (boots[0]['kunit'] if boots else ())
             if state != 'skip'}
    ran, every = set(), set()
    kunit_n, selftest_n, repeats = [], [], 0
    for i, b in enumerate(boots):
        k = s = 0
        for key, state in b['kunit']:
            every.add(key)
            if state == 'skip':
                continue
            ran.add(key)
            if state == 'fail' or i == 0 or key not in first:
                tot['passed' if state == 'pass' else 'failed'] += 1
                k += 1
            else:
                repeats += 1
        for key, state in b['selftests']:
            every.add(key)
            if state != 'skip':
                tot['passed' if state == 'pass' else 'failed'] += 1
                ran.add(key)
                s += 1
        kunit_n.append(f"{k} {b['name']}")
        selftest_n.append(f"{s} {b['name']}")
    never = every - ran
    tot['skipped'] += len(never)
    skips = sum(1 for b in boots for _, state in b['kunit'] + b['selftests']
                if state == 'skip') - len(never)
    said = (f"counted: KUnit ({' + '.join(kunit_n)}: each case in the "
            f"first boot, in a later one if the first skipped it), "
            f"selftests ({' + '.join(selftest_n)}: in each boot that ran "
            f"them); left out: {repeats} KUnit results repeating the first "
            f"boot's, {skips} skips where a boot does not apply")
    return tot, said


def read_skips(path):
    """{boot: [(pattern, must_run)]} of configs/skips."""
    rules = {}
    with open(path) as f:
        for l in f:
            w = l.split()
            if not w or w[0].startswith('#'):
                continue
            if len(w) < 3:
                raise SystemExit(f'results: {path}: no reason on: {l.rstrip()}')
            rules.setdefault(w[0], []).append((w[1].lstrip('!'),
                                               w[1].startswith('!')))
    return rules


def unexplained_skips(boot, rules):
    """The skipped cases of BOOT that no rule of its boot explains."""
    bad = []
    for key, state in boot['kunit'] + boot['selftests']:
        if state != 'skip':
            continue
        name = '.'.join(key[2:] if key[0] == 'kunit' else key)
        ok = False
        for pattern, must_run in rules.get(boot['name'], []):
            if fnmatch.fnmatchcase(name, pattern):
                ok = not must_run
                break
        if not ok:
            bad.append(name)
    return bad


def results(tree, logs, suites, skips=None):
    boots = [boot_results(tree, log, suites) for log in logs.split(',')]
    tot, said = total(boots)
    if skips:
        rules = read_skips(skips)
        for b in boots:
            for name in unexplained_skips(b, rules):
                print(f"results: boot {b['name']}: {name} skipped, and "
                      f"{skips} does not explain it", file=sys.stderr)
                tot['failed'] += 1
    if tot['passed'] + tot['failed'] == 0:
        tot['failed'] = 1
        print('results: no test ran', file=sys.stderr)
    print(said)
    print(line(tot))
    return 1 if tot['failed'] else 0


def main(argv):
    global OBJ
    skips = None
    if len(argv) >= 3 and argv[1] == '--obj':
        OBJ = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) >= 3 and argv[1] == '--skips':
        skips = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) >= 3 and argv[1] == 'check':
        return check(argv[2])
    if len(argv) == 4 and argv[1] == 'section':
        return section(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == 'base':
        return base(argv[2], argv[3])
    if len(argv) >= 4 and argv[1] == 'results':
        return results(argv[2], argv[3], argv[4:], skips)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
