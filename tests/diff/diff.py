#!/usr/bin/python3
"""The differential suite: random numpy programs run by nudge and by numpy.

    tests/diff/diff.py --nudge build/nudge            # a fresh seed, 10 000 cases
    tests/diff/diff.py --nudge build/nudge --seed 42  # replay one run
    tests/diff/diff.py --nudge build/nudge --cases 20000 --show 50

Each run draws a seed (printed first), generates well-typed cases from it in
families (operators with broadcasting, reductions with every axis, indexing
and slicing, index assignment, numpy's functions, products, np.random, and
nudge's own functions against numpy formulas), writes them as one Python
program and runs it with `nudge -k`, then runs every case again in this
process with numpy and compares what each gave: both raise or both succeed;
the same kind of value, shape and dtype; and the same numbers, bit for bit
(the sign of zero included) where the operation is exactly specified, within
1e-12 relative for transcendental functions, and within the rounding a
product's summation order allows where numpy hands the product to BLAS.

`print` is not compared: values are written with repr() of each element.

A disagreement that a documented nudge convention explains is counted under
that convention and does not fail the run (see CONVENTIONS below and
`help numpy` in nudge).  Exit status: 0 all agree, 1 disagreements, 2 usage,
77 numpy is missing.
"""
import argparse
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import warnings

try:
    import numpy as np
except ImportError:
    print("diff: numpy is not installed for %s; the differential suite is skipped" % sys.executable)
    sys.exit(77)

# Why a case may disagree on purpose (each is in nudge's help and README).
CONVENTIONS = {
    "pyscalar": "numpy's scalar results are Python numbers in nudge, so arithmetic on two of them follows "
                "Python's rules (ZeroDivisionError, 64-bit int limits, no complex powers)",
    "eqshape": "== and != of arrays that do not broadcast raise (numpy 1.24 gives False with a DeprecationWarning; "
               "numpy 1.25 raises too)",
    "ndim3": "nudge's arrays have at most 2 dimensions: what would make a third is refused",
    "int8": "nudge has no int8: bool // % ** << >> bool and np.square of bools give int64 (numpy: int8, the same "
            "values)",
    "layout": "nudge keeps every array in row (C) order; numpy keeps a transpose, and what is computed from one, "
              "in column order and sums it in that order, so such a sum can differ in the last bit",
}

# --- values --------------------------------------------------------------------

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-300, -1e-310, 5e-324, 1e300, -1e308,
           1.7976931348623157e308, math.nan, math.inf, -math.inf]


def flit(x):
    """A float as source text both sides read the same."""
    if math.isnan(x):
        return "np.nan"
    if math.isinf(x):
        return "np.inf" if x > 0 else "-np.inf"
    return repr(x)


class Gen:
    def __init__(self, rng):
        self.r = rng

    # one element of a dtype; exact: small dyadic values only (products and
    # sums of them are exact in any order)
    def elem(self, dtype, exact=False, special=True):
        r = self.r
        if dtype == "bool":
            return r.random() < 0.5
        if dtype == "int64":
            if r.random() < 0.05 and not exact:
                return r.choice([1000, -12345, 65536, 99991])
            return r.randint(-5, 5)
        if exact:
            return r.choice([0.0, -0.0, 1.0, -1.0, 0.5, -1.5, 2.0, 3.0, -4.0, 0.25])
        u = r.random()
        if special and u < 0.25:
            return r.choice(SPECIAL)
        if u < 0.5:
            return float(r.randint(-6, 6)) / r.choice([1, 2, 4])
        return r.gauss(0, 1) * 10 ** r.randint(-3, 3)

    def lit(self, dtype, v):
        if dtype == "bool":
            return "True" if v else "False"
        if dtype == "int64":
            return str(v)
        return flit(v)

    def shape(self, cls=None, big=False):
        r = self.r
        n = r.randint(1, 4)
        m = r.randint(1, 4)
        if big and r.random() < 0.5:
            n = r.choice([7, 8, 9, 15, 16, 17, 63, 64, 65, 127, 128, 129, 130, 257, 300, 1000, 1025])
        cls = cls or r.choice(["1d", "row", "col", "mat", "mat"])
        if cls == "1d":
            return (n,)
        if cls == "row":
            return (1, n)
        if cls == "col":
            return (n, 1)
        if big and r.random() < 0.5:
            return (r.randint(1, 3), n) if r.random() < 0.5 else (n, r.randint(1, 3))
        return (m, n)

    def dtype(self, weights=(0.6, 0.25, 0.15)):
        u = self.r.random()
        return "float64" if u < weights[0] else "int64" if u < weights[0] + weights[1] else "bool"

    def array(self, shape, dtype, exact=False, special=True, explicit=None):
        """Source text of an array literal of that shape and dtype."""
        if len(shape) == 1:
            body = "[" + ", ".join(self.lit(dtype, self.elem(dtype, exact, special)) for _ in range(shape[0])) + "]"
        else:
            body = "[" + ", ".join("[" + ", ".join(self.lit(dtype, self.elem(dtype, exact, special))
                                                  for _ in range(shape[1])) + "]" for _ in range(shape[0])) + "]"
        if explicit is None:
            explicit = self.r.random() < 0.85
        if explicit or dtype == "float64" and "." not in body and "np." not in body:
            return "np.array(%s, dtype=np.%s)" % (body, dtype if dtype != "bool" else "bool_")
        return "np.array(%s)" % body

    def scalar(self, dtype, exact=False, special=True):
        v = self.elem(dtype, exact, special)
        s = self.lit(dtype, v)
        return "(%s)" % s if s.startswith("-") else s


def bshape(g, a):
    """A shape that broadcasts with a (mostly), or a random one."""
    r = g.r
    if r.random() < 0.1:
        return g.shape()
    if len(a) == 1:
        n = a[0]
        return r.choice([(n,), (1,), (r.randint(1, 3), n), (1, n), (n, 1) if n > 1 else (1, 1), (r.randint(1, 3), 1)])
    m, n = a
    return r.choice([(m, n), (n,), (1,), (1, n), (m, 1), (1, 1), (r.randint(1, 3), 1) if n == 1 else (m, n)])


