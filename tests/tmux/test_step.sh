#!/usr/bin/env bash
# --step in a real terminal, as an instructor steps through a demo: each
# statement is shown and waits (the hint says to press Enter), Enter runs
# it, b takes the statement shown off the screen and goes back to the one
# before, which Enter runs again, and q stops the script with status 0.
# Without a terminal --step runs the script straight through, as -e does.
. "$(dirname "$0")/lib.sh"

fail() { echo "FAIL: $*"; echo "---- screen ----"; screen; echo "----------------"; exit 1; }
count() { screen | grep -cxF -- "$1"; }     # lines that are exactly $1

cat > "$WORK/step.nd" <<'ND'
a = 1
a = a + 1
b = a * 10
print("after b:", b)
c = 5
ND

COLS=100 ROWS=30 start bash --norc --noprofile -c "cd '$WORK' && '$NUDGE' --step step.nd; echo STEP-END:\$?; exec sleep 600"
wait_for ">> a = 1"
wait_for "(press Enter to run it, b to go back, q to stop)"
sleep 0.3
[ "$(count "a = 1")" = 0 ] || fail "the first statement ran before a key was pressed"
pass "the first statement is shown and waits, saying to press Enter"

type_keys "" Enter
wait_for ">> a = a + 1"
[ "$(count "a = 1")" = 1 ] || fail "Enter did not run the first statement"
sleep 0.3
[ "$(count "a = 2")" = 0 ] || fail "the second statement ran without a key"
type_keys "" Enter
wait_for ">> b = a * 10"
[ "$(count "a = 2")" = 1 ] || fail "Enter did not run the second statement"
pass "each Enter runs one statement and shows the next"

type_keys "b"
for _ in $(seq 40); do
    [ "$(count ">> b = a * 10")" = 0 ] && break
    sleep 0.05
done
[ "$(count ">> b = a * 10")" = 0 ] || fail "b left the statement that had not run on the screen"
[ "$(count ">> a = a + 1")" = 2 ] || fail "b did not show the statement before again"
screen | grep -v '^[[:space:]]*$' | tail -1 | grep -qF "(press Enter to run it" || fail "b did not wait at the earlier statement"
pass "b goes back to the statement before"

type_keys "" Enter
wait_for "a = 3"
wait_for ">> b = a * 10"
type_keys "" Enter
wait_for "b = 30"
pass "Enter after b runs the earlier statement again (a = 3), then goes on (b = 30)"

wait_for '>> print("after b:", b)'
type_keys "q"
wait_for "STEP-END:"
screen | grep -qxF "STEP-END:0" || fail "q did not end with status 0"
screen | grep -qF "(stopped)" || fail "q did not say it stopped"
screen | grep -qF "after b: 30" && fail "the statement shown when q was pressed ran"
screen | grep -qxF "c = 5" && fail "the script went on after q"
pass "q stops the script: the statement shown does not run, status 0"

# No terminal: --step is -e, straight through.
"$NUDGE" --step "$WORK/step.nd" < /dev/null > "$WORK/piped.out" 2>&1 || fail "--step without a terminal failed"
"$NUDGE" -e "$WORK/step.nd" < /dev/null > "$WORK/echo.out" 2>&1
cmp -s "$WORK/piped.out" "$WORK/echo.out" || { diff "$WORK/echo.out" "$WORK/piped.out"; fail "--step without a terminal differs from -e"; }
pass "without a terminal --step runs straight through, as -e"
