#!/usr/bin/python3
"""npprint_cases.py - nudge's npprint against numpy's own str() and repr().

Random arrays of every dtype (float64, int64, bool), every shape class
((n,), (1,n), (n,1), (m,n), empty) and magnitude (tiny, huge, mixed, NaN,
Inf, -0.0, integers stored as float), under random print options, printed
by numpy and by the C driver, compared byte for byte.  A fresh seed each
run, printed; --seed N replays one.

usage: npprint_cases.py DRIVER [--seed N] [--count N] [--show N]
"""
import argparse
import math
import os
import random
import struct
import subprocess
import sys

import numpy as np


def hexs(s):
    b = s.encode('utf-8')
    return b.hex() if b else '-'


def bits(x):
    return '%016x' % struct.unpack('<Q', struct.pack('<d', float(x)))[0]


# --- values ----------------------------------------------------------------

def float_values(r, n):
    k = r.random()
    if k < 0.15:                    # uniform, one sign or both
        lo = r.choice([0.0, -1.0])
        vals = [r.uniform(lo, 1.0) for _ in range(n)]
    elif k < 0.25:                  # the book's sigmoid outputs and weights
        vals = [1 / (1 + math.exp(-r.gauss(0, 2))) for _ in range(n)]
    elif k < 0.35:                  # integers stored as floats
        vals = [float(r.randint(-10 ** r.randint(1, 9), 10 ** r.randint(1, 9))) for _ in range(n)]
    elif k < 0.45:                  # few decimals
        d = r.randint(0, 5)
        vals = [round(r.uniform(-100, 100), d) for _ in range(n)]
    elif k < 0.55:                  # one magnitude, any
        e = r.randint(-12, 14)
        vals = [r.uniform(-1, 1) * 10.0 ** e for _ in range(n)]
    elif k < 0.65:                  # mixed tiny and huge
        vals = [r.uniform(-1, 1) * 10.0 ** r.randint(-30, 30) for _ in range(n)]
    elif k < 0.72:                  # near the switches: 1e-4, 1e8, ratio 1000
        base = r.choice([1e-4, 1e8, 1e3, 1.0])
        vals = [base * r.choice([1, -1]) * r.choice([0.999999, 1.0, 1.0000001, 0.5, 2, 1000, 1001, 0.001])
                for _ in range(n)]
    elif k < 0.78:                  # random bit patterns (finite)
        vals = []
        for _ in range(n):
            x = struct.unpack('<d', struct.pack('<Q', r.getrandbits(64)))[0]
            vals.append(x if math.isfinite(x) else 0.5)
    elif k < 0.84:                  # rounding ties and 9s that carry
        vals = [r.choice([0.5, 1.5, 2.5, 0.125, 0.375, 9.999999999, 99.99999999, 0.99999999995,
                          1.00000000005, 12345.678901234, 0.1, 0.2, 0.3]) * r.choice([1, -1]) for _ in range(n)]
    elif k < 0.90:                  # zeros, signed
        vals = [r.choice([0.0, -0.0, 0.0, 1.0]) for _ in range(n)]
    else:
        vals = [r.gauss(0, 1) for _ in range(n)]
    # sprinkle the specials
    if r.random() < 0.25:
        for _ in range(r.randint(1, 3)):
            if n:
                vals[r.randrange(n)] = r.choice([math.nan, math.inf, -math.inf, -0.0, 0.0])
    if r.random() < 0.03:
        vals = [r.choice([math.nan, math.inf, -math.inf]) for _ in range(n)]
    return vals


def int_values(r, n):
    """int64 values that a double holds exactly, as nudge stores them."""
    k = r.random()
    if k < 0.5:
        return [r.randint(-10, 10) for _ in range(n)]
    if k < 0.8:
        e = r.randint(1, 12)
        return [r.randint(-10 ** e, 10 ** e) for _ in range(n)]
    return [max(-2 ** 63, min(2 ** 63 - 1024, int(float(r.randint(-2 ** 63, 2 ** 63 - 1))))) for _ in range(n)]


