#!/usr/bin/env bash
# The live view in a real terminal, as a student uses it: `watch train(...)`
# opens the dashboard, the epoch counter advances, space pauses it, n and →
# step once, a resize redraws, q returns to a working prompt with the net
# trained, Ctrl-C stops it, and SIGTERM leaves the terminal as it found it.
. "$(dirname "$0")/lib.sh"

epoch() {   # the epoch counter on the status line
    screen | head -1 | grep -o 'epoch *[0-9]*' | grep -o '[0-9]*$'
}

wait_epoch() {  # wait_epoch N: waits up to 5 s for the counter to read N
    for _ in $(seq 100); do
        [ "$(epoch)" = "$1" ] && return 0
        sleep 0.05
    done
    echo "FAIL: the epoch counter reads '$(epoch)', expected $1"
    screen
    exit 1
}

fail() { echo "FAIL: $*"; echo "---- screen ----"; screen; echo "----------------"; exit 1; }

tty_modes() { stty -g < "$(t display-message -p -t main '#{pane_tty}')"; }

# nudge runs under a shell that shows the terminal's modes after it exits.
COLS=100 ROWS=30 start bash --norc --noprofile -c "'$NUDGE'; stty -a > '$WORK/stty'; exec sleep 600"
wait_for ">>"
type_keys "x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]]; net = mlp(3, 4, 1, seed=1)" Enter
wait_for "net = "
type_keys "" C-l
sleep 0.2
modes_before=$(tty_modes)

type_keys "watch train(net, x, y, epochs=1000, lr=1)" Enter
wait_for "running"
wait_for "output over (x1, x2)"
wait_for "predictions:"
e1=$(epoch)
sleep 0.6
e2=$(epoch)
[ "$e2" -gt "$e1" ] || fail "the epoch counter did not advance ($e1, then $e2)"
pass "watch opens the dashboard and the epoch counter advances ($e1 → $e2)"

type_keys " "
wait_for "paused"
sleep 0.2
e1=$(epoch)
sleep 0.6
e2=$(epoch)
[ "$e1" = "$e2" ] || fail "the counter moved while paused ($e1, then $e2)"
pass "space pauses: the counter stays at $e1"

type_keys "n"
wait_epoch $((e1 + 1))
type_keys "" Right
wait_epoch $((e1 + 2))
sleep 0.3
[ "$(epoch)" = $((e1 + 2)) ] || fail "a step ran more than one epoch"
pass "n and → each step exactly one epoch"

t resize-window -t main -x 120 -y 36
for _ in $(seq 100); do
    [ "$(screen | wc -l)" = 36 ] && screen | tail -1 | grep -q "q quit" && break
    sleep 0.05
done
screen | tail -1 | grep -q "q quit" || fail "no key help on the last line after growing the window"
[ "$(screen | head -1 | wc -L)" -gt 100 ] || fail "the status line was not redrawn across the wider window"
t resize-window -t main -x 50 -y 12
wait_for "terminal too small"
t resize-window -t main -x 100 -y 30
wait_for "output over (x1, x2)"
screen | tail -1 | grep -q "q quit" || fail "the layout did not come back at 100x30"
pass "a resize redraws (and a small window says it is too small)"

type_keys " "
wait_for "running"
type_keys "q"
wait_for "stopped after"
wait_for ">>"
pass "q leaves the view and prints where training stopped"
sleep 0.2
[ "$(tty_modes)" = "$modes_before" ] || fail "the terminal modes changed: $modes_before, now $(tty_modes)"
pass "the terminal modes at the prompt are as before the view"

type_keys "" C-l
type_keys "W = net.W2; W[0, 0] != 0.20445224973151743" Enter
wait_for "ans = 1"
type_keys "plot loss" Enter
wait_for "loss over"
pass "the net's weights changed and plot loss shows the run"

type_keys "" C-l
type_keys "X = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; p = perceptron(3)" Enter
type_keys "watch train(p, X, [0, 0, 0, 1], epochs=50, speed=20)" Enter
wait_for "w·x over (x1, x2)"
wait_for "converged"
wait_for "any key"
type_keys "x"
wait_for "converged after 6 epochs (10 updates)"
wait_for "w = [0.2, 0.1, -0.2]"
pass "a perceptron on AND converges in the view, and any key returns"

