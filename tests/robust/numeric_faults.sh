#!/bin/sh
# numeric_faults.sh NUDGE - IEEE results and diverging training, as a
# transcript: runs numeric_faults.nd and compares its output with
# numeric_faults.out byte for byte (status 0 expected).
#   - exp(1000), log(0) and 0/0 print Inf, -Inf and NaN, as Octave does;
#   - a softmax net trained at lr = 1000 stops at the first non-finite
#     cost, names the epoch, suggests a smaller lr and keeps the weights of
#     the last finite step;
#   - the chapter-7 net at lr = 1000 keeps finite weights.
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 path/to/nudge" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp "${TMPDIR:-/tmp}/nudge-numeric.XXXXXX") || exit 2
trap 'rm -f "$tmp"' EXIT
LC_ALL=C.UTF-8 "$1" "$here/numeric_faults.nd" > "$tmp" 2>&1
status=$?
fail=0
if ! cmp -s "$here/numeric_faults.out" "$tmp"; then
    echo "numeric_faults: output differs (--- expected, +++ actual):"
    diff -u "$here/numeric_faults.out" "$tmp"
    fail=1
fi
if [ "$status" -ne 0 ]; then
    echo "numeric_faults: exit status $status, expected 0"
    fail=1
fi
[ "$fail" -eq 0 ] && echo "ok: numeric faults"
exit $fail
