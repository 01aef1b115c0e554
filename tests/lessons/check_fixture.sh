#!/bin/sh
# check_fixture.sh NUDGE - `nudge --check-lessons` fails, with the file and
# line of the check, on a lesson whose check holds before its step runs
# (tests/lessons/cannot-fail), and passes on the shipped lessons.
set -u
nudge=${1:?usage: $0 NUDGE}
here=$(cd "$(dirname "$0")" && pwd)
out=$(NUDGE_LESSONS="$here/cannot-fail" "$nudge" --check-lessons 2>&1)
status=$?
fail() { echo "FAIL: $*"; printf '%s\n' "$out"; exit 1; }
[ "$status" -eq 1 ] || fail "exit status $status, expected 1"
want="$here/cannot-fail/01-cannot-fail.md:25: step 1.2 \"The line through the origin\": the check dot(w, [1, 1]) = 0 already holds before the step's statement runs, so it cannot tell a right answer from none"
printf '%s\n' "$out" | grep -qxF "$want" || fail "no report of the check that cannot fail"
printf '%s\n' "$out" | grep -q "FAILED" || fail "the chapter is not marked as failed"
out=$(NUDGE_LESSONS="$here/../../lessons" "$nudge" --check-lessons 2>&1) || fail "the shipped lessons fail"
echo "ok: --check-lessons fails on a check that cannot fail, and passes the shipped lessons"
