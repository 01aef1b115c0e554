#!/usr/bin/env bash
# A student in chapter 3's lesson, in a real terminal: a wrong answer, a
# hint, the right answer, an unrelated statement that does not pass the next
# step, a slip that reset takes back, progress saved, and the lesson resumed
# in a new session where it was left.  Then a narrow terminal: the tutor's
# text and an error's caret never wrap mid-word or lose their column.
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
wait_for "hint 1 of 2:"
wait_for "L uses z, not x."
type_keys "hint" Enter
wait_for "then L = 2·1.5 + 0.5"
pass "hint shows the step's hints one at a time, the first without the answer"

type_keys "L = z*w2 + b2" Enter
wait_for "✓ z = 2, L = 3.5"
wait_for "3.2  How far off?"
wait_for "lesson 3.2>"
pass "the right answer is confirmed and the next step opens"

type_keys "1 + 1" Enter
wait_for "ans = 2"
sleep 0.3
screen | grep -q "lesson 3.3>" && { echo "FAIL: 1 + 1 passed step 3.2"; screen; exit 1; }
pass "an unrelated statement runs and the step waits"

type_keys "target = 5; E = (L - target)**2" Enter
wait_for "E should be 1.125, but it is 2.250"
wait_for "the square without the ½ in front"
type_keys "reset" Enter
wait_for "back as they were when step 3.2 began"
type_keys "target = 5; E = 0.5*(L - target)**2" Enter
wait_for "✓ E = 1.125"
wait_for "lesson 3.3>"
pass "a slip gets its mistake's message, and reset takes it back"

type_keys "quit" Enter
wait_for "Left chapter 3 at step 3"
grep -qx "3 2 2" "$XDG_STATE_HOME/nudge/progress" || { echo "FAIL: progress file:"; cat "$XDG_STATE_HOME/nudge/progress"; exit 1; }
type_keys "quit" Enter
for _ in $(seq 100); do pane_dead && break; sleep 0.05; done
pane_dead || { echo "FAIL: quit did not end nudge"; exit 1; }
pass "quit leaves the lesson, and the progress file says step 3 with 2 done"

t kill-server
for _ in $(seq 100); do t has-session 2>/dev/null || break; sleep 0.05; done
sleep 0.2
start "$NUDGE"
wait_for ">>"
type_keys "lessons" Enter
wait_for "2/16"
type_keys "lesson 3" Enter
wait_for "resuming at step 3"
wait_for "lesson 3.3>"
# Step 3.3 is a question: L typed as an answer shows L's value.
type_keys "L" Enter
wait_for "Not quite: 3.5 is not the answer."
pass "a new session resumes chapter 3 at step 3, with the earlier steps' variables"

t kill-server
# The server may take a moment to go; a new session must not race it.
for _ in $(seq 100); do t has-session 2>/dev/null || break; sleep 0.05; done
sleep 0.2
COLS=44 ROWS=40 start "$NUDGE" --lesson 4
wait_for "lesson 4.1>"
type_keys "step 9" Enter
wait_for "lesson 4.9>"
type_keys "back = W3 @ d3 + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]" Enter
wait_for "Nothing changed."
# No line of the pane is cut mid-word: every line of the tutor's message
# ends at a word, and the caret sits under the '@' of the statement.
out=$(screen)
caret=$(printf '%s\n' "$out" | grep -n '^ *\^$' | tail -1 | cut -d: -f1)
[ -n "$caret" ] || { echo "FAIL: no caret line"; printf '%s\n' "$out"; exit 1; }
src=$(printf '%s\n' "$out" | sed -n "$((caret - 1))p")
col=$(printf '%s\n' "$out" | sed -n "${caret}p" | awk '{ print index($0, "^") }')
ch=$(printf '%s' "$src" | cut -c"$col")
[ "$ch" = "@" ] || { echo "FAIL: the caret points at '$ch', not '@'"; printf '%s\n' "$out"; exit 1; }
printf '%s\n' "$out" | grep -q "The shapes do not fit together:" || { echo "FAIL: no explanation"; printf '%s\n' "$out"; exit 1; }
pass "in a 44-column terminal the caret stays under its column"
echo "all lesson checks passed"
