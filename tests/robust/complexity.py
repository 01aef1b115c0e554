#!/usr/bin/env python3
"""complexity.py NUDGE - no input makes nudge's time grow faster than its size.

For each kind of input nudge reads, an input of size n and one of size 8n
are timed (the best of three runs of the whole program, so the start-up is
in both), and the test fails when the larger takes more than 16 times as
long: a linear cost gives 8, a quadratic one 64.  n is found by doubling
from a small size until the run takes at least MIN_SECONDS, so that the
timings are not noise; a kind whose 8n run is slower than a linear one
could ever be (16 times n's, plus a margin) is stopped and fails.

The kinds: the lines of one vector literal, variables defined, statements
of a script, the steps of a lesson (parsed, and played headless by
--check-lessons), the rows and the columns of a CSV file for load_csv, and
the lines of a progress file.  Each stays under its documented limit at 8n
(a statement 1 MiB, a lesson file 4 MiB, a CSV file 64 MiB).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

MIN_SECONDS = 0.05
RATIO = 16.0
MAX_N = 1 << 22


def main():
    if len(sys.argv) != 2:
        print("usage: complexity.py path/to/nudge", file=sys.stderr)
        return 2
    nudge = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="nudge-complexity.", dir=os.environ.get("TMPDIR"))
    try:
        return run_all(nudge, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(nudge, work):
    env = dict(os.environ, HOME=os.path.join(work, "home"), XDG_STATE_HOME=os.path.join(work, "state"),
               LC_ALL="C.UTF-8", NO_COLOR="1")
    lessons = os.path.join(work, "lessons")
    os.makedirs(lessons)
    os.makedirs(env["HOME"])
    os.makedirs(os.path.join(env["XDG_STATE_HOME"], "nudge"))
    env["NUDGE_LESSONS"] = lessons

    def path(name):
        return os.path.join(work, name)

    def write(name, text):
        with open(path(name), "w") as f:
            f.write(text)
        return path(name)

    # Each kind: (name, limit on n, make(n) -> the command line to time).
    def literal(n):
        return [nudge, write("literal.nd", "x = [\n" + "".join("%d,\n" % (i % 10) for i in range(n)) + "]\n")]

    def variables(n):
        return [nudge, write("variables.nd", "".join("v%d = %d\n" % (i, i) for i in range(n)))]

    def statements(n):
        return [nudge, write("statements.nd", "x = 0\n" + "x = x + 1\n" * n)]

    def lesson_text(n):
        steps = "".join("## Step %d\n\nSet x.\n\n```nudge\nx = %d\n```\n\n```expect\nx = %d\n```\n\n" % (i, i, i)
                        for i in range(n))
        write("lessons/01-generated.md", "# Chapter 1 — Generated\n\nMany steps.\n\n" + steps)

    def lesson_steps(n):
        lesson_text(n)
        return [nudge, "-c", "lessons"], "Generated"

    def lesson_check(n):
        lesson_text(n)
        return [nudge, "--check-lessons"], "%d steps" % n

    def csv_rows(n):
        write("rows.csv", "a,b,c\n" + "".join("%d,%d.5,-%d\n" % (i, i, i) for i in range(n)))
        return [nudge, "-c", 'd = load_csv("%s");' % path("rows.csv")]

    def csv_cols(n):
        row = ",".join("%d.25" % (i % 100) for i in range(n)) + "\n"
        write("cols.csv", row * 4)
        return [nudge, "-c", 'd = load_csv("%s");' % path("cols.csv")]

    def progress(n):
        lesson_text(1)
        lines = "".join("%d %d %d\n" % (i % 9 + 1, i % 7, i % 5) for i in range(n))
        with open(os.path.join(env["XDG_STATE_HOME"], "nudge", "progress"), "w") as f:
            f.write("# nudge lesson progress: chapter, step to resume at, steps done\n" + lines)
        return [nudge, "-c", "lessons"], "Generated"

    # (name, make, the largest n whose 8n stays within the limits)
    kinds = [
        ("lines of a vector literal", literal, (1 << 20) // 8 // 3),
        ("variables defined", variables, MAX_N // 8),
        ("statements of a script", statements, (16 << 20) // 8 // 10),
        ("steps of a lesson (parsed)", lesson_steps, (4 << 20) // 8 // 90),
        ("steps of a lesson (--check-lessons)", lesson_check, (4 << 20) // 8 // 90),
        ("CSV rows", csv_rows, (64 << 20) // 8 // 24),
        ("CSV columns", csv_cols, (64 << 20) // 8 // 24),
        ("progress lines", progress, (1 << 23) // 8 * 2),
    ]
    failures = 0
    for name, make, limit in kinds:
        failures += not measure(name, make, limit, env, work)
    if failures:
        print("%d failure(s)" % failures)
        return 1
    return 0


def timed(made, env, cwd, timeout):
    """The best of three runs, in seconds (None when a run took past timeout,
    failed, or did not print what it must)."""
    cmd, want = made if isinstance(made, tuple) else (made, None)
    best = None
    for _ in range(3):
        t0 = time.monotonic()
        try:
            r = subprocess.run(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, "took more than %.1f s" % timeout
        t = time.monotonic() - t0
        if r.returncode != 0:
            return None, "failed (status %d): %s" % (r.returncode, r.stderr.decode(errors="replace")[-300:])
        if want and want not in r.stdout.decode(errors="replace"):
            return None, "did not print %r: %s" % (want, r.stdout.decode(errors="replace")[-300:])
        best = t if best is None else min(best, t)
    return best, ""


def measure(name, make, limit, env, work):
    n = 64
    while True:
        t, why = timed(make(n), env, work, 60)
        if t is None:
            print("FAIL: %s: n = %d %s" % (name, n, why))
            return False
        if t >= MIN_SECONDS or n >= limit:
            break
        n = min(2 * n, limit)
    if t < MIN_SECONDS:
        print("note: %s: n = %d takes only %.0f ms at the largest size the limits allow" % (name, n, t * 1e3))
    big, why = timed(make(8 * n), env, work, max(RATIO * t * 1.5, 2.0))
    if big is None:
        print("FAIL: %s: 8n = %d %s (n = %d took %.0f ms)" % (name, 8 * n, why, n, t * 1e3))
        return False
    ratio = big / t
    verdict = "ok" if ratio <= RATIO else "FAIL"
    print("%s: %s: n = %d %.0f ms, 8n = %d %.0f ms, ratio %.1f (at most %.0f)"
          % (verdict, name, n, t * 1e3, 8 * n, big * 1e3, ratio, RATIO))
    return ratio <= RATIO


if __name__ == "__main__":
    sys.exit(main())
