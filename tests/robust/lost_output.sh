#!/bin/bash
# lost_output.sh NUDGE - output that could not be written fails the run:
#   - statements piped into nudge whose reader went away (| head -1):
#     exit status 1, and no message (a reader that left is normal);
#   - nudge -c help > /dev/full: status 1 and "nudge: write error: No space
#     left on device".
set -u
nudge=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-lost.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_STATE_HOME="$work/state"
fail=0
for i in $(seq 1 20000); do echo "x = [1, 2, 3] * $i"; done > "$work/many.nd"
"$nudge" < "$work/many.nd" 2> "$work/err" | head -n 1 > /dev/null
status=${PIPESTATUS[0]}
[ "$status" -eq 1 ] || { echo "FAIL: output lost to a closed pipe: status $status, expected 1"; fail=1; }
[ -s "$work/err" ] && { echo "FAIL: a closed pipe is reported: $(cat "$work/err")"; fail=1; }
"$nudge" -c help > /dev/full 2> "$work/err"
grep -q "write error" "$work/err" || { echo "FAIL: a failed write to /dev/full is not reported"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok: lost output fails the run"
exit $fail