# --- families of cases ------------------------------------------------------------
#
# Each case: code (one line of statements ending in the expression to
# compare), cmp ("exact", "tol" or "blas:<numpy expression of the absolute
# tolerance>") and tags (conventions the case may meet).

class Case:
    __slots__ = ("id", "family", "setup", "expr", "cmp", "tags")

    def __init__(self, family, setup, expr, cmp="exact", tags=()):
        self.family = family
        self.setup = setup
        self.expr = expr
        self.cmp = cmp
        self.tags = tuple(tags)


BINOPS = ["+", "-", "*", "/", "//", "%", "**", "<", "<=", ">", ">=", "==", "!=", "&", "|", "^"]


def operand(g, shape, dtype, exact=False):
    if shape == ():
        return g.scalar(dtype, exact)
    return g.array(shape, dtype, exact)


def fam_binop(g):
    r = g.r
    sa = g.shape()
    sb = bshape(g, sa)
    if r.random() < 0.2:
        sa, sb = sb, sa
    if r.random() < 0.15:
        sb = ()
        if r.random() < 0.5:
            sa, sb = sb, sa
    op = r.choice(BINOPS)
    da, db = g.dtype(), g.dtype()
    if op in ("&", "|", "^"):
        da = r.choice(["int64", "bool"])
        db = r.choice(["int64", "bool"])
    a = operand(g, sa, da)
    b = operand(g, sb, db)
    if op == "**":
        if "float64" in (da, db) or ("int64" in (da, db) and r.random() < 0.5):
            # floats: numpy's pow is not glibc's (last bits)
            cmp = "tol" if "float64" in (da, db) else "exact"
        else:
            cmp = "exact"
        if "float64" not in (da, db):
            # small ints: numpy's int64 wraps past 2**63, nudge's ints are exact to 2**53
            a = operand(g, sa, da).replace("99991", "3").replace("12345", "2").replace("65536", "4").replace("1000", "5")
            b = g.array(sb, db, special=False).replace("-", "") if sb != () else str(g.r.randint(0, 5))
            b = b.replace("99991", "3").replace("12345", "2").replace("65536", "4").replace("1000", "5")
        return Case("binop", "a = %s; b = %s" % (a, b), "a ** b", cmp)
    if r.random() < 0.1 and sb != () and len(sb) == 1 and db != "bool":
        # a list on one side reads as np.asarray
        b = "[" + ", ".join(g.lit(db, g.elem(db)) for _ in range(sb[0])) + "]"
    return Case("binop", "a = %s; b = %s" % (a, b), "a %s b" % op)


def fam_unary(g):
    r = g.r
    s = g.shape() if r.random() < 0.85 else ()
    d = g.dtype()
    a = operand(g, s, d)
    exact_fns = ["-a", "+a", "~a", "abs(a)", "np.abs(a)", "np.sqrt(a)", "np.floor(a)", "np.ceil(a)", "np.square(a)",
                 "np.sign(a)", "np.round(a)", "np.round(a, 1)", "np.round(a, -1)", "np.around(a, 2)", "a.round(1)",
                 # numpy's shortcuts for these powers are exact (square, sqrt, reciprocal, ...)
                 "a ** 2", "a ** 2.0", "a ** 0.5", "a ** -1.0", "a ** 0.0", "a ** 1.0", "a ** True"]
    tol_fns = ["np.exp(a)", "np.log(a)", "np.tanh(a)", "np.sin(a)", "np.cos(a)", "np.log10(a)", "np.log2(a)",
               "np.log1p(a)", "np.expm1(a)", "np.tan(a)", "np.power(a, 0.5)", "np.power(a, 2.0)", "np.power(a, 3)",
               "pow(a, 2)"]
    if d == "bool":
        # numpy computes float functions of bools in float16, nudge in float64
        exact_fns = ["-a", "~a", "np.abs(a)", "abs(a)", "a ** 2", "a ** 2.0"]
        tol_fns = []
    if s == ():
        exact_fns = [f for f in exact_fns if f not in ("~a", "a.round(1)", "-a", "+a", "abs(a)") and "**" not in f]
    if tol_fns and r.random() < 0.35:
        return Case("unary", "a = %s" % a, r.choice(tol_fns), "tol")
    f = r.choice(exact_fns)
    if d != "float64" and "**" in f and not f.endswith(("** 2", "** 2.0")):
        # numpy's shortcuts are for float arrays: an int array takes pow
        return Case("unary", "a = %s" % a, f, "tol")
    return Case("unary", "a = %s" % a, f)


REDUCERS = ["sum", "mean", "max", "min", "argmax", "argmin"]
METHOD_ONLY = ["std", "var", "any", "all"]


def fam_reduce(g):
    r = g.r
    u = r.random()
    scalar_in = u < 0.05
    s = () if scalar_in else g.shape(big=True)
    d = g.dtype((0.7, 0.2, 0.1))
    special = r.random() < 0.5
    a = g.scalar(d) if scalar_in else g.array(s, d, special=special)
    fn = r.choice(REDUCERS + METHOD_ONLY)
    args = []
    nd = len(s)
    ax = r.choice([None, "omit", 0, -1] + ([1, -2] if nd == 2 else []) + [r.choice([1, -2, 2, -3, (0, 1), (0,)])]
                  * (r.random() < 0.25))
    if ax != "omit":
        args.append("axis=%s" % (ax,))
    if fn not in ("argmax", "argmin") and r.random() < 0.3:
        args.append("keepdims=%s" % r.choice(["True", "False"]))
    if fn in ("std", "var") and r.random() < 0.3:
        args.append("ddof=1")
    style = "method" if fn in METHOD_ONLY or (not scalar_in and r.random() < 0.4) else "np"
    if scalar_in and fn in METHOD_ONLY:
        fn = r.choice(REDUCERS)
        style = "np"
    if style == "np":
        expr = "np.%s(a%s)" % (fn, "".join(", " + x for x in args))
    else:
        expr = "a.%s(%s)" % (fn, ", ".join(args))
    return Case("reduce", "a = %s" % a, expr)


