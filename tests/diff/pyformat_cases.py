#!/usr/bin/python3
"""pyformat_cases.py - nudge's pyformat against Python itself, byte for byte.

Generates many thousands of (value, spec) cases -- float repr (and nudge's
`format long`, which shares its digits), format()
with random specs for float, int, bool and str, repr/ascii of str, and
printf-style % conversions -- asks this Python for the answer (text, or
the exception's type and message), runs the C driver on the same cases and
compares.  A fresh seed each run, printed; --seed N replays one.

usage: pyformat_cases.py DRIVER [--seed N] [--count N] [--show N]
Exit status 0 when every case agrees, 1 otherwise.
"""
import argparse
import math
import os
import random
import struct
import subprocess
import sys


def bits(x):
    return '%016x' % struct.unpack('<Q', struct.pack('<d', x))[0]


def from_bits(u):
    return struct.unpack('<d', struct.pack('<Q', u))[0]


def hexs(s):
    b = s.encode('utf-8', 'surrogatepass')
    return b.hex() if b else '-'


# --- values --------------------------------------------------------------

SPECIAL_FLOATS = [
    0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, -5e-324, 2.2250738585072014e-308,
    2.225073858507201e-308, 1.7976931348623157e308, -1.7976931348623157e308, 0.1, 0.2, 0.3,
    0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1.0, -1.0, 10.0, 100.0, 1e15, 1e16, 1e17, 1e22, 1e23,
    9.999999999999999e15, 123456789012345.0, 1234567890123456.0, 12345678901234567.0, 1e-4,
    1e-5, 0.0001, 0.00011, 9.9999e-5, 9.5, 99.5, 0.95, 0.05, 0.15, 0.25, 0.35, 2.675, 1.005,
    1e300, 1e-300, 2.0 ** -24, 2.0 ** -1074, 2.0 ** 1023, 2.0 ** 52, 2.0 ** 53, 2.0 ** 53 + 2,
    2.0 ** 63, 2.0 ** 64, 4.35, 0.045, 5e-5, 0.9999999999999999, 1.0000000000000002,
    299792458.0, 6.02214076e23, 1.602176634e-19, math.pi, math.e, 1 / 3, 2 / 3,
]


def random_float(r):
    k = r.random()
    if k < 0.10:
        return r.choice(SPECIAL_FLOATS) * r.choice([1, 1, -1])
    if k < 0.25:
        return from_bits(r.getrandbits(64))
    if k < 0.35:
        return r.uniform(-1, 1) * 10.0 ** r.randint(-12, 20)
    if k < 0.45:                          # a tie at some rounding place
        m = r.randint(0, 10 ** r.randint(1, 6))
        return (2 * m + 1) / 2.0 ** r.randint(1, 12) * r.choice([1, -1])
    if k < 0.55:                          # integers stored as floats
        return float(r.randint(-10 ** r.randint(1, 20), 10 ** r.randint(1, 20)))
    if k < 0.65:                          # a few decimals
        return round(r.uniform(-1000, 1000), r.randint(0, 6))
    if k < 0.72:                          # next to a power of ten
        x = 10.0 ** r.randint(-20, 22)
        return math.nextafter(x, r.choice([0, math.inf])) * r.choice([1, -1])
    if k < 0.78:                          # powers of two, their neighbours
        x = 2.0 ** r.randint(-1074, 1023)
        return math.nextafter(x, r.choice([0, math.inf, x]))
    if k < 0.84:                          # subnormals
        return from_bits(r.getrandbits(52)) * r.choice([1, -1])
    if k < 0.92:                          # 9s that carry when rounded
        d = r.randint(1, 17)
        return float('9' * d + 'e' + str(r.randint(-25, 25))) * r.choice([1, -1])
    return r.uniform(-1e6, 1e6)


def random_int(r):
    k = r.random()
    if k < 0.1:
        return r.choice([0, 1, -1, 2 ** 63 - 1, -2 ** 63, 2 ** 53, 2 ** 53 + 1, 255, -255, 65, 1000])
    if k < 0.7:
        n = r.randint(-10 ** r.randint(0, 18), 10 ** r.randint(0, 18))
        return max(-2 ** 63, min(2 ** 63 - 1, n))
    return r.randint(-2 ** 63, 2 ** 63 - 1)


STR_CHARS = (list('abcxyzABC0123 .,-_%{}') + ["'", '"', '\\', '\t', '\n', '\r', '\x00', '\x1f',
             '\x7f', '\x85', '\xa0', '\xad', 'é', 'ß', 'ÿ', 'Ā', '€', '中', '😀'])


