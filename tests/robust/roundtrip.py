#!/usr/bin/env python3
"""roundtrip.py NUDGE - every state file nudge writes, at its limits, is read
back intact: whatever nudge writes, nudge reads.

  progress    a lesson of 10 002 steps saved at its last step (index 10 001)
              resumes there, and is not taken for a corrupt file; counts as
              large as a size_t holds are kept through another save
  history     2 100 lines typed at a terminal leave the newest 2 000 (its
              limit) in the file, one a line; the next session recalls the
              newest (Ctrl-P), and its own line pushes out the oldest
  workspace   the largest vector `save` writes (one statement just under
              load's 1 MiB limit, found by bisection) loads back bit for
              bit; one value more is refused and the file left as it was
  recording   --record of 1 MiB of output, non-ASCII and escape sequences
              included, is valid asciicast v2 whose events add up to
              exactly what was printed (each newline as the "\r\n" a
              terminal is sent)
"""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

MAX_STATEMENT = 1 << 20        # load's limit on one statement (README: Limits)
HISTORY_MAX = 2000             # src/repl/line.c
SIZE_MAX = (1 << 64) - 1

failures = 0


def ok(what):
    print("ok: " + what)


def fail(what):
    global failures
    failures += 1
    print("FAIL: " + what)


def main():
    if len(sys.argv) != 2:
        print("usage: roundtrip.py path/to/nudge", file=sys.stderr)
        return 2
    nudge = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="nudge-roundtrip.", dir=os.environ.get("TMPDIR"))
    try:
        env = dict(os.environ, HOME=os.path.join(work, "home"), XDG_STATE_HOME=os.path.join(work, "state"),
                   NUDGE_LESSONS=os.path.join(work, "lessons"), LC_ALL="C.UTF-8", NO_COLOR="1", TERM="dumb")
        for d in ("home", "state", "lessons"):
            os.makedirs(os.path.join(work, d))
        progress(nudge, env, work)
        history(nudge, env, work)
        workspace(nudge, env, work)
        recording(nudge, env, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d failure(s)" % failures)
        return 1
    return 0


def run(nudge, env, cwd, *args):
    r = subprocess.run([nudge, *args], env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=300)
    return r.returncode, r.stdout.decode("utf-8", errors="replace")


def progress(nudge, env, work):
    steps = 10002
    with open(os.path.join(env["NUDGE_LESSONS"], "01-long.md"), "w") as f:
        f.write("# Chapter 1 — Long\n\nIntro.\n\n" + "".join("## S%d\n\nText %d.\n\n" % (i, i) for i in range(steps)))
    with open(os.path.join(env["NUDGE_LESSONS"], "02-short.md"), "w") as f:
        f.write("# Chapter 2 — Short\n\nIntro.\n\n## One\n\nText.\n\n## Two\n\nText.\n")
    state = os.path.join(env["XDG_STATE_HOME"], "nudge")
    path = os.path.join(state, "progress")
    status, out = run(nudge, env, work, "-c", "lesson 1\nstep %d" % steps)
    with open(path) as f:
        saved = f.read()
    if status != 0 or "\n1 %d " % (steps - 1) not in saved:
        fail("progress at step %d: status %d, file:\n%s" % (steps, status, saved))
        return
    status, out = run(nudge, env, work, "-c", "lesson 1")
    if status == 0 and "resuming at step %d of %d" % (steps, steps) in out and "corrupt" not in out:
        ok("progress saved at step index %d reads back: the lesson resumes at step %d" % (steps - 1, steps))
    else:
        fail("progress at step %d does not read back (status %d):\n%s" % (steps, status, out[-600:]))
    # Counts as large as a size_t holds, in another chapter, survive a save.
    big = "9 %d %d\n" % (SIZE_MAX, SIZE_MAX)
    with open(path, "a") as f:
        f.write(big)
    status, out = run(nudge, env, work, "-c", "lesson 2\nnext")
    with open(path) as f:
        after = f.read()
    left = sorted(n for n in os.listdir(state) if n not in ("progress", "progress.lock"))
    if status == 0 and big in after and "\n2 1 " in after and "\n1 %d " % (steps - 1) in after and not left:
        ok("progress counts of %d are kept through another save, beside the other chapters" % SIZE_MAX)
    else:
        fail("progress with size_t counts (status %d, left %s):\n%s\n%s" % (status, left, after, out[-400:]))


class Terminal:
    """nudge at a pseudo-terminal of its own."""

    def __init__(self, nudge, env, cwd):
        self.fd, slave = os.openpty()
        self.p = subprocess.Popen([nudge], env=env, cwd=cwd, stdin=slave, stdout=slave, stderr=slave,
                                  close_fds=True, start_new_session=True)
        os.close(slave)
        self.out = b""

    def drain(self, wait=0.0):
        end = time.monotonic() + wait
        while True:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                return
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self.out += data

    def type(self, text):
        os.write(self.fd, text.encode())
        self.drain()

    def wait_for(self, want, timeout=30):
        end = time.monotonic() + timeout
        while want.encode() not in self.out and time.monotonic() < end:
            self.drain(0.05)
        return want.encode() in self.out

    def close(self):
        self.type("\x04")           # Ctrl-D ends the session, as at a shell
        end = time.monotonic() + 60
        while self.p.poll() is None and time.monotonic() < end:
            self.drain(0.05)
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()
        os.close(self.fd)
        return self.p.returncode


def history(nudge, env, work):
    path = os.path.join(env["XDG_STATE_HOME"], "nudge", "history")
    typed = ["h%d = %d" % (i, i) for i in range(HISTORY_MAX + 100)]
    t = Terminal(nudge, env, work)
    for k, line in enumerate(typed):
        t.type(line + "\r")
        if k % 10 == 9 and not t.wait_for("h%d = %d\r\n" % (k, k)):
            break
    t.wait_for("h%d = %d\r\n" % (len(typed) - 1, len(typed) - 1))
    status = t.close()
    try:
        with open(path) as f:
            got = f.read().splitlines()
    except OSError as e:
        fail("history: no file after %d lines (status %d): %s" % (len(typed), status, e))
        return
    if got == typed[-HISTORY_MAX:]:
        ok("history: %d lines typed, the newest %d kept in the file, one a line" % (len(typed), HISTORY_MAX))
    else:
        fail("history: %d lines in the file, expected the newest %d of %d (first %r, last %r)"
             % (len(got), HISTORY_MAX, len(typed), got[:1], got[-1:]))
        return
    # The next session reads it back: Ctrl-P recalls the newest line.
    t = Terminal(nudge, env, work)
    t.wait_for(">> ")
    t.type("\x10\r")
    recalled = t.wait_for(typed[-1] + "\r\n")
    t.type("after = 1\r")
    t.wait_for("after = 1\r\n")
    # Ctrl-D at the next prompt, once the line has run and gone to the file
    end = time.monotonic() + 30
    while not t.out.rstrip().endswith(b">>") and time.monotonic() < end:
        t.drain(0.05)
    status = t.close()
    with open(path) as f:
        got = f.read().splitlines()
    if recalled and got == typed[-HISTORY_MAX + 1:] + ["after = 1"]:
        ok("history: the next session recalls the newest line, and its own line pushes out the oldest")
    else:
        fail("history read back: recalled %s; the file has %d lines, last %r (exit status %s; the session's "
             "last output %r)" % (recalled, len(got), got[-2:], status, t.out[-200:]))


def workspace(nudge, env, work):
    def save(n):
        status, out = run(nudge, env, work, "-c", "seed(1); x = rand(1, %d); save ws.nd" % n)
        return status == 0

    lo, hi = 1, MAX_STATEMENT // 8      # save(lo) works; save(hi) is refused
    if not save(lo) or save(hi):
        fail("workspace: save of 1 or of %d values did not do as expected" % hi)
        return
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if save(mid):
            lo = mid
        else:
            hi = mid
    save(lo)
    with open(os.path.join(work, "ws.nd"), "rb") as f:
        saved = f.read()
    longest = max(len(line) for line in saved.split(b"\n"))
    status, out = run(nudge, env, work, "-c", "load ws.nd\nseed(1); y = rand(1, %d); print(norm(x - y), x.shape)" % lo)
    if status == 0 and out.strip().endswith("0.0 (1, %d)" % lo) and longest > MAX_STATEMENT - 64:
        ok("workspace: the largest vector save writes (%d values, a %d-byte statement of load's %d) "
           "loads back bit for bit" % (lo, longest, MAX_STATEMENT))
    else:
        fail("workspace: %d values (a %d-byte statement) did not load back: status %d: %s"
             % (lo, longest, status, out[-400:]))
    status, out = run(nudge, env, work, "-c", "seed(1); x = rand(1, %d); save ws.nd" % (lo + 1))
    with open(os.path.join(work, "ws.nd"), "rb") as f:
        again = f.read()
    if status == 1 and "save:" in out and again == saved:
        ok("workspace: one value more is refused, and the saved file is left as it was")
    else:
        fail("workspace: %d values: status %d, file %s: %s"
             % (lo + 1, status, "unchanged" if again == saved else "changed", out[-300:]))


def recording(nudge, env, work):
    program = 'for i in range(30000): print(i, "h\\u00e9llo \\u2207 \\x1b[1mbold\\x1b[0m", i * 0.1)'
    status, plain = run(nudge, env, work, "-c", program)
    cast = os.path.join(work, "big.cast")
    status2, recorded = run(nudge, env, work, "--record", cast, "-c", program)
    try:
        with open(cast, encoding="utf-8") as f:
            lines = f.read().splitlines()
        head = json.loads(lines[0])
        events = [json.loads(line) for line in lines[1:]]
        text = "".join(e[2] for e in events if e[1] == "o")
        times = [e[0] for e in events]
        valid = head.get("version") == 2 and times == sorted(times)
    except (OSError, ValueError, IndexError, KeyError) as e:
        fail("recording: %s does not read back: %s" % (cast, e))
        return
    # A recording holds what a terminal is sent: each "\n" as "\r\n".
    if status == 0 and status2 == 0 and valid and text == plain.replace("\n", "\r\n") and recorded == plain \
            and len(plain.encode()) > 1 << 20:
        ok("recording: %d bytes of output in %d events read back exactly" % (len(plain.encode()), len(events)))
    else:
        fail("recording: status %d/%d, valid %s, %d characters recorded of %d printed"
             % (status, status2, valid, len(text), len(plain)))


if __name__ == "__main__":
    sys.exit(main())