def index_part(g, n, allow_array=True):
    r = g.r
    u = r.random()
    if u < 0.35:
        # in range, now and then just out of it
        return str(r.randint(-n, n - 1) if r.random() < 0.9 else r.choice([-n - 1, n]))
    if u < 0.8 or not allow_array:
        parts = []
        for _ in range(3):
            parts.append("" if r.random() < 0.4 else str(r.randint(-n - 1, n + 1)))
        if parts[2] == "0" or r.random() < 0.3:
            parts[2] = r.choice(["", "-1", "2", "-2", "3"])
        if r.random() < 0.5:
            return "%s:%s" % (parts[0], parts[1])
        return "%s:%s:%s" % tuple(parts)
    if u < 0.9:
        k = r.randint(0, 3)
        return "[" + ", ".join(str(r.randint(-n, n - 1)) for _ in range(k)) + "]" if k else "[0]"
    return "np.array([" + ", ".join(r.choice(["True", "False"]) for _ in range(n)) + "])"


def fam_index(g):
    r = g.r
    s = g.shape()
    d = g.dtype()
    a = g.array(s, d)
    if len(s) == 1:
        u = r.random()
        if u < 0.8:
            idx = index_part(g, s[0])
        elif u < 0.9:
            idx = r.choice(["None", ":, None", "None, :", "...", "a > 0"])
        else:
            idx = "%s, %s" % (index_part(g, s[0], False), index_part(g, s[0], False))
    else:
        u = r.random()
        if u < 0.25:
            idx = index_part(g, s[0])
        elif u < 0.85:
            idx = "%s, %s" % (index_part(g, s[0], r.random() < 0.5), index_part(g, s[1], r.random() < 0.5))
        else:
            idx = r.choice(["a > 0", "...", ":, 0", "-1, :", "None"])
    return Case("index", "a = %s" % a, "a[%s]" % idx)


def fam_setitem(g):
    r = g.r
    s = g.shape()
    d = g.dtype()
    a = g.array(s, d, special=False)
    if len(s) == 1:
        idx = index_part(g, s[0]) if r.random() < 0.85 else "a > 0"
    else:
        u = r.random()
        if u < 0.2:
            idx = index_part(g, s[0])
        elif u < 0.9:
            idx = "%s, %s" % (index_part(g, s[0], r.random() < 0.3), index_part(g, s[1], r.random() < 0.3))
        else:
            idx = "a > 0"
    u = r.random()
    vd = g.dtype()
    if vd == "float64" and d != "float64" and r.random() < 0.8:
        vd = d      # numpy casts floats into int arrays unsafely; nudge refuses NaN there
    # the selection's shape, as numpy sees it, so that most values fit it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ns = {"np": np}
            exec("a = " + a, ns)
            sel = eval("a[%s]" % idx, ns).shape
    except Exception:
        sel = None
    if u < 0.3:
        v = g.scalar(vd, special=False)
    else:
        if sel is not None and r.random() < 0.7:
            fits = [sel, sel[-1:] if sel else (1,), (1,) + sel if len(sel) == 1 else sel, (1,)]
            if len(sel) == 2:
                fits += [(1, sel[1]), (sel[0], 1)]
            vs = r.choice([x for x in fits if 0 < len(x) <= 2 and all(x)] or [(1,)])
        else:
            vs = g.shape() if r.random() < 0.5 else bshape(g, s)
        v = g.array(vs, vd, special=False)
        if r.random() < 0.15 and d != "bool":
            # a list (numpy stores a list's truth into one bool element: not nudge)
            v = v[v.index("(") + 1:v.rindex("]") + 1] if "dtype" in v else v[9:-1]
    return Case("setitem", "a = %s; a[%s] = %s" % (a, idx, v), "a")