type_keys "" C-l
type_keys "watch train(net, x, y, epochs=100000)" Enter
wait_for "running"
sleep 0.3
type_keys "" C-c
wait_for "stopped by Ctrl-C after"
wait_for ">>"
type_keys "watch 1 + 1" Enter
wait_for "trains nothing"
pass "Ctrl-C stops the view; watch refuses a statement that trains nothing"

type_keys "quit" Enter
for _ in $(seq 100); do [ -s "$WORK/stty" ] && break; sleep 0.05; done
[ -s "$WORK/stty" ] || fail "quit after using the view did not end nudge"
pass "quit ends nudge after the view (and a coverage build writes its counts)"

# A second session, to be ended by a signal with the view open.
t kill-server
rm -f "$WORK/stty"
COLS=100 ROWS=30 start bash --norc --noprofile -c "'$NUDGE'; stty -a > '$WORK/stty'; exec sleep 600"
wait_for ">>"
type_keys "x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]]; net = mlp(3, 4, 1, seed=1)" Enter
wait_for "net = "
type_keys "watch train(net, x, y, epochs=100000)" Enter
wait_for "running"
shell_pid=$(t display-message -p -t main '#{pane_pid}')
nudge_pid=$(pgrep -P "$shell_pid" | head -1)
[ -n "$nudge_pid" ] || fail "cannot find nudge's process"
kill -TERM "$nudge_pid"
for _ in $(seq 100); do [ -s "$WORK/stty" ] && break; sleep 0.05; done
[ -s "$WORK/stty" ] || fail "nudge did not end on SIGTERM"
for mode in icanon echo isig icrnl opost; do
    grep -qE "(^| )$mode( |$)" "$WORK/stty" || fail "after SIGTERM the terminal lacks $mode: $(cat "$WORK/stty")"
done
screen | grep -q "running" && fail "the dashboard is still on the screen after SIGTERM"
pass "SIGTERM while the view is open restores the terminal (stty sane) before nudge ends"

# A watched loop: the book's chapter-7 training loop written out, with
# `watch cost` in front.  The view shows weight1, weight2 and the cost
# curve; space pauses, s, . and → step one whole pass; q stops after a
# whole pass with the variables as that pass left them (the same numbers
# as the plain loop run for as many passes), and the terminal is restored.
cat > "$WORK/setup.py" <<'PY'
import numpy as np
np.random.seed(1)
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
y = np.array([[0, 1, 1, 0]]).T
weight1 = np.random.random((3, 4))
weight2 = np.random.random((4, 1))
learningRate = 1
cost = 0.0
PY
body='    if iter == 0:
        print("before training, cost", 0.5 * np.sum((sigmoid(np.dot(sigmoid(np.dot(x, weight1)), weight2)) - y) ** 2))
    a1 = sigmoid(np.dot(x, weight1))
    a2 = sigmoid(np.dot(a1, weight2))
    cost = 0.5 * np.sum((a2 - y) ** 2)
    g2 = (a2 - y) * a2 * (1 - a2)
    dC_dw2 = a1.T.dot(g2)
    dC_dw1 = x.T.dot(g2.dot(weight2.T) * a1 * (1 - a1))
    weight2 = weight2 - learningRate * dC_dw2
    weight1 = weight1 - learningRate * dC_dw1'
{ cat "$WORK/setup.py"; echo "watch cost for iter in range(0, 1000):"; echo "$body"; } > "$WORK/watched.py"
{ cat "$WORK/setup.py"; echo "for iter in range(0, passes):"; echo "$body"; } > "$WORK/plain.py"

pass_no() { screen | head -1 | grep -o 'pass *[0-9]*' | grep -o '[0-9]*$'; }
wait_pass() {
    for _ in $(seq 100); do
        [ "$(pass_no)" = "$1" ] && return 0
        sleep 0.05
    done
    fail "the pass counter reads '$(pass_no)', expected $1"
}

