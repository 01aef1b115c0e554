#!/usr/bin/env bash
# A student in chapter 3's lesson: a wrong answer, a hint, the right answer,
# progress saved, and the lesson resumed in a new session where it was left.
. "$(dirname "$0")/lib.sh"
export NUDGE_LESSONS="$(cd "$(dirname "$0")/../../lessons" && pwd)"

start "$NUDGE" --lesson 3
wait_for "3.1  A chain of two functions"
wait_for "lesson 3.1>"
pass "lesson 3 opens at its first step with the lesson prompt"

type_keys "x = 2; b1 = 1; b2 = 0.5; w1 = 0.5; w2 = 1.5; z = x*w1 + b1; L = z*w2 + 1" Enter
wait_for "L should be 3.5, but it is 4"
wait_for "Type hint for a hint"
pass "a wrong result says what was expected and what came out"

type_keys "hint" Enter
wait_for "then L = 2·1.5 + 0.5"
pass "hint shows the step's hint"

type_keys "L = z*w2 + b2" Enter
wait_for "✓ z = 2, L = 3.5"
wait_for "3.2  How far off?"
wait_for "lesson 3.2>"
pass "the right answer is confirmed and the next step opens"

type_keys "quit" Enter
wait_for "Left chapter 3 at step 2"
grep -qx "3 1 1" "$XDG_STATE_HOME/nudge/progress" || { echo "FAIL: progress file:"; cat "$XDG_STATE_HOME/nudge/progress"; exit 1; }
type_keys "quit" Enter
for _ in $(seq 100); do pane_dead && break; sleep 0.05; done
pane_dead || { echo "FAIL: quit did not end nudge"; exit 1; }
pass "quit leaves the lesson, and the progress file says step 2 with 1 done"

t kill-server
start "$NUDGE"
wait_for ">>"
type_keys "lessons" Enter
wait_for "1/15"
type_keys "lesson 3" Enter
wait_for "resuming at step 2"
wait_for "lesson 3.2>"
type_keys "L" Enter
wait_for "L = 3.5000"
pass "a new session resumes chapter 3 at step 2, with the earlier step's variables"
echo "all lesson checks passed"