def fam_funcs(g):
    r = g.r
    s = g.shape()
    d = g.dtype()
    a = g.array(s, d)
    sb = bshape(g, s)
    b = g.array(sb, g.dtype())
    c = g.array(bshape(g, s), "bool")
    k = r.randint(1, 4)
    n = r.randint(0, 4)
    choices = [
        ("np.maximum(a, b)", "a = %s; b = %s" % (a, b)),
        ("np.minimum(a, b)", "a = %s; b = %s" % (a, b)),
        ("np.maximum(a, %s)" % g.scalar(g.dtype()), "a = %s" % a),
        ("np.minimum(%s, a)" % g.scalar(g.dtype()), "a = %s" % a),
        ("np.where(c, a, b)", "a = %s; b = %s; c = %s" % (a, b, c)),
        ("np.where(a > 0, a, 0)", "a = %s" % a),
        ("np.where(a)", "a = %s" % a),
        ("np.clip(a, %s, %s)" % (g.scalar(g.dtype()), g.scalar(g.dtype())), "a = %s" % a),
        ("np.clip(a, None, %s)" % g.scalar(g.dtype()), "a = %s" % a),
        ("a.clip(%s, %s)" % (g.scalar(d), g.scalar(d)), "a = %s" % a),
        ("np.allclose(a, b)", "a = %s; b = %s" % (a, b)),
        ("np.allclose(a, a + 1e-9)", "a = %s" % a),
        ("np.outer(a, b)", "a = %s; b = %s" % (a, b)),
        ("np.diag(a)", "a = %s" % a),
        ("np.diag(a, %d)" % r.randint(-2, 2), "a = %s" % a),
        ("np.transpose(a)", "a = %s" % a),
        ("a.T", "a = %s" % a),
        ("a.transpose()", "a = %s" % a),
        ("np.reshape(a, %s)" % r.choice(["-1", "(-1, 1)", "(1, -1)", "(%d, -1)" % k, str(k), "(%d, %d)" % (k, n)]),
         "a = %s" % a),
        ("a.reshape(%s)" % r.choice(["-1", "-1, 1", "(1, -1)", "%d, -1" % k, str(k)]), "a = %s" % a),
        ("np.concatenate((a, b))", "a = %s; b = %s" % (a, b)),
        ("np.concatenate([a, b], axis=%s)" % r.choice(["0", "1", "-1", "None"]), "a = %s; b = %s" % (a, b)),
        ("np.hstack((a, b))", "a = %s; b = %s" % (a, b)),
        ("np.vstack((a, b))", "a = %s; b = %s" % (a, b)),
        ("np.vstack([a, a])", "a = %s" % a),
        ("np.zeros(%s)" % r.choice([str(n), "(%d, %d)" % (k, n), "(%d,)" % n]), ""),
        ("np.ones(%s, dtype=%s)" % (r.choice([str(n), "(%d, %d)" % (k, n)]), r.choice(["int", "float", "bool", "np.int64"])), ""),
        ("np.zeros((%d, %d), dtype=int)" % (k, n), ""),
        ("np.eye(%d)" % n, ""),
        ("np.eye(%d, %d)" % (n, k), ""),
        ("np.eye(%d, k=%d)" % (k, r.randint(-2, 2)), ""),
        ("np.eye(%d, dtype=int)" % k, ""),
        ("np.arange(%s)" % r.choice([str(n), "%d, %d" % (-k, n), "%d, %d, %d" % (n, -k, -1), "0.5, %d" % n,
                                    "0, 1, 0.1", "1, 0, -0.3", "0.1, 1.1, 0.2", "-1.5, 2", "%d, %d, 2" % (k, 9)]), ""),
        ("np.arange(%d, dtype=float)" % n, ""),
        ("np.linspace(%s)" % r.choice(["0, 1", "0, 1, %d" % n, "-1, 1, 5", "2, 3, num=4", "0, 1, 7, endpoint=False",
                                      "1, -1, 3", "0.1, 0.7, 6"]), ""),
        ("np.array(a)", "a = %s" % a),
        ("np.array(a, dtype=%s)" % r.choice(["float", "int", "bool", "np.float64", "np.int64"]), "a = %s" % a),
        ("np.asarray(a)", "a = %s" % a),
        ("np.asarray(a, dtype=float)", "a = %s" % a),
        ("a.astype(%s)" % r.choice(["float", "int", "bool", "np.float64"]), "a = %s" % g.array(s, d, special=False)),
        ("a.flatten()", "a = %s" % a),
        ("a.ravel()", "a = %s" % a),
        ("a.copy()", "a = %s" % a),
        ("a.tolist()", "a = %s" % a),
        ("a.item()", "a = %s" % g.array((1,) if r.random() < 0.5 else (1, 1), d)),
        ("a.item(%d)" % r.randint(-3, 3), "a = %s" % a),
        ("a.shape", "a = %s" % a),
        ("a.ndim", "a = %s" % a),
        ("a.size", "a = %s" % a),
        ("str(a.dtype)", "a = %s" % a),
        ("len(a)", "a = %s" % a),
        ("a.any()", "a = %s" % a),
        ("a.all(axis=%d)" % r.randint(-1, 1), "a = %s" % a),
        ("np.sum(a.T, axis=0)", "a = %s" % a),
        ("a[::-1]", "a = %s" % a),
        ("np.round(a, %d)" % r.randint(-2, 3), "a = %s" % a),
    ]
    expr, setup = r.choice(choices)
    if d == "bool" and expr.startswith(("np.round", "a.round")):
        setup = setup.replace("bool_", "float64").replace("True", "1.0").replace("False", "0.0")
    return Case("funcs", setup, expr)


def fam_products(g):
    r = g.r
    exact = r.random() < 0.7
    u = r.random()
    k = r.randint(1, 4) if r.random() < 0.8 else r.randint(5, 40)
    m, n = r.randint(1, 4), r.randint(1, 4)
    shapes = [((k,), (k,)), ((m, k), (k, n)), ((m, k), (k,)), ((k,), (k, n)), ((1, k), (k,)), ((k, 1), (1, n)),
              ((m, k), (k, 1)), ((1, k), (k, 1)), ((k,), (k, 1))]
    sa, sb = r.choice(shapes)
    if r.random() < 0.1:
        sb = g.shape()
    da = g.dtype((0.7, 0.2, 0.1))
    db = g.dtype((0.7, 0.2, 0.1))
    a = g.array(sa, da, exact=exact)
    b = g.array(sb, db, exact=exact)
    forms = ["np.dot(a, b)", "a.dot(b)", "a @ b", "np.matmul(a, b)", "np.outer(a, b)"]
    if u < 0.1:
        expr = r.choice(["np.dot(a, %s)" % g.scalar("float64", exact), "np.dot(%s, a)" % g.scalar("int64"),
                         "np.outer(%s, a)" % g.scalar("float64", exact)])
        b = a
    elif u < 0.3 and len(sa) <= 2:
        pats = {((k,), (k,)): ["i,i->", "i,j->ij", "i,i->i"], ((m, k), (k, n)): ["ij,jk->ik", "ij,jk->ki", "ij,jk->"],
                ((m, k), (k,)): ["ij,j->i", "ij,j->ij"], ((k,), (k, n)): ["i,ij->j"]}
        pat = r.choice(pats.get((sa, sb), ["ij->ji" if len(sa) == 2 else "i->"]))
        if pat.count(",") == 0:
            expr = "np.einsum('%s', a)" % pat
        else:
            expr = "np.einsum('%s', a, b)" % pat
        if len(sa) == 2 and r.random() < 0.2:
            expr = r.choice(["np.einsum('ij->ji', a)", "np.einsum('ij->i', a)", "np.einsum('ii->i', a)",
                             "np.einsum('ij,ij->ij', a, a)"])
    else:
        expr = r.choice(forms)
    # numpy gives products to OpenBLAS, whose order (and fused
    # multiply-adds) are its own: with general values allow their rounding.
    cmp = "exact" if exact else "blas"
    return Case("products", "a = %s; b = %s" % (a, b), expr, cmp)


