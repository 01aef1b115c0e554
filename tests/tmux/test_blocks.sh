#!/usr/bin/env bash
# Blocks at the prompt, as Python's own prompt takes them: a line ending in
# ':' opens a block with the "... " prompt and the next line already
# indented, Backspace takes an indentation step back, an empty line closes
# the block; Ctrl-C stops an endless loop; and a whole program pasted at
# once (bracketed paste) prints what python3 prints for it.
. "$(dirname "$0")/lib.sh"

PYTHON3=${PYTHON3:-/usr/bin/python3}

start "$NUDGE"
wait_for ">>"

type_keys "for i in range(3):" Enter
wait_for "..."
type_keys "print(i * 10)"
wait_for "...     print(i * 10)"
pass "a line ending in ':' gives the '... ' prompt and indents the next line"
type_keys "" Enter
wait_for "...     print(i * 10)"
type_keys "" Enter
wait_for "20"
screen | grep -qx "10" || { echo "FAIL: the loop's output"; screen; exit 1; }
pass "an empty line closes the block and runs the loop"

type_keys "def fib(n):" Enter
type_keys "if n < 2:" Enter
wait_for "...     if n < 2:"
type_keys "return n" Enter
wait_for "...         return n"
type_keys "" BSpace BSpace BSpace BSpace
type_keys "return fib(n - 1) + fib(n - 2)" Enter
wait_for "...     return fib(n - 1) + fib(n - 2)"
type_keys "" Enter
type_keys "fib(20)" Enter
wait_for "ans = 6765"
pass "nested blocks indent twice and Backspace steps back a level"

type_keys "if fib(5) > 3:" Enter
type_keys "verdict = 'big'" Enter
type_keys "" BSpace BSpace BSpace BSpace
type_keys "else:" Enter
wait_for "... else:"
type_keys "verdict = 'small'" Enter Enter
type_keys "verdict" Enter
wait_for 'verdict = "big"'
pass "else closes one branch and opens the next; statements inside blocks do not echo"

type_keys "n = 0" Enter
type_keys "while True:" Enter
type_keys "n += 1" Enter Enter
sleep 0.5
type_keys "" C-c
wait_for "interrupted"
type_keys "n > 0" Enter
wait_for "ans = 1"
pass "Ctrl-C stops 'while True' and keeps what the loop did"

type_keys "for x in [1, 2]:" Enter
type_keys "y = x + nothing_here" Enter Enter
wait_for "for loop, x = 1: unknown name 'nothing_here'"
type_keys "1 + 1" Enter
wait_for "ans = 2"
pass "an error in a block names the iteration and the prompt goes on"

# A whole program pasted at once: it imports math, so it runs by Python's
# rules, and prints what python3 prints.
prog="$WORK/pasted.py"
cat >"$prog" <<'PY'
import math

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

xs = [fib(i) for i in range(12)]
print(xs)

total = 0
for i, v in enumerate(xs):
    if v % 2 == 0:
        continue
    total += v * i
else:
    print("total:", total)

def steps(w, lr=0.1):
    for k in range(3):
        w = w - lr * 2 * (w - 3)
        print(f"step {k}: w = {w:.4f}")
    return w

w = steps(0.0)
print(round(w, 6), math.sqrt(w) > 1, [c for c in "paste" if c != "a"])
PY
if [ -x "$PYTHON3" ]; then
    t kill-server
    ROWS=60 start "$NUDGE"
    wait_for ">>"
    t load-buffer "$prog"
    t paste-buffer -p -t main
    wait_for 'print(round(w, 6), math.sqrt(w) > 1, [c for c in "paste" if c != "a"])'
    type_keys "" Enter
    wait_for "['p', 's', 't', 'e']"
    want=$("$PYTHON3" "$prog")
    got=$(screen | awk 'found { print } /^print\(round\(w, 6\)/ { found = 1 }' | sed '/^>>/,$d' | sed '/^$/d')
    if [ "$got" != "$want" ]; then
        echo "FAIL: the pasted program's output differs from python3's"
        echo "---- python3 ----"; echo "$want"
        echo "---- nudge ----"; echo "$got"
        exit 1
    fi
    pass "a pasted program prints what python3 prints"
else
    echo "skip: $PYTHON3 is missing, so the pasted program is not compared"
fi
echo "all block checks passed"