t kill-server
rm -f "$WORK/stty"
COLS=80 ROWS=24 start bash --norc --noprofile -c "'$NUDGE'; stty -a > '$WORK/stty'; exec sleep 600"
wait_for ">>"
type_keys "" C-l
sleep 0.2
modes_before=$(tty_modes)
type_keys "run $WORK/watched.py" Enter
wait_for "arrays the loop changes"
wait_for "weight1"
wait_for "weight2"
screen | grep -qF "╭─ cost " || fail "no curve of the cost"
screen | head -1 | grep -q "cost 0\." || fail "the status line does not show the cost"
p1=$(pass_no)
sleep 0.5
p2=$(pass_no)
[ "$p2" -gt "$p1" ] || fail "the pass counter did not advance ($p1, then $p2)"
pass "watch cost for ...: shows weight1, weight2 and the cost, and the pass counter advances ($p1 → $p2)"

type_keys " "
wait_for "paused"
sleep 0.2
p1=$(pass_no)
sleep 0.5
[ "$(pass_no)" = "$p1" ] || fail "the loop ran while paused"
type_keys "s"
wait_pass $((p1 + 1))
type_keys "."
wait_pass $((p1 + 2))
type_keys "" Right
wait_pass $((p1 + 3))
sleep 0.3
[ "$(pass_no)" = $((p1 + 3)) ] || fail "a step ran more than one pass"
shown=$(screen | head -1 | grep -o 'cost [0-9][0-9.]*' | tail -1)
[ -n "$shown" ] || fail "no cost on the status line"

pass "space pauses the loop; s, . and → each run one whole pass ($p1 → $((p1 + 3)))"

n=$((p1 + 3))
type_keys "q"
wait_for "stopped after $n of 1000 passes"
wait_for ">>"
screen | grep -qF "before training, cost 0.6559" || fail "what the loop printed was not shown after the view"
screen | grep -q "cost 0.6559 → ${shown#cost }" || fail "the summary's cost is not the status line's ($shown)"
sleep 0.2
[ "$(tty_modes)" = "$modes_before" ] || fail "the terminal modes changed: $modes_before, now $(tty_modes)"
pass "q stops after pass $n, prints what the loop printed and the summary ($shown), and restores the terminal"

type_keys "" C-l
type_keys "seen = [iter, cost, weight1.copy(), weight2.copy()]" Enter
type_keys "passes = $n" Enter
type_keys "run $WORK/plain.py" Enter
sleep 0.5
type_keys "" C-l
type_keys "seen[0] == iter and seen[1] == cost and max(abs(seen[2] - weight1)) == 0 and max(abs(seen[3] - weight2)) == 0" Enter
wait_for "ans = 1"
type_keys "" C-l
type_keys "seen[0]" Enter
wait_for "ans = $((n - 1))"
pass "the loop's variables keep the values of pass $n: the plain loop run $n passes gives them bit for bit"

type_keys "" C-l
type_keys "run $WORK/watched.py" Enter
wait_for "arrays the loop changes"
sleep 0.3
type_keys "" C-c
wait_for "stopped by Ctrl-C after"
wait_for ">>"
sleep 0.2
[ "$(tty_modes)" = "$modes_before" ] || fail "the terminal modes changed after Ctrl-C: $(tty_modes)"
type_keys "" C-l
type_keys "iter > 0 and iter < 999" Enter
wait_for "ans = 1"
pass "Ctrl-C stops a watched loop after a whole pass and restores the terminal"

type_keys "c = 0" Enter
type_keys "watch for i in range(3):" Enter
type_keys "    c = c + i" Enter
type_keys "" Enter
wait_for "any key"
screen | grep -qF "╭─ c (every number the loop assigns" || fail "without names, the numbers the loop assigns are not charted"
type_keys "x"
wait_for "ran 3 passes of"
pass "a short loop ends on its own, charts what it assigns when no value is named, and any key returns"

out=$(printf 'x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]]; net = mlp(3, 4, 1, seed=1);\nwatch train(net, x, y, epochs=1000, lr=1)\n' | "$NUDGE")
echo "$out" | grep -qF "epoch 1000/1000  loss 0.0101" || { echo "FAIL: no progress lines without a terminal"; echo "$out"; exit 1; }
pass "without a terminal, watch prints plain progress lines"
echo "all live view checks passed"