def shape(r):
    k = r.random()
    small = lambda: r.choice([1, 1, 2, 3, 4, 5, 6, 8, 10, 12, r.randint(1, 40)])
    if k < 0.30:
        return (small(),)
    if k < 0.40:
        return (1, small())
    if k < 0.50:
        return (small(), 1)
    if k < 0.85:
        return (small(), small())
    if k < 0.90:
        return r.choice([(0,), (0, 3), (3, 0), (0, 0)])
    if k < 0.97:                    # past the default threshold
        return r.choice([(r.randint(1001, 3000),), (r.randint(30, 60), r.randint(30, 60)),
                         (r.randint(1001, 1500), 1), (1, r.randint(1001, 1200)), (r.randint(300, 600), 3)])
    return (r.randint(20, 200),)


FLOAT_SPECS = [' 0.3f', '.2f', '.3e', '8.3g', '+.4f', '.0f', '10.5', '', 'e', '>9.2%', '#x', '_.2f']
INT_SPECS = ['5d', 'x', '+d', '_', '#b', '.2f', '>4']


def options(r):
    o = {}
    if r.random() < 0.5:
        return o
    if r.random() < 0.5:
        o['precision'] = r.choice([0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 17, 20, 25, 40, 60])
    if r.random() < 0.4:
        o['floatmode'] = r.choice(['fixed', 'unique', 'maxprec', 'maxprec_equal'])
    if r.random() < 0.3:
        o['suppress'] = True
    if r.random() < 0.3:
        o['linewidth'] = r.choice([1, 5, 10, 20, 30, 40, 60, 75, 100, 200])
    if r.random() < 0.2:
        o['threshold'] = r.choice([0, 1, 5, 10, 20, 50, 100])
    if r.random() < 0.2:
        o['edgeitems'] = r.choice([0, 1, 2, 3, 4, 5])
    if r.random() < 0.3:
        o['sign'] = r.choice(['-', '+', ' '])
    if r.random() < 0.1:
        o['nanstr'] = r.choice(['nan', 'NaN', '*', 'missing'])
    if r.random() < 0.1:
        o['infstr'] = r.choice(['inf', 'Inf', 'infinity'])
    if r.random() < 0.15:
        o['float_spec'] = r.choice(FLOAT_SPECS)
    if r.random() < 0.08:
        o['int_spec'] = r.choice(INT_SPECS)
    return o


def numpy_text(what, a, o):
    kw = {k: v for k, v in o.items() if k not in ('float_spec', 'int_spec')}
    fm = {}
    if o.get('float_spec'):
        fm['float'] = ('{:' + o['float_spec'] + '}').format
    if o.get('int_spec'):
        fm['int'] = ('{:' + o['int_spec'] + '}').format
    if fm:
        kw['formatter'] = fm
    try:
        with np.printoptions(**kw):
            if what == 'S':
                return ('OK', str(a))
            return ('OK', repr(a) if what == 'r' else str(a))
    except ValueError as e:
        return ('ERR', str(e))


def case_line(what, dtype, shp, vals, o):
    ndim = len(shp)
    rows, cols = (1, shp[0]) if ndim == 1 else shp
    fields = [what, dtype, str(ndim), str(rows), str(cols),
              str(o.get('precision', 8)),
              {'fixed': 'f', 'unique': 'u', 'maxprec': 'm', 'maxprec_equal': 'e'}[o.get('floatmode', 'maxprec')],
              '1' if o.get('suppress') else '0', str(o.get('linewidth', 75)), str(o.get('threshold', 1000)),
              str(o.get('edgeitems', 3)), {'-': 'm', '+': 'p', ' ': 's'}[o.get('sign', '-')],
              hexs(o.get('nanstr', 'nan')), hexs(o.get('infstr', 'inf')),
              hexs(o.get('float_spec', '')), hexs(o.get('int_spec', '')),
              ','.join(bits(v) for v in vals) or '-']
    return ' '.join(fields)


