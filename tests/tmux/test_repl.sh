#!/usr/bin/env bash
# The interactive prompt as a student uses it: completion, continuation
# lines, history kept across sessions, and Ctrl-C on a line and on training.
. "$(dirname "$0")/lib.sh"

start "$NUDGE"
wait_for ">>"

type_keys "a = [3, -1," Enter
wait_for ".."
type_keys "2]" Enter
wait_for "   3  -1   2"
pass "an open bracket asks for a continuation line"

type_keys "net = mlp(3, 4, 1, seed=1);" Enter
type_keys "net.W" Tab Tab
wait_for "net.W1  net.W2"
type_keys "2[1, 0]" Enter
wait_for "ans = 0.8781"
pass "net. completes to the net's fields"

type_keys "sigm" Tab
type_keys "(0)" Enter
wait_for "ans = 0.5000"
pass "a function name completes without a trailing space"

type_keys "dot([1, 2" C-c
wait_for "^C"
type_keys "1 + 1" Enter
wait_for "ans = 2"
pass "Ctrl-C abandons a half-typed line"

type_keys "x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]];" Enter
type_keys "train(net, x, y, epochs=1000000000)" Enter
sleep 0.5
type_keys "" C-c
wait_for "stopped by Ctrl-C after"
type_keys "W = net.W2; W[0, 0] != 0.20445224973151743" Enter
wait_for "ans = 1"
pass "Ctrl-C stops training, keeps the trained weights and returns to the prompt"

type_keys "6 * 7" Enter
wait_for "ans = 42"
type_keys "" Up
wait_for ">> 6 * 7"
type_keys "" C-u
pass "Up recalls the previous line"
type_keys "quit" Enter
for _ in $(seq 100); do pane_dead && break; sleep 0.05; done
pane_dead || { echo "FAIL: quit did not end nudge"; exit 1; }
grep -qxF "a = [3, -1," "$XDG_STATE_HOME/nudge/history" || { echo "FAIL: history file lacks the first line"; cat "$XDG_STATE_HOME/nudge/history"; exit 1; }
pass "quit ends the session and the history file holds what was typed"

t kill-server
start "$NUDGE"
wait_for ">>"
type_keys "" Up
wait_for ">> quit"
pass "a new session starts with the previous session's history"
echo "all interactive checks passed"
