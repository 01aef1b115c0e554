#!/usr/bin/env python3
"""concurrency.py NUDGE - two and then eight nudge processes at once on one
state folder (XDG_STATE_HOME): no update lost, no file corrupt.

Progress: each process works through its own chapter of a generated lesson
folder headless (nudge -c "lesson C", then "next" and "back" many times,
each of which saves the progress file under its lock, merged with what the
others saved).  Afterwards every chapter must be at the step its process
ended at, the file must read back (no progress.corrupt), and no temporary
file may be left.  Several rounds, each further on, so that each round's
merge has something to lose.

History: the history file is written only at a terminal (readline), so
each process runs in a pseudo-terminal of its own and types lines there,
all at once; afterwards every line typed must be in the file exactly once,
whole, and nothing else.
"""
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

STEPS = 40              # steps in each generated chapter
ROUNDS = 4
SWINGS = 25             # next/back pairs per process per round (two saves each)
HISTORY_LINES = 60      # lines each process types at its terminal


def main():
    if len(sys.argv) != 2:
        print("usage: concurrency.py path/to/nudge", file=sys.stderr)
        return 2
    nudge = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="nudge-concurrency.", dir=os.environ.get("TMPDIR"))
    try:
        failures = 0
        for procs in (2, 8):
            failures += progress_race(nudge, os.path.join(work, "progress-%d" % procs), procs)
            failures += history_race(nudge, os.path.join(work, "history-%d" % procs), procs)
        if failures:
            print("%d failure(s)" % failures)
            return 1
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def environment(folder):
    home, state, lessons = (os.path.join(folder, d) for d in ("home", "state", "lessons"))
    for d in (home, state, lessons):
        os.makedirs(d)
    return dict(os.environ, HOME=home, XDG_STATE_HOME=state, NUDGE_LESSONS=lessons, LC_ALL="C.UTF-8",
                NO_COLOR="1", TERM="dumb")


def write_lessons(env, chapters):
    for c in range(1, chapters + 1):
        steps = "".join("## Step %d\n\nText.\n\n```nudge\nx = %d\n```\n\n" % (i, i) for i in range(STEPS))
        with open(os.path.join(env["NUDGE_LESSONS"], "%02d-generated.md" % c), "w") as f:
            f.write("# Chapter %d — Generated %d\n\nIntro.\n\n%s" % (c, c, steps))


def read_progress(path):
    """chapter -> (step, done); raises ValueError on a line that is no entry."""
    record = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            chapter, step, done = (int(x) for x in line.split())
            record[chapter] = (step, done)
    return record


def progress_race(nudge, folder, procs):
    env = environment(folder)
    write_lessons(env, procs)
    state = os.path.join(env["XDG_STATE_HOME"], "nudge")
    path = os.path.join(state, "progress")
    failures = 0
    for rnd in range(1, ROUNDS + 1):
        target = rnd * (STEPS // (ROUNDS + 1))
        running = []
        for c in range(1, procs + 1):
            commands = "lesson %d\n" % c + "next\nback\n" * SWINGS + "step %d\n" % (target + 1)
            running.append((c, subprocess.Popen([nudge, "-c", commands], env=env, stdin=subprocess.DEVNULL,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
        for c, p in running:
            _, err = p.communicate(timeout=120)
            if p.returncode != 0 or err.strip():
                print("FAIL: %d processes, round %d: chapter %d ended with status %d: %s"
                      % (procs, rnd, c, p.returncode, err.decode(errors="replace")[-300:]))
                failures += 1
        try:
            record = read_progress(path)
        except (OSError, ValueError) as e:
            print("FAIL: %d processes, round %d: the progress file does not read back: %s" % (procs, rnd, e))
            return failures + 1
        lost = [c for c in range(1, procs + 1) if record.get(c, (0, 0))[0] != target]
        if lost:
            print("FAIL: %d processes, round %d: chapters %s are not at step %d: %s"
                  % (procs, rnd, lost, target, record))
            failures += 1
        left = sorted(n for n in os.listdir(state) if n not in ("progress", "progress.lock"))
        if left:
            print("FAIL: %d processes, round %d: files left beside the progress file: %s" % (procs, rnd, left))
            failures += 1
    if not failures:
        print("ok: %d processes saving progress for %d rounds (%d saves each a round): no update lost, "
              "the file reads back, nothing left beside it" % (procs, ROUNDS, 2 * SWINGS + 2))
    return failures


def history_race(nudge, folder, procs):
    env = environment(folder)
    write_lessons(env, 1)
    sessions = []
    for k in range(procs):
        master, slave = os.openpty()
        p = subprocess.Popen([nudge], env=env, stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                             start_new_session=True)
        os.close(slave)
        lines = ["h%d_%d = %d" % (k, i, i) for i in range(HISTORY_LINES)] + ["quit"]
        sessions.append({"p": p, "fd": master, "lines": lines, "next": 0})
    # Type a line into each terminal in turn, reading what each shows so
    # that none blocks on a full terminal.
    deadline = time.monotonic() + 120
    open_fds = {s["fd"]: s for s in sessions}
    while open_fds and time.monotonic() < deadline:
        for s in sessions:
            if s["next"] < len(s["lines"]) and s["fd"] in open_fds:
                os.write(s["fd"], (s["lines"][s["next"]] + "\r").encode())
                s["next"] += 1
        ready, _, _ = select.select(list(open_fds), [], [], 0.01)
        for fd in ready:
            try:
                if not os.read(fd, 65536):
                    raise OSError
            except OSError:         # EIO: the session has ended
                os.close(fd)
                del open_fds[fd]
    failures = 0
    for s in sessions:
        try:
            s["p"].wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            s["p"].kill()
            s["p"].wait()
            print("FAIL: %d processes: a session at a terminal did not end" % procs)
            failures += 1
    for fd in open_fds:
        os.close(fd)
    path = os.path.join(env["XDG_STATE_HOME"], "nudge", "history")
    try:
        with open(path) as f:
            got = f.read().split("\n")
    except OSError as e:
        print("FAIL: %d processes: no history file: %s" % (procs, e))
        return failures + 1
    if got and got[-1] == "":
        got.pop()
    typed = ["h%d_%d = %d" % (k, i, i) for k in range(procs) for i in range(HISTORY_LINES)]
    missing = [t for t in typed if got.count(t) != 1]
    strange = [g for g in got if g not in typed and g != "quit"]
    if missing or strange or got.count("quit") != procs:
        print("FAIL: %d processes: history has %d lines; %d typed lines not there exactly once (%s), "
              "%d lines nobody typed (%s), %d quits" % (procs, len(got), len(missing), missing[:3], len(strange),
                                                        strange[:3], got.count("quit")))
        failures += 1
    else:
        print("ok: %d processes typing %d lines each at once: every line in the history once and whole"
              % (procs, HISTORY_LINES))
    return failures


if __name__ == "__main__":
    sys.exit(main())
