"""Running nudge on a script and reading back the numbers it saved."""
import math
import os
import re
import subprocess
import sys
import tempfile


def literal(x):
    """A nudge literal that reads back as exactly x (a number or nested lists)."""
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in x) + "]"
    return repr(float(x))


def matrix(a):
    return literal([[float(v) for v in row] for row in a])


def run(nudge, statements, drop):
    """Runs the statements, clears the variables named in drop (models and
    records, which a workspace file does not hold as numbers), saves the
    rest and returns them as a dict of floats and nested lists of floats,
    with what nudge printed."""
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as d:
        out = os.path.join(d, "out.nd")
        script = os.path.join(d, "run.nd")
        with open(script, "w") as f:
            f.write(statements)
            f.write("\n")
            for name in drop:
                f.write("clear %s\n" % name)
            f.write('save "%s"\n' % out)
        p = subprocess.run([nudge, script], capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
        if p.returncode != 0:
            sys.stderr.write(statements + "\n" + p.stdout + p.stderr)
            raise RuntimeError("nudge failed (status %d)" % p.returncode)
        values = {}
        with open(out) as f:
            for line in f:
                m = re.match(r"^(\w+) = (.*);$", line.strip())
                if m:
                    text = re.sub(r"\binf\b", "1e999", m.group(2)).replace("nan", "None")
                    values[m.group(1)] = eval(text, {"None": math.nan})  # numbers and lists only
        return values, p.stdout


def flat(x):
    if isinstance(x, (list, tuple)):
        for v in x:
            yield from flat(v)
    elif hasattr(x, "ravel"):
        for v in x.ravel():
            yield float(v)
    else:
        yield float(x)


def rel_diff(got, want):
    """The largest |got - want| / max(|got|, |want|) over the elements
    (0 where both are equal, NaN counting equal to NaN); inf on a shape
    mismatch."""
    g, w = list(flat(got)), list(flat(want))
    if len(g) != len(w):
        return math.inf
    worst = 0.0
    for a, b in zip(g, w):
        if a == b or (math.isnan(a) and math.isnan(b)):
            continue
        scale = max(abs(a), abs(b))
        worst = max(worst, abs(a - b) / scale if scale > 0 else math.inf)
    return worst
