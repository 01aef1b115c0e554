#!/usr/bin/python3
"""grad_cases.py NUDGE [--seed N] [--cases K] - grad against central differences.

Builds K random compositions of the differentiable operations (arithmetic
with broadcasting, @, and every built-in with a gradient rule, nested up
to four deep), each reduced to a single number L, and has nudge compute
both grad(L, v) and numgrad of the same expression as a function of v, for
a variable v it depends on.  The oracle is the central difference; a case
passes when the two agree to 1e-4 relative to the gradient's size (central
differences of steep compositions are good to about 1e-5 of it).

Kinks (abs and relu at 0, max at a tie, clip at a bound) are kept away from
by drawing the variables' values from intervals that avoid them.  Where central differences
at steps 1e-6 and 1e-5 disagree (sin of exp of a cube), or L is so large
that a step of 1e-6 is lost in its rounding, the oracle is not trusted and the case is counted apart.  A fresh
seed each run is printed first; --seed replays one.  Exit status: 0 when
every case agrees, 1 otherwise (the failing cases are printed), 2 when
nudge could not be run.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

# Shapes: 's' a number, 'v' a vector of 3, 'w' a vector of 2, 'M' a 2x3
# matrix, 'N' a 3x2 matrix, 'S' a 2x2 matrix.
VARS = {'s': 'a', 'v': 'u', 'w': 'q', 'M': 'A', 'N': 'B', 'S': 'C'}
MATMUL = {('M', 'v'): 'w', ('M', 'N'): 'S', ('N', 'w'): 'v', ('N', 'M'): 'N3', ('w', 'M'): 'v', ('v', 'N'): 'w',
          ('S', 'S'): 'S', ('S', 'M'): 'M', ('v', 'v'): 's', ('w', 'w'): 's'}
TRANSPOSE = {'M': 'N', 'N': 'M', 'S': 'S', 'v': 'v', 'w': 'w'}

# Element-wise functions and the inputs they want: 'any', or 'pos' (kept
# positive by wrapping the argument: exp(x) or x*x + 0.5).
UNARY = [('exp(%s)', 'any'), ('tanh(%s)', 'any'), ('sigmoid(%s)', 'any'), ('sin(%s)', 'any'),
         ('cos(%s)', 'any'), ('sqrt(%s)', 'pos'), ('log(%s)', 'pos'), ('abs(%s)', 'any'), ('relu(%s)', 'any'),
         ('dsigmoid(%s)', 'any'), ('np.square(%s)', 'any'), ('np.expm1(%s)', 'any'), ('np.log1p(%s)', 'pos'),
         ('np.log2(%s)', 'pos'), ('np.log10(%s)', 'pos'), ('np.tan(%s / 4)', 'any'), ('np.abs(%s)', 'any'),
         ('np.exp(%s)', 'any'), ('np.tanh(%s)', 'any'), ('np.sqrt(%s)', 'pos'), ('%s.astype(float)', 'any'),
         ('np.clip(%s, -0.7, 0.9)', 'any'), ('(-%s)', 'any'), ('np.copy(%s)', 'any')]
BINARY = ['+', '-', '*', '/', 'max', 'min', 'power']


def positive(e):
    return '(%s * %s + 0.5)' % (e, e)


class Gen:
    def __init__(self, rng):
        self.r = rng

    def leaf(self, shape):
        if shape in VARS and self.r.random() < 0.8:
            return VARS[shape]
        consts = {'s': '1.3', 'v': '[0.4, -1.1, 0.8]', 'w': '[0.6, -0.3]', 'M': '[[0.5, 1.0, -0.6], [1.2, -0.4, 0.3]]',
                  'N': '[[0.5, 1.0], [-0.6, 1.2], [-0.4, 0.3]]', 'S': '[[1.1, -0.2], [0.3, 0.9]]'}
        if shape not in consts:
            return VARS.get(shape, 'a')
        return consts[shape] if shape == 's' else 'np.array(%s)' % consts[shape]

    def expr(self, shape, depth):
        """An expression of the given shape."""
        r = self.r
        if depth <= 0 or r.random() < 0.15:
            return self.leaf(shape)
        k = r.random()
        if k < 0.35:
            f, want = r.choice(UNARY)
            while shape == 's' and 'astype' in f:
                f, want = r.choice(UNARY)     # numpy's scalars are Python floats here
            inner = self.expr(shape, depth - 1)
            return f % (positive(inner) if want == 'pos' else inner)
        if k < 0.65:
            op = r.choice(BINARY)
            a = self.expr(shape, depth - 1)
            b = self.expr('s' if r.random() < 0.3 else shape, depth - 1)
            if op == '/':
                return '(%s / %s)' % (a, positive(b))
            if op == 'power':
                return 'np.power(%s, %s)' % (positive(a), r.choice(['1.5', '2.0', '0.5', '3.0']))
            if op == 'max':
                return 'np.maximum(%s, %s)' % (a, b)
            if op == 'min':
                return 'np.minimum(%s, %s)' % (a, b)
            if op == '-' and a == b:
                op = '+'    # x - x is exactly 0: std and norm of it have no derivative
            return '(%s %s %s)' % (a, op, b)
        if k < 0.85:
            # a product that gives this shape
            pairs = [p for p, out in MATMUL.items() if out == shape]
            if pairs:
                x, y = r.choice(pairs)
                how = r.choice(['@', 'np.dot', 'dotm', 'np.matmul'])
                a, b = self.expr(x, depth - 1), self.expr(y, depth - 1)
                if how == '@':
                    return '(%s @ %s)' % (a, b)
                if how == 'dotm':
                    return '(%s).dot(%s)' % (a, b)
                if how == 'np.matmul' and shape == 's':
                    how = 'np.dot'
                return '%s(%s, %s)' % (how, a, b)
        if shape in TRANSPOSE and r.random() < 0.5:
            src = TRANSPOSE[shape]
            return r.choice(['(%s).T', 'np.transpose(%s)']) % self.expr(src, depth - 1)
        if shape == 's':
            src = r.choice(['v', 'M', 'N', 'w'])
            forms = ['np.sum(%s)', 'np.mean(%s)', 'np.max(%s)', 'np.min(%s)', 'mean(%s)', '(%s).sum()', 'np.var(%s)',
                     'np.std(%s)', 'norm(%s)']
            if src in ('v', 'w'):
                forms.append('sum(%s)')     # Python's sum of a matrix walks its rows: a vector
            f = r.choice(forms)
            return f % self.expr(src, depth - 1)
        if shape in ('v', 'w'):
            src, axis = ('M', 0) if shape == 'v' else ('M', 1)
            f = r.choice(['np.sum(%s, axis=%d)', 'np.mean(%s, axis=%d)', 'np.max(%s, axis=%d)', 'np.min(%s, axis=%d)',
                          '(%s).sum(axis=%d)', 'np.var(%s, axis=%d)'])
            return f % (self.expr(src, depth - 1), axis)
        return self.leaf(shape)

    def case(self):
        """(L's expression, the variable to differentiate by)."""
        while True:
            shape = self.r.choice(['s', 'v', 'w', 'M', 'N', 'S'])
            e = self.expr(shape, self.r.randint(1, 4))
            if shape != 's':
                e = 'np.sum(%s)' % e
            present = [v for v in VARS.values() if v in tokens(e)]
            if present:
                return e, self.r.choice(present)


def tokens(e):
    word, out = '', set()
    for ch in e + ' ':
        if ch.isalnum() or ch == '_':
            word += ch
        else:
            if word:
                out.add(word)
            word = ''
    return out


def values(rng):
    """Values away from kinks: |x| >= 0.2, and no two alike."""
    def one():
        x = rng.uniform(0.2, 1.4)
        return round(x if rng.random() < 0.5 else -x, 6)
    return {
        'a': one(),
        'u': [one() for _ in range(3)],
        'q': [one() for _ in range(2)],
        'A': [[one() for _ in range(3)] for _ in range(2)],
        'B': [[one() for _ in range(2)] for _ in range(3)],
        'C': [[one() for _ in range(2)] for _ in range(2)],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('nudge')
    ap.add_argument('--seed', type=int, default=None)
    ap.add_argument('--cases', type=int, default=2000)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2 ** 32)
    print('grad_cases: seed %d (replay with --seed %d), %d cases' % (seed, seed, args.cases))
    rng = random.Random(seed)
    gen = Gen(rng)
    lines = ['import numpy as np']
    cases = []
    for i in range(args.cases):
        vals = values(rng)
        e, v = gen.case()
        cases.append((e, v))
        setup = '; '.join('%s = np.array(%r)' % (k, x) if isinstance(x, list) else '%s = %r' % (k, x)
                          for k, x in vals.items())
        lines.append(setup + '; L = None; g = None; n = None; n2 = None')
        lines.append('L = %s' % e)
        lines.append('g = grad(L, %s)' % v)
        lines.append('n = numgrad(lambda %s: %s, %s)' % (v, e, v))
        lines.append('n2 = numgrad(lambda %s: %s, %s, h=1e-5)' % (v, e, v))
        lines.append('print(%d, float(np.max(np.abs(np.array(g) - np.array(n)))), float(np.max(np.abs(np.array(n)))), '
                     'float(np.max(np.abs(np.array(n2) - np.array(n)))), abs(float(L)))' % i)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'grad_cases.py')
        with open(path, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        run = subprocess.run([args.nudge, '-k', path], capture_output=True, text=True, timeout=600)
    results = {}
    for line in run.stdout.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0].isdigit():
            results[int(parts[0])] = tuple(float(x) for x in parts[1:])
    bad = skipped = 0
    for i, (e, v) in enumerate(cases):
        if i not in results:
            bad += 1
            if bad <= 10:
                print('FAIL case %d: nudge gave no result for grad(L, %s), L = %s' % (i, v, e))
            continue
        d, m, spread, size = results[i]
        if m != m or m in (float('inf'), float('-inf')):
            skipped += 1    # the function overflowed (exp of exp of ...): no derivative to compare
            continue
        if m < 1e-6 and ('np.std(' in e or 'norm(' in e) and not d <= 1e-4:
            skipped += 1    # the spread of equal values (max or relu cut them alike): no derivative there
            continue
        if not spread <= 1e-4 * max(1.0, m) or size * 2.3e-16 / 1e-6 > 1e-5 * max(1.0, m):
            # central differences at two steps disagree, or L is so large that a step of 1e-6 is lost in
            # its rounding: the oracle itself is unreliable here
            skipped += 1
            continue
        if not d <= 1e-4 * max(1.0, m):
            bad += 1
            if bad <= 10:
                print('FAIL case %d: grad and central differences differ by %g (gradient size %g) for grad(L, %s), '
                      'L = %s' % (i, d, m, v, e))
    if bad and run.stderr:
        print('nudge said:\n' + '\n'.join(run.stderr.splitlines()[:20]))
    print('grad_cases: %d of %d compositions agree with central differences (%d overflowed or had no derivative and were not compared)'
          % (len(cases) - bad - skipped, len(cases) - skipped, skipped))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
