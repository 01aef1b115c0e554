#!/bin/sh
# run_parity.sh NUDGE PROGRAM.py - Python parity: a program that uses only
# Python's built-in types and math must print exactly what Python prints.
#
# Runs PROGRAM.py with NUDGE and with /usr/bin/python3 (override with
# $PYTHON3), from the program's directory with LC_ALL=C.UTF-8, and requires
# byte-identical standard output, the same exit status, and nothing on
# nudge's standard error.  On a mismatch it prints a unified diff and exits
# 1.  Exits 77 (ctest's "skipped") when there is no Python to compare with.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 NUDGE PROGRAM.py" >&2
    exit 2
fi
python=${PYTHON3:-/usr/bin/python3}
if [ ! -x "$python" ]; then
    echo "$0: skipped: $python is missing, so there is nothing to compare with" >&2
    exit 77
fi
nudge=$1
case $nudge in
    /*) ;;
    *) nudge=$(cd "$(dirname "$nudge")" 2>/dev/null && pwd)/$(basename "$nudge") ;;
esac
if [ ! -x "$nudge" ]; then
    echo "$0: cannot run '$1': no such program" >&2
    exit 2
fi
dir=$(cd "$(dirname "$2")" && pwd) || exit 2
prog=$(basename "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nudge-parity.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$dir" || exit 2

LC_ALL=C.UTF-8 "$python" "$prog" >"$tmp/python.out" 2>"$tmp/python.err"
pstatus=$?
LC_ALL=C.UTF-8 "$nudge" "$prog" >"$tmp/nudge.out" 2>"$tmp/nudge.err"
nstatus=$?

fail=0
if ! cmp -s "$tmp/python.out" "$tmp/nudge.out"; then
    echo "$prog: nudge's output differs from Python's (- python, + nudge):"
    diff -u "$tmp/python.out" "$tmp/nudge.out" | sed '1,2d'
    fail=1
fi
if [ -s "$tmp/nudge.err" ]; then
    echo "$prog: nudge wrote to standard error:"
    cat "$tmp/nudge.err"
    fail=1
fi
if [ "$pstatus" -ne "$nstatus" ]; then
    echo "$prog: exit status $nstatus, but Python's was $pstatus"
    cat "$tmp/python.err"
    fail=1
fi
if [ $fail -eq 0 ]; then
    echo "$prog: $(wc -l <"$tmp/python.out") lines, identical"
fi
exit $fail
