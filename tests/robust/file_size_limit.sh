#!/bin/bash
# file_size_limit.sh NUDGE - the file size limit (ulimit -f) reached by
# nudge's own writes, with SIGXFSZ left at its default action as a shell
# leaves it.  The default action ends the process (status 153, and a core
# dump where enabled) at the first write past the limit; nudge ignores the
# signal so the write fails with EFBIG and is reported:
#   - save: "file size limit reached"; the old file is unchanged and no
#     temporary file is left;
#   - --record FILE.cast: the same, for the recording;
#   - standard output redirected to a file: status 1 and "write error".
# (io_faults.sh runs the same limit with the signal already ignored by the
# shell, to reach every write.)
set -u
nudge=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-fsize.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_STATE_HOME="$work/state" LC_ALL=C.UTF-8
cd "$work" || exit 2
failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Runs nudge under a 1 KiB limit with SIGXFSZ at its default action (a
# subshell: trap '' would be inherited, and bash resets an ignored signal
# only for traps it set itself).
limited() {
    (trap - XFSZ; ulimit -f 1; exec "$nudge" "$@")
}

# expect NAME STATUS WANT: $status is STATUS and $out has WANT.
expect() {
    if [ "$status" -eq "$2" ] && printf '%s\n' "$out" | grep -qF -- "$3"; then
        pass "$1"
    else
        fail "$1: status $status, expected $2 and '$3' in:"
        printf '%s\n' "$out" | tail -n 5 | sed 's/^/    /'
    fi
}

"$nudge" -c 'x = 1; save big.nd' > /dev/null || fail "a small save"
before=$(cksum < big.nd)
out=$(limited -c 'a = zeros(1000, 10); save big.nd' 2>&1)
status=$?
expect "save past the file size limit" 1 "save: file size limit reached writing 'big.nd'; the old file is unchanged"
[ "$(cksum < big.nd)" = "$before" ] || fail "save past the limit changed the old file"
ls big.nd.tmp-* > /dev/null 2>&1 && fail "save past the limit left a temporary file: $(ls big.nd.tmp-*)"

out=$(limited --record rec.cast -c 'for i in range(400): print(i * 1000)' 2>&1 > /dev/null)
status=$?
expect "--record past the file size limit" 1 "file size limit reached writing 'rec.cast'"
ls rec.cast* > /dev/null 2>&1 && fail "--record past the limit left a file: $(ls rec.cast*)"

limited -c 'for i in range(2000): print(i)' > stdout.txt 2> err.txt
status=$?
out=$(cat err.txt)
expect "standard output past the file size limit" 1 "nudge: write error: File too large"
rm -f stdout.txt err.txt

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
exit 0
