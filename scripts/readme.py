#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The README's figures, made from results/ (what make test, make test-base
and make bench recorded, each with its commit), never typed by hand.

  readme.py          rewrite the block between the markers in README.md
  readme.py --check  exit 1 (and say so) if the block is not what
                     results/ gives
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = '<!-- results: made by scripts/readme.py from results/; do not edit -->'
END = '<!-- end of results -->'
BOOTS = {'full': 'everything', 'nokmem': 'cgroup.memory=nokmem',
         'nomemcg': 'cgroup_disable=memory'}


def load(name):
    path = os.path.join(TOP, 'results', name + '.txt')
    if not os.path.exists(path):
        return None
    head, body = {}, []
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            m = re.match(r'^(commit|date|seconds) (.*)$', line)
            if m and not body:
                head[m.group(1)] = m.group(2)
            else:
                body.append(line)
    return head, body


def minutes(secs):
    s = int(secs)
    return f'{s // 60} min {s % 60:02d} s'


def test_block(base):
    r = load(f'test-{base}')
    if not r:
        return [f'- `make test` on {base}: no recorded run in results/.']
    head, body = r
    out = [f'- `make test` on {base} (`results/test-{base}.txt`, commit '
           f'{head["commit"]}, {head["date"]}, {minutes(head["seconds"])} '
           f'from start to end, with whatever build it needed):', '']
    boot = None
    for line in body:
        m = re.match(r'^boot (\w+)\.log$', line)
        if m:
            boot = m.group(1)
            continue
        if line.startswith(('kunit:', 'selftests:')) and boot:
            out.append(f'      {boot:8} ({BOOTS.get(boot, boot)}) {line}')
        elif line.startswith('counted:'):
            # what the closing line counts of the boots (console.py total())
            out.append(f'      {line}')
        elif re.match(r'^\d+ passed', line):
            out.append(f'      all boots: {line}')
    return out + ['']


def base_block(base):
    r = load(f'test-base-{base}')
    if not r:
        return []
    head, body = r
    last = [l for l in body if l.startswith('base:')]
    return [f'- `make test-base` on {base} (`results/test-base-{base}.txt`, '
            f'commit {head["commit"]}, {head["date"]}): the same initramfs '
            f'on the unpatched {base}: '
            + (last[-1][len('base: '):] if last else 'no summary') + '.', '']


def bench_block():
    r = load('bench')
    if not r:
        return ['- `make bench`: no recorded run in results/.']
    head, body = r
    return ([f'- `make bench` (`results/bench.txt`, commit {head["commit"]}, '
             f'{head["date"]}, {minutes(head["seconds"])}):', ''] +
            body + [''])


def block():
    lines = [BEGIN, '']
    for base in ('7.2', '6.12'):
        lines += test_block(base)
        lines += base_block(base)
    lines += bench_block()
    return '\n'.join(lines + [END])


def main(argv):
    path = os.path.join(TOP, 'README.md')
    text = open(path).read()
    if BEGIN not in text or END not in text:
        print('readme: README.md has no results markers', file=sys.stderr)
        return 1
    a = text.index(BEGIN)
    b = text.index(END) + len(END)
    new = text[:a] + block() + text[b:]
    if len(argv) > 1 and argv[1] == '--check':
        if new != text:
            print('readme: README.md\'s results block differs from results/: '
                  'run scripts/readme.py', file=sys.stderr)
            return 1
        return 0
    with open(path, 'w') as f:
        f.write(new)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