def fam_random(g):
    r = g.r
    seed = r.randint(0, 2 ** 32 - 1) if r.random() < 0.5 else r.randint(0, 100)
    n = r.randint(1, 6)
    calls = [
        "np.random.random()", "np.random.random(%d)" % n, "np.random.random((%d, %d))" % (n, r.randint(1, 3)),
        "np.random.rand()", "np.random.rand(%d)" % n, "np.random.rand(%d, %d)" % (n, r.randint(1, 3)),
        "np.random.randn()", "np.random.randn(%d)" % n, "np.random.randn(%d, %d)" % (n, r.randint(1, 3)),
        "np.random.randint(%d)" % r.randint(1, 1000), "np.random.randint(%d, %d)" % (-n, n),
        "np.random.randint(%d, size=%d)" % (r.randint(1, 10 ** 6), n),
        "np.random.randint(0, %d, (%d, %d))" % (r.randint(1, 5), n, 2),
        "np.random.uniform()", "np.random.uniform(%d, %d, %d)" % (-n, n, n),
        "np.random.uniform(size=(%d, 2))" % n, "np.random.normal()", "np.random.normal(%d, 0.5, %d)" % (n, n),
        "np.random.normal(size=(2, %d))" % n, "np.random.normal(loc=1.5, scale=2)",
        "np.random.choice(%d)" % n, "np.random.choice(%d, %d)" % (n + 2, n),
        "np.random.choice(%d, %d, replace=False)" % (n + 2, n), "np.random.choice([1.5, 2.5, 7.0], size=(2, 2))",
        "np.random.choice(5, 3, p=[0.1, 0.2, 0.3, 0.4, 0.0])",
        "np.random.permutation(%d)" % n, "np.random.permutation(np.arange(%d) * 2)" % n,
        "np.random.permutation(np.array([[1, 2], [3, 4], [5, 6]]))",
    ]
    first = r.choice(calls)
    second = r.choice(calls)
    if r.random() < 0.2:
        setup = "np.random.seed(%d); x = np.arange(%d); np.random.shuffle(x); y = %s" % (seed, n + 1, first)
        return Case("random", setup, "(x, y)")
    if r.random() < 0.1:
        setup = "np.random.seed(%d); x = [1, 2, 3, 4, 5]; np.random.shuffle(x)" % seed
        return Case("random", setup, "x")
    if r.random() < 0.1:
        setup = "np.random.seed(%d); x = np.array([[1.0, 2], [3, 4], [5, 6]]); np.random.shuffle(x)" % seed
        return Case("random", setup, "x")
    return Case("random", "np.random.seed(%d); x = %s" % (seed, first), "(x, %s)" % second)


def fam_nudge(g):
    """nudge's own functions against the numpy formulas they stand for."""
    r = g.r
    s = g.shape() if r.random() < 0.9 else ()
    a = operand(g, s, "float64")
    b = operand(g, bshape(g, s) if s else g.shape(), "float64")
    pairs = [
        ("relu(a)", "np.maximum(0.0, a)", "exact"),
        ("sigmoid(a)", "1 / (1 + np.exp(-a))", "tol"),
        ("softmax(a)", "np.exp(a - np.max(a, axis=-1, keepdims=True)) / np.sum(np.exp(a - np.max(a, axis=-1, "
                       "keepdims=True)), axis=-1, keepdims=True)" if s else "np.exp(a - a) / np.exp(a - a)", "tol"),
        ("dot(a, b)", "np.dot(a, b)", "blas"),
        ("outer(a, b)", "np.outer(a, b)", "exact"),
        ("sum(a, axis=%s)" % r.choice(["0", "1", "-1", "None"]), None, "exact"),
        ("mean(a, axis=%s)" % r.choice(["0", "1", "-1", "None"]), None, "exact"),
        ("max(a, axis=%s)" % r.choice(["0", "1", "-1"]), None, "exact"),
        ("min(a, axis=%s)" % r.choice(["0", "1", "-1"]), None, "exact"),
        ("argmax(a)", "np.argmax(a)", "exact"),
        ("argmax(a, axis=%s)" % r.choice(["0", "1", "-1"]), None, "exact"),
        ("transpose(a)", "np.transpose(a)", "exact"),
        ("sqrt(a)", "np.sqrt(a)", "exact"),
        ("exp(a)", "np.exp(a)", "tol"),
        ("log(a)", "np.log(a)", "tol"),
        ("tanh(a)", "np.tanh(a)", "tol"),
        ("norm(b)", "np.linalg.norm(b)", "tol"),
        ("mse(a, a * 0.5)", "0.5 * np.sum((np.float64(0.5) * a - a) ** 2)", "tol"),
        ("step(a)", "np.where(a > 0, 1.0, 0.0)", "exact"),
        ("dsigmoid(a)", "(1 / (1 + np.exp(-a))) * (1 - 1 / (1 + np.exp(-a)))", "tol"),
    ]
    nud, ref, cmp = r.choice(pairs)
    if ref is None:
        m = re.match(r"(\w+)\(a, axis=(\S+)\)", nud)
        fn, ax = m.group(1), m.group(2)
        ref = "np.%s(a, axis=%s)" % (fn, ax)
    return Case("nudge", "a = %s; b = %s" % (a, b), nud, cmp, tags=("ref:" + ref,))


def fam_compound(g):
    """Two or three exact operations in a row."""
    r = g.r
    s = g.shape()
    d = g.dtype((0.8, 0.2, 0.0))
    a = g.array(s, d, special=r.random() < 0.3)
    b = g.array(bshape(g, s), d, special=r.random() < 0.3)
    leaf = ["a", "b", "a.T", "a[::-1]", "a[0]", "np.abs(a)", "np.sum(a, axis=0)", "np.max(b, axis=-1, keepdims=True)",
            "np.mean(a, axis=0, keepdims=True)", "a.reshape(-1)", "np.maximum(a, 0)", "np.where(b > 0, b, 1)",
            g.scalar(d, special=False)]
    ops = ["+", "-", "*", "/", "<", ">=", "=="]
    x = r.choice(leaf)
    tags = ()
    for _ in range(r.randint(1, 3)):
        y = r.choice(leaf)
        op = r.choice(ops)
        x = "(%s %s %s)" % (x, op, y)
    if r.random() < 0.3:
        x = "np.%s(%s%s)" % (r.choice(["sum", "max", "mean", "argmax"]), x,
                             r.choice(["", ", axis=0", ", axis=-1", ", axis=1"]))
    if re.search(r"np\.(sum|max|mean|argmax)\(a[,)]|a\[0\]", x):
        tags = ("pyscalar",)
    return Case("compound", "a = %s; b = %s" % (a, b), x, tags=tags)


