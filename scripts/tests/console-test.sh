#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# console-test.sh: how scripts/console.py results counts, on made-up boot
# logs and a stub kunit.py (no kernel tree, nothing boots): a KUnit case in
# the first boot, and in a later one only if the first skipped it; a
# selftest case in each boot that ran it; a skip only for a case no boot
# ran; a failure wherever it happened; per-boot lines, then "N passed,
# N failed, N skipped" last. CONSOLE=path tests another copy.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
console=${CONSOLE:-$here/scripts/console.py}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# a tree whose kunit.py parse turns "K SUITE CASE STATUS" lines into JSON
mkdir -p "$tmp/tree/tools/testing/kunit"
cat > "$tmp/tree/tools/testing/kunit/kunit.py" <<'STUB'
import json, sys
out = sys.argv[2].split('=', 1)[1]
groups = {}
for l in open(sys.argv[3]):
    w = l.split()
    if len(w) == 4 and w[0] == 'K':
        groups.setdefault(w[1], []).append({'name': w[2], 'status': w[3]})
json.dump({'name': '', 'sub_groups': [
    {'name': s, 'test_cases': c, 'sub_groups': []} for s, c in groups.items()],
    'test_cases': []}, open(out, 'w'))
STUB

python3 - "$console" "$tmp" <<'PY'
import contextlib, importlib.machinery, io, os, sys, types
loader = importlib.machinery.SourceFileLoader('console', sys.argv[1])
console = types.ModuleType('console')
loader.exec_module(console)
tmp = sys.argv[2]
passed = failed = 0


def log(name, kunit, selftests):
    """A boot log: KUnit lines KUNIT [(suite, case, STATUS)], then /init
    running SELFTESTS {name: [(case, 'ok' | 'not ok' | 'skip')]}."""
    path = os.path.join(tmp, f'test-{name}.log')
    with open(path, 'w') as f:
        for s, c, st in kunit:
            f.write(f'K {s} {c} {st}\n')
        f.write('==== shrinkers init mode=test nodes=4\n')
        for t, cases in selftests.items():
            f.write(f'==== selftest {t} begin\n1..{len(cases)}\n')
            for i, (c, st) in enumerate(cases, 1):
                f.write({'ok': f'ok {i} {c}\n', 'not ok': f'not ok {i} {c}\n',
                         'skip': f'ok {i} {c} # SKIP not here\n'}[st])
            f.write(f'==== selftest {t} end rc=0\n')
        f.write('==== shrinkers done\n')
    return path


def case(name, boots, want_last, want_rc, want_lines=(), skips=None):
    global passed, failed
    logs = ','.join(log(*b) for b in boots)
    if skips is not None:
        path = os.path.join(tmp, 'skips')
        with open(path, 'w') as f:
            f.write('# boot case why\n' + ''.join(f'{l} reason\n'
                                                   for l in skips))
        skips = path
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = console.results(os.path.join(tmp, 'tree'), logs, ['lru'],
                             skips)
    lines = out.getvalue().rstrip('\n').split('\n')
    why = []
    if lines[-1] != want_last:
        why.append(f'last line {lines[-1]!r}, want {want_last!r}')
    if rc != want_rc:
        why.append(f'exit {rc}, want {want_rc}')
    for w in want_lines:
        if w not in lines:
            why.append(f'no line {w!r}')
    if why:
        failed += 1
        print(f'not ok {name}: ' + '; '.join(why))
        for l in lines + err.getvalue().splitlines():
            print('    ' + l)
    else:
        passed += 1
        print(f'ok {name}')


K_FULL = [('lru', 'plain', 'PASS'), ('lru', 'memcg', 'PASS')]
K_NOMEMCG = [('lru', 'plain', 'PASS'), ('lru', 'memcg', 'SKIP')]
S_FULL = {'t': [('a', 'ok'), ('b', 'ok'), ('c', 'skip')]}
S_NOMEMCG = {'t': [('a', 'ok'), ('b', 'skip'), ('c', 'skip')]}
# the boots of make test: a KUnit case the first boot ran counts there
# only, a selftest case once per boot that ran it, c (skipped everywhere)
# once
case('three-boots', [('full', K_FULL, S_FULL), ('nomemcg', K_NOMEMCG, S_NOMEMCG)],
     '5 passed, 0 failed, 1 skipped', 0,
     ['kunit: 2 passed, 0 failed, 0 skipped',
      'kunit: 1 passed, 0 failed, 1 skipped',
      'selftests: 1 passed, 0 failed, 2 skipped',
      'counted: KUnit (2 full + 0 nomemcg: each case in the first boot, in '
      'a later one if the first skipped it), selftests (2 full + 1 nomemcg: '
      'in each boot that ran them); left out: 1 KUnit results repeating '
      'the first boot\'s, 3 skips where a boot does not apply'])
# one boot: the closing line is the sum of its two lines
case('one-boot', [('full', K_FULL, S_FULL)], '4 passed, 0 failed, 1 skipped', 0)
# a KUnit case failing in a later boot fails there, though the first ran it
case('kunit-fails-later', [('full', K_FULL, S_FULL),
                           ('nokmem', [('lru', 'plain', 'PASS'),
                                       ('lru', 'memcg', 'FAIL')], S_NOMEMCG)],
     '5 passed, 1 failed, 1 skipped', 1)
# a KUnit case that the first boot skips (the per-node fallback) counts in
# each later boot that runs it
K_FALLBACK = [('lru', 'plain', 'PASS'), ('lru', 'fallback', 'PASS')]
case('kunit-fallback', [('full', [('lru', 'plain', 'PASS'),
                                  ('lru', 'fallback', 'SKIP')], {}),
                        ('nokmem', K_FALLBACK, {}),
                        ('nomemcg', K_FALLBACK, {})],
     '3 passed, 0 failed, 0 skipped', 0)
# a selftest failing in a later boot counts there
case('selftest-fails-later', [('full', K_FULL, S_FULL),
                              ('nomemcg', K_NOMEMCG,
                               {'t': [('a', 'not ok'), ('b', 'skip'),
                                      ('c', 'skip')]})],
     '4 passed, 1 failed, 1 skipped', 1)
# a suite that did not run in a boot is a failure of that boot
case('suite-missing', [('full', K_FULL, S_FULL), ('nomemcg', [], S_NOMEMCG)],
     '5 passed, 1 failed, 1 skipped', 1)
# no suite ran, no selftest: a failure, never "0 passed, 0 failed"
case('nothing-ran', [('full', [], {})], '0 passed, 1 failed, 0 skipped', 1)
# --skips: every skip explained by its boot passes; one that is not, or
# a case a '!' line says must run in that boot, is a failure
BOOTS = [('full', K_FULL, S_FULL), ('nomemcg', K_NOMEMCG, S_NOMEMCG)]
case('skips-explained', BOOTS, '5 passed, 0 failed, 1 skipped', 0,
     skips=['full t.c', 'nomemcg lru.memcg', 'nomemcg t.*'])
case('skip-unexplained', BOOTS, '5 passed, 1 failed, 1 skipped', 1,
     skips=['nomemcg lru.memcg', 'nomemcg t.*'])
case('skip-must-run', BOOTS, '5 passed, 1 failed, 1 skipped', 1,
     skips=['full t.c', 'nomemcg !lru.memcg', 'nomemcg lru.*',
            'nomemcg t.*'])
print(f'console.py: {passed} passed, {failed} failed')
sys.exit(1 if failed else 0)
PY