def random_str(r):
    return ''.join(r.choice(STR_CHARS) for _ in range(r.randint(0, 12)))


# --- specs ---------------------------------------------------------------

FLOAT_TYPES = ['', '', '', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%']
INT_TYPES = ['', '', 'b', 'c', 'd', 'd', 'o', 'x', 'X', 'n', 'e', 'f', 'g', '%', 'G']
STR_TYPES = ['', '', 's', 's']
BAD_TYPES = ['d', 's', 'x', 'q', 'c', 'b', '\x01', 'é', 'ff', 'f ']


def random_spec(r, types):
    if r.random() < 0.03:
        return ''
    s = ''
    if r.random() < 0.4:
        if r.random() < 0.5:
            s += r.choice(['*', '0', ' ', 'é', 'x', '<', '😀'])
        s += r.choice('<>^=')
    if r.random() < 0.4:
        s += r.choice('+- ')
    if r.random() < 0.1:
        s += 'z'
    if r.random() < 0.2:
        s += '#'
    if r.random() < 0.2:
        s += '0'
    if r.random() < 0.6:
        s += str(r.choice([0, 1, 2, 5, 8, 10, 12, 15, 20, 25, r.randint(0, 40)]))
    if r.random() < 0.2:
        s += r.choice([',', '_', ',', '_', ',_', '_,'])
    if r.random() < 0.6:
        p = r.choice([0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 16, 17, 20, r.randint(0, 60)])
        if r.random() < 0.01:
            p = r.choice([100, 400, 1100])
        s += '.' + str(p)
    elif r.random() < 0.02:
        s += '.'
    if r.random() < 0.05:
        s += r.choice(BAD_TYPES)
    else:
        s += r.choice(types)
    return s


def outcome(f):
    try:
        return ('OK', f())
    except (ValueError, TypeError, OverflowError) as e:
        return ('ERR', type(e).__name__, str(e))


# --- percent ---------------------------------------------------------------

PCT_CONVS = list('diuoxXeEfFgGcrsa') + ['q', 'é']


def random_percent(r):
    fmt = '%'
    star_w = star_p = None
    fmt += ''.join(r.choice('-+ #0') for _ in range(r.choice([0, 0, 1, 1, 2, 3])))
    if r.random() < 0.5:
        if r.random() < 0.15:
            fmt += '*'
            star_w = r.randint(-12, 12)
        else:
            fmt += str(r.randint(0, 20))
    if r.random() < 0.5:
        if r.random() < 0.15:
            fmt += '.*'
            star_p = r.randint(-3, 12)
        else:
            fmt += '.' + (str(r.randint(0, 20)) if r.random() < 0.95 else '')
    if r.random() < 0.05:
        fmt += r.choice('hlL')
    fmt += r.choice(PCT_CONVS)
    k = r.random()
    if k < 0.35:
        kind, value = 'f', random_float(r)
    elif k < 0.65:
        kind, value = 'i', random_int(r)
    elif k < 0.72:
        kind, value = 'b', r.choice([True, False])
    elif k < 0.92:
        if r.random() < 0.3:
            value = r.choice(STR_CHARS)
        else:
            value = random_str(r)
        kind = 's'
    else:
        kind, value = 'o', r.choice([[1, 2.5], ['é', 3], (1,), {'a': 1}, None])
    if fmt.endswith('c') and kind == 'i' and 0xd800 <= value <= 0xdfff:
        value = 65
    return fmt, star_w, star_p, kind, value


def percent_case(fmt, star_w, star_p, kind, value):
    if kind == 'f':
        v = bits(value)
    elif kind == 'i':
        v = str(value)
    elif kind == 'b':
        v = '1' if value else '0'
    elif kind == 's':
        v = hexs(value)
    else:
        v = '%s,%s,%s' % (hexs(str(value)), hexs(repr(value)), hexs(type(value).__name__))
    w = '-' if star_w is None else str(star_w)
    p = '-' if star_p is None else str(star_p)
    return 'P %s %s %s %s %s' % (hexs(fmt), kind, v, w, p)


def percent_oracle(fmt, star_w, star_p, value):
    args = []
    if star_w is not None:
        args.append(star_w)
    if star_p is not None:
        args.append(star_p)
    args.append(value)
    return outcome(lambda: fmt % tuple(args))


# --- the run ---------------------------------------------------------------

def nudge_long(x):
    """nudge's `format long`: Python's repr digits, integers without ".0",
    -0.0 as "-0", and Octave's words for the non-finite."""
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Inf' if x > 0 else '-Inf'
    s = repr(x)
    return s[:-2] if s.endswith('.0') else s


def make_cases(r, scale):
    """Yields (category, driver line, expected outcome, description)."""
    for _ in range(6000 * scale):
        x = random_float(r)
        yield 'float repr', 'R ' + bits(x), ('OK', repr(x)), 'repr(%r)' % x
    for _ in range(3000 * scale):
        x = random_float(r)
        yield 'format long', 'L ' + bits(x), ('OK', nudge_long(x)), 'format long %r' % x
    for _ in range(12000 * scale):
        x = random_float(r)
        s = random_spec(r, FLOAT_TYPES)
        yield 'float format', 'F %s %s' % (bits(x), hexs(s)), outcome(lambda: format(x, s)), \
            'format(%r, %r)' % (x, s)
    for _ in range(6000 * scale):
        v = random_int(r)
        s = random_spec(r, INT_TYPES)
        if s.endswith('c'):
            v = r.choice([65, 0x41, 0xe9, 0x1f600, 0x110000, -1, 10, 0])
        yield 'int format', 'I %d %s' % (v, hexs(s)), outcome(lambda: format(v, s)), \
            'format(%r, %r)' % (v, s)
    for _ in range(1000 * scale):
        b = r.choice([True, False])
        s = random_spec(r, INT_TYPES)
        yield 'bool format', 'B %d %s' % (b, hexs(s)), outcome(lambda: format(b, s)), \
            'format(%r, %r)' % (b, s)
    for _ in range(3000 * scale):
        t = random_str(r)
        s = random_spec(r, STR_TYPES)
        yield 'str format', 'S %s %s' % (hexs(t), hexs(s)), outcome(lambda: format(t, s)), \
            'format(%r, %r)' % (t, s)
    for _ in range(1000 * scale):
        t = random_str(r)
        yield 'str repr', 'Q ' + hexs(t), ('OK', repr(t) + '\t' + ascii(t)), 'repr(%r)' % t
    for fmt in ['%', '%5', '%.', '%-', '%5.', '%l', '%#0', '%.3h', '%*', '%.*']:
        sw = 3 if fmt.startswith('%*') else None
        sp = 2 if fmt.startswith('%.*') else None
        yield 'percent', percent_case(fmt, sw, sp, 'i', 1), percent_oracle(fmt, sw, sp, 1), \
            '%r %% 1 (*: %r %r)' % (fmt, sw, sp)
    for _ in range(10000 * scale):
        fmt, sw, sp, kind, value = random_percent(r)
        yield 'percent', percent_case(fmt, sw, sp, kind, value), \
            percent_oracle(fmt, sw, sp, value), '%r %% %r (*: %r %r)' % (fmt, value, sw, sp)


def parse_answer(line):
    parts = line.rstrip('\n').split(' ')
    text = lambda h: '' if h == '-' else bytes.fromhex(h).decode('utf-8', 'surrogatepass')
    if parts[0] == 'OK':
        return ('OK', text(parts[1]))
    return ('ERR', parts[1], text(parts[2]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('driver')
    ap.add_argument('--seed', type=int)
    ap.add_argument('--scale', type=int, default=1, help='multiplies the number of cases')
    ap.add_argument('--show', type=int, default=20, help='disagreements to print')
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4), 'little')
    print('pyformat differential: seed %d (replay with --seed %d)' % (seed, seed))
    r = random.Random(seed)
    cases = list(make_cases(r, a.scale))
    stdin = ''.join(c[1] + '\n' for c in cases)
    out = subprocess.run([a.driver], input=stdin.encode(), stdout=subprocess.PIPE, check=True).stdout
    answers = out.decode().splitlines()
    if len(answers) != len(cases):
        print('driver answered %d of %d cases' % (len(answers), len(cases)))
        return 1
    counts, bad = {}, {}
    shown = 0
    for (cat, line, want, desc), ans in zip(cases, answers):
        got = parse_answer(ans)
        counts[cat] = counts.get(cat, 0) + 1
        if got != want:
            bad[cat] = bad.get(cat, 0) + 1
            if shown < a.show:
                shown += 1
                print('DIFF %s: %s\n  python: %r\n  nudge:  %r' % (cat, desc, want, got))
    total_bad = sum(bad.values())
    for cat in counts:
        print('  %-13s %6d cases, %d disagree' % (cat, counts[cat], bad.get(cat, 0)))
    print('%d cases, %d disagree (seed %d)' % (len(cases), total_bad, seed))
    return 1 if total_bad else 0


if __name__ == '__main__':
    sys.exit(main())