def fam_inplace(g):
    """a op= b changes a in place, keeping its dtype."""
    r = g.r
    s = g.shape()
    d = g.dtype()
    a = g.array(s, d)
    sb = bshape(g, s) if r.random() < 0.8 else ()
    db = g.dtype()
    b = operand(g, sb, db)
    op = r.choice(["+=", "-=", "*=", "/=", "//=", "%=", "**="])
    if op == "**=":
        if "float64" not in (d, db):
            a = re.sub(r"\b(99991|12345|65536|1000)\b", "2", a)
            b = re.sub(r"\b(99991|12345|65536|1000)\b", "3", b).replace("-", "")
        return Case("inplace", "a = %s; a **= %s" % (a, b), "a", "tol" if "float64" in (d, db) else "exact")
    return Case("inplace", "a = %s; a %s %s" % (a, op, b), "a")


def fam_python(g):
    """Python's own functions and statements over arrays."""
    r = g.r
    s = g.shape(r.choice(["1d", "1d", "mat", "row", "col"]), big=r.random() < 0.2)
    d = g.dtype()
    a = g.array(s, d, special=r.random() < 0.3)
    exprs = ["sum(a)", "max(a)", "min(a)", "abs(a)", "len(a)", "list(a)", "sorted(a)", "any(a)", "all(a)",
             "[x * 2 for x in a]", "sum(a, 10)", "float(a[0])" if len(s) == 1 else "float(a[0, 0])",
             "a[0] in a", "bool(a[-1] > 0)" if len(s) == 1 else "a.shape[0] * a.shape[1]",
             "tuple(a.shape)", "round(float(a.flat_sum))" if False else "int(np.sum(a) > 0)"]
    e = r.choice(exprs)
    if e == "sorted(a)":
        # with a NaN, the order depends on the sorting algorithm (CPython's timsort)
        a = g.array(s, d, special=False)
    tags = ("pyscalar",) if e in ("sum(a)", "sum(a, 10)") else ()
    return Case("python", "a = %s" % a, e, tags=tags)


def fam_consts(g):
    """numpy's constants and np.newaxis."""
    r = g.r
    s = g.shape("1d") if r.random() < 0.6 else g.shape()
    a = g.array(s, "float64")
    exprs = ["np.pi * a", "a / np.e", "a < np.inf", "a > -np.inf", "a == np.nan", "np.isnan(a + np.nan)",
             "np.pi", "np.e", "np.inf", "np.nan", "np.newaxis is None"]
    if len(s) == 1:
        exprs += ["a[:, np.newaxis]", "a[np.newaxis, :]", "a[np.newaxis]", "a[:, np.newaxis] * a",
                  "a[np.newaxis, :].T", "a[:, None] - a[None, :]"]
    return Case("consts", "a = %s" % a, r.choice(exprs))