def make_cases(r, count):
    for i in range(count):
        k = r.random()
        dtype = 'f' if k < 0.7 else 'i' if k < 0.9 else 'b'
        if r.random() < 0.05:                       # a numpy scalar
            if dtype == 'f':
                x = float_values(r, 1)[0]
                a = np.float64(x)
            elif dtype == 'i':
                x = int_values(r, 1)[0]
                a = np.int64(x)
            else:
                x = r.choice([0, 1])
                a = np.bool_(x)
            o = options(r)
            cat = 'scalar ' + {'f': 'float64', 'i': 'int64', 'b': 'bool'}[dtype]
            yield cat, case_line('S', dtype, (1,), [x], o), numpy_text('S', a, o), 'np.%s(%r) %r' % (
                type(a).__name__, x, o)
            continue
        shp = shape(r)
        n = 1
        for s in shp:
            n *= s
        if dtype == 'f':
            vals = float_values(r, n)
            a = np.array(vals, dtype=np.float64).reshape(shp)
        elif dtype == 'i':
            vals = int_values(r, n)
            a = np.array(vals, dtype=np.int64).reshape(shp)
        else:
            vals = [r.choice([0, 1]) for _ in range(n)]
            a = np.array(vals, dtype=bool).reshape(shp)
        o = options(r)
        what = 'r' if r.random() < 0.3 else 's'
        if n == 0:
            sc = 'empty'
        elif len(shp) == 1:
            sc = '(n,)'
        elif shp[0] == 1:
            sc = '(1,n)'
        elif shp[1] == 1:
            sc = '(n,1)'
        else:
            sc = '(m,n)'
        cat = '%s %s %s' % ({'f': 'float64', 'i': 'int64', 'b': 'bool'}[dtype], sc, 'repr' if what == 'r' else 'str')
        desc = '%s of np.array(%s, dtype=%s).reshape(%r) with %r' % (
            'repr' if what == 'r' else 'str', vals if n <= 40 else '%d values' % n, a.dtype, shp, o)
        yield cat, case_line(what, dtype, shp, vals, o), numpy_text(what, a, o), desc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('driver')
    ap.add_argument('--seed', type=int)
    ap.add_argument('--count', type=int, default=12000)
    ap.add_argument('--show', type=int, default=10)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4), 'little')
    print('npprint differential: numpy %s, seed %d (replay with --seed %d)' % (np.__version__, seed, seed))
    r = random.Random(seed)
    cases = list(make_cases(r, a.count))
    stdin = ''.join(c[1] + '\n' for c in cases)
    out = subprocess.run([a.driver], input=stdin.encode(), stdout=subprocess.PIPE, check=True).stdout
    answers = out.decode().splitlines()
    if len(answers) != len(cases):
        print('driver answered %d of %d cases' % (len(answers), len(cases)))
        return 1
    counts, bad, shown = {}, {}, 0
    for (cat, line, want, desc), ans in zip(cases, answers):
        kind, h = ans.split(' ', 1)
        got = (kind, '' if h == '-' else bytes.fromhex(h).decode('utf-8'))
        counts[cat] = counts.get(cat, 0) + 1
        if got != want:
            bad[cat] = bad.get(cat, 0) + 1
            if shown < a.show:
                shown += 1
                print('DIFF %s: %s\n--- numpy:\n%s\n--- nudge:\n%s\n' % (cat, desc, want[1], got[1]))
    for cat in sorted(counts):
        print('  %-26s %6d cases, %d disagree' % (cat, counts[cat], bad.get(cat, 0)))
    total = sum(bad.values())
    print('%d cases, %d disagree (seed %d)' % (len(cases), total, seed))
    return 1 if total else 0


if __name__ == '__main__':
    sys.exit(main())