def fam_large(g):
    """Reductions of long arrays, drawn by np.random on both sides: numpy
    sums them pairwise in buffers of 8192 values, and max and min decide
    between equal zeros buffer by buffer."""
    r = g.r
    n = r.choice([8191, 8192, 8193, 16385, 20000, 40001])
    shape = r.choice(["(%d,)" % n, "(3, %d)" % (n // 3), "(%d, 1)" % n, "(%d, 2)" % (n // 2)])
    seed = r.randint(0, 1000)
    fill = r.choice(["np.random.randn(*%s) * 1e3" % shape,
                     "np.where(np.random.rand(*%s) < 0.5, -0.0, 0.0)" % shape,
                     "np.random.randint(-9, 9, %s)" % shape])
    fn = r.choice(["np.sum", "np.mean", "np.max", "np.min", "np.argmax", "np.var", "np.std"])
    ax = r.choice(["", ", axis=0", ", axis=1", ", axis=-1"])
    return Case("large", "np.random.seed(%d); a = %s" % (seed, fill), "%s(a%s)" % (fn, ax))


FAMILIES = [(fam_binop, 24), (fam_unary, 9), (fam_reduce, 17), (fam_index, 9), (fam_setitem, 8), (fam_inplace, 4),
            (fam_funcs, 12), (fam_products, 7), (fam_random, 4), (fam_nudge, 6), (fam_compound, 8), (fam_python, 4),
            (fam_consts, 2), (fam_large, 1)]


def generate(seed, count):
    rng = random.Random(seed)
    g = Gen(rng)
    fams = [f for f, w in FAMILIES for _ in range(w)]
    cases = []
    for i in range(count):
        c = rng.choice(fams)(g)
        c.id = i
        cases.append(c)
    return cases


# --- running ------------------------------------------------------------------------

NUDGE_PRELUDE = '''import numpy as np
def _s(v):
    if isinstance(v, np.ndarray):
        return "A:" + str(v.dtype) + ":" + ",".join([str(d) for d in v.shape]) + ":" + ",".join([repr(x) for x in v.ravel().tolist()])
    if isinstance(v, bool):
        return "b:" + repr(v)
    if isinstance(v, int):
        return "i:" + repr(v)
    if isinstance(v, float):
        return "f:" + repr(v)
    if isinstance(v, tuple):
        return "(" + ";".join([_s(x) for x in v]) + ")"
    if isinstance(v, list):
        return "[" + ";".join([_s(x) for x in v]) + "]"
    if v is None:
        return "N:"
    if isinstance(v, str):
        return "s:" + v
    return "?:" + str(type(v))
def _p(i, v):
    print("R" + str(i) + " " + _s(v))
'''


def case_line(c):
    call = "_p(%d, %s)" % (c.id, c.expr)
    return c.setup + "; " + call if c.setup else call


def run_nudge(nudge, cases, tmpdir, timeout):
    path = os.path.join(tmpdir, "cases.py")
    first = NUDGE_PRELUDE.count("\n") + 1
    with open(path, "w") as f:
        f.write(NUDGE_PRELUDE)
        for c in cases:
            f.write(case_line(c) + "\n")
    t0 = time.time()
    p = subprocess.run([nudge, "-k", path], capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, LC_ALL="C.UTF-8", NO_COLOR="1"))
    elapsed = time.time() - t0
    if p.returncode not in (0, 1):
        raise RuntimeError("nudge ended with status %d (a crash?); stderr ends:\n%s"
                           % (p.returncode, p.stderr[-2000:]))
    if cases and "\nR" not in "\n" + p.stdout:
        raise RuntimeError("nudge ran none of the cases; its first errors:\n%s" % p.stderr[:2000])
    results, errors = {}, {}
    for line in p.stdout.splitlines():
        m = re.match(r"R(\d+) (.*)$", line)
        if m:
            results[int(m.group(1))] = m.group(2)
    for line in p.stderr.splitlines():
        m = re.match(r".*?:(\d+):\d+: error: (.*)$", line)
        if m:
            k = int(m.group(1)) - first
            if 0 <= k < len(cases):
                errors.setdefault(cases[k].id, m.group(2))
    return results, errors, elapsed


def enc(v):
    if isinstance(v, np.ndarray):
        if v.ndim == 0:
            return enc(v[()])
        return "A:%s:%s:%s" % (v.dtype, ",".join(str(d) for d in v.shape),
                               ",".join(repr(x) for x in v.ravel().tolist()))
    if isinstance(v, (bool, np.bool_)):
        return "b:" + repr(bool(v))
    if isinstance(v, (int, np.integer)):
        return "i:" + repr(int(v))
    if isinstance(v, (float, np.floating)):
        return "f:" + repr(float(v))
    if isinstance(v, tuple):
        return "(" + ";".join(enc(x) for x in v) + ")"
    if isinstance(v, list):
        return "[" + ";".join(enc(x) for x in v) + "]"
    if v is None:
        return "N:"
    if isinstance(v, str):
        return "s:" + v
    return "?:" + str(type(v))


BLAS_SCALE = 2.0 ** -44     # generous for sums of up to 40 products


def run_numpy(cases):
    results, errors, tols = {}, {}, {}
    np.seterr(all="ignore")
    t0 = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for c in cases:
            ref = [t[4:] for t in c.tags if t.startswith("ref:")]
            expr = ref[0] if ref else c.expr
            ns = {"np": np}
            try:
                if c.setup:
                    exec(c.setup, ns)
                v = eval(expr, ns)
                results[c.id] = enc(v)
            except Exception as ex:   # numpy raised: nudge must too
                errors[c.id] = "%s: %s" % (type(ex).__name__, ex)
                continue
            if c.cmp == "blas":
                try:
                    for k in ("a", "b"):
                        if isinstance(ns.get(k), np.ndarray):
                            ns[k] = np.abs(ns[k]).astype(float)
                    m = np.abs(np.asarray(eval(expr, ns), dtype=float))
                    tols[c.id] = m * BLAS_SCALE
                except Exception:
                    tols[c.id] = None
    return results, errors, tols, time.time() - t0


# --- comparing ------------------------------------------------------------------------

def parse(s):
    """An encoded value as a tree: ('A', dtype, shape, items) or (kind, value)."""
    pos = 0

    def value():
        nonlocal pos
        ch = s[pos]
        if ch in "([":
            close = ")" if ch == "(" else "]"
            pos += 1
            items = []
            if s[pos] == close:
                pos += 1
                return ("T" if ch == "(" else "L", items)
            while True:
                items.append(value())
                if s[pos] == close:
                    pos += 1
                    return ("T" if ch == "(" else "L", items)
                pos += 1        # ';'
        m = re.compile(r"([A-Za-z?]):").match(s, pos)
        kind = m.group(1)
        pos = m.end()
        end = pos
        while end < len(s) and s[end] not in ";)]":
            end += 1
        body = s[pos:end]
        pos = end
        if kind == "A":
            dt, shape, items = body.split(":", 2)
            shape = tuple(int(x) for x in shape.split(",") if x)
            raw = items.split(",") if items else []
            if dt == "bool":
                vals = [x == "True" for x in raw]
            elif dt == "int64":
                vals = [int(x) for x in raw]
            else:
                vals = [float(x) for x in raw]
            return ("A", dt, shape, vals)
        if kind == "b":
            return ("b", body == "True")
        if kind == "i":
            return ("i", int(body))
        if kind == "f":
            return ("f", float(body))
        return (kind, body)

    v = value()
    return v


def same_float(x, y, mode, tol=None):
    if isinstance(x, bool) or isinstance(y, bool) or isinstance(x, int) and isinstance(y, int):
        return x == y
    x, y = float(x), float(y)
    if mode == "blas" and (tol is None or not math.isfinite(tol)):
        # a sum of magnitudes that overflows (or meets inf * 0): the order
        # of the sum decides between inf, -inf and NaN
        return tol is not None or x == y or (math.isnan(x) and math.isnan(y))
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if mode == "exact":
        return x == y and math.copysign(1, x) == math.copysign(1, y)
    if x == y:
        return True
    if math.isinf(x) or math.isinf(y):
        return False
    if mode == "tol":
        return abs(x - y) <= 1e-12 * max(abs(x), abs(y))
    # products: within the rounding any order of the sum allows
    return abs(x - y) <= tol


def compare(a, b, mode, loose_dtype, tol=None):
    """None when nudge's a agrees with numpy's b, else the reason."""
    if loose_dtype:
        # nudge's functions give floats: compare as numbers
        if a[0] in "bif" and b[0] in "bif":
            return None if same_float(float(a[1]), float(b[1]), mode, tol if tol is None else float(tol)) \
                else "value %r, numpy %r" % (a[1], b[1])
    if a[0] != b[0]:
        return "a %s, numpy gives a %s" % (KIND[a[0]], KIND.get(b[0], b[0]))
    if a[0] in "TL":
        if len(a[1]) != len(b[1]):
            return "%d items, numpy %d" % (len(a[1]), len(b[1]))
        for i, (x, y) in enumerate(zip(a[1], b[1])):
            r = compare(x, y, mode, loose_dtype, tol)
            if r:
                return "item %d: %s" % (i, r)
        return None
    if a[0] == "A":
        if a[2] != b[2]:
            return "shape %s, numpy %s" % (a[2], b[2])
        if a[1] != b[1] and not loose_dtype:
            return "dtype %s, numpy %s" % (a[1], b[1])
        flat_tol = None
        if tol is not None:
            flat_tol = np.broadcast_to(tol, b[2]).ravel() if np.ndim(tol) else [float(tol)] * len(b[3])
        for i, (x, y) in enumerate(zip(a[3], b[3])):
            if not same_float(x, y, mode, None if flat_tol is None else float(flat_tol[i])):
                return "element %d: %r, numpy %r" % (i, x, y)
        return None
    if a[0] == "f":
        return None if same_float(a[1], b[1], mode, None if tol is None else float(tol)) \
            else "%r, numpy %r" % (a[1], b[1])
    return None if a[1] == b[1] else "%r, numpy %r" % (a[1], b[1])


KIND = {"A": "array", "b": "bool", "i": "int", "f": "float", "T": "tuple", "L": "list", "N": "None", "s": "string",
        "?": "other"}

PYSCALAR_ERRORS = re.compile(r"division by zero|modulo by zero|64-bit|fractional power|cannot be raised|too large "
                             r"for a float")
PYSCALAR_NUMPY_ERRORS = re.compile(r"Integers to negative integer powers")


def ndim_of(enc_value):
    m = re.match(r"A:[^:]*:([0-9,]*):", enc_value or "")
    return len(m.group(1).split(",")) if m else 0


def layout_only(c, nres, pres):
    """Whether a case sums something computed from a transpose and differs
    only in rounding (numpy sums it in column order)."""
    code = case_line(c)
    if not (re.search(r"\.T\b|transpose", code) and re.search(r"sum|mean|var|std", code)):
        return False
    try:
        return compare(parse(nres), parse(pres), "tol", c.family == "nudge") is None
    except Exception:
        return False


def convention(c, nres, nerr, pres, perr):
    """The documented convention that explains a disagreement, or None."""
    if "pyscalar" in c.tags:
        if nerr and not perr and PYSCALAR_ERRORS.search(nerr):
            return "pyscalar"
        if perr and not nerr and PYSCALAR_NUMPY_ERRORS.search(perr):
            return "pyscalar"
    if nerr and re.match(r"(==|!=): shapes .* do not broadcast", nerr):
        return "eqshape"
    if nerr and "at most 2 dimensions" in nerr and (pres and ndim_of(pres) > 2):
        return "ndim3"
    if nres and pres and nres.replace("A:int64:", "A:int8:") == pres:
        return "int8"
    if nres and pres and layout_only(c, nres, pres):
        return "layout"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nudge", required=True, help="the nudge program to test")
    ap.add_argument("--seed", type=int, help="replay the run with this seed")
    ap.add_argument("--cases", type=int, default=10000, help="how many cases (default 10000)")
    ap.add_argument("--show", type=int, default=20, help="disagreements to show in full")
    ap.add_argument("--family", help="only cases of this family")
    ap.add_argument("--keep", action="store_true", help="keep the generated program")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print("diff: seed %d (replay with --seed %d), %d cases" % (seed, seed, args.cases), flush=True)
    cases = generate(seed, args.cases)
    if args.family:
        cases = [c for c in cases if c.family == args.family]
    tmpdir = tempfile.mkdtemp(prefix="nudge-diff-", dir=os.environ.get("TMPDIR"))
    try:
        nres, nerr, nt = run_nudge(args.nudge, cases, tmpdir, args.timeout)
    finally:
        if args.keep:
            print("diff: the program is %s" % os.path.join(tmpdir, "cases.py"))
        else:
            for f in os.listdir(tmpdir):
                os.unlink(os.path.join(tmpdir, f))
            os.rmdir(tmpdir)
    pres, perr, tols, pt = run_numpy(cases)
    stats = {}
    bad = []
    conv = {}
    for c in cases:
        st = stats.setdefault(c.family, [0, 0, 0, 0])     # cases, both raised, disagreements, conventions
        st[0] += 1
        n_ok, p_ok = c.id in nres, c.id in pres
        why = None
        if not n_ok and not p_ok:
            st[1] += 1
            continue
        if n_ok and not p_ok:
            why = "nudge gives %s; numpy raises %s" % (nres[c.id][:80], perr.get(c.id))
        elif p_ok and not n_ok:
            why = "nudge raises %s; numpy gives %s" % (nerr.get(c.id, "(no message: did it crash?)"), pres[c.id][:80])
        else:
            loose = c.family == "nudge"
            try:
                r = compare(parse(nres[c.id]), parse(pres[c.id]), "blas" if c.cmp == "blas" else c.cmp, loose,
                            tols.get(c.id) if c.cmp == "blas" else None)
            except Exception as ex:
                r = "cannot compare (%s): %s" % (type(ex).__name__, ex)
            if r:
                why = r
        if why:
            k = convention(c, nres.get(c.id), nerr.get(c.id), pres.get(c.id), perr.get(c.id))
            if k:
                st[3] += 1
                conv[k] = conv.get(k, 0) + 1
                continue
            st[2] += 1
            bad.append((c, why))
    total = sum(s[0] for s in stats.values())
    print("diff: nudge %.1f s, numpy %.1f s" % (nt, pt))
    print("%-10s %7s %7s %9s %11s" % ("family", "cases", "raised", "disagree", "convention"))
    for fam in sorted(stats):
        s = stats[fam]
        print("%-10s %7d %7d %9d %11d" % (fam, s[0], s[1], s[2], s[3]))
    print("%-10s %7d %7d %9d %11d" % ("all", total, sum(s[1] for s in stats.values()), len(bad),
                                      sum(conv.values())))
    for k, n in sorted(conv.items()):
        print("convention %s (%d): %s" % (k, n, CONVENTIONS[k]))
    for c, why in bad[:args.show]:
        print("--- case %d (%s, %s)\n    %s\n    %s" % (c.id, c.family, c.cmp, case_line(c), why))
    if bad:
        print("diff: %d disagreement%s with seed %d" % (len(bad), "" if len(bad) == 1 else "s", seed))
        return 1
    print("diff: all %d cases agree (seed %d)" % (total, seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
