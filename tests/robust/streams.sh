#!/bin/bash
# streams.sh NUDGE - closed and broken standard streams end nudge cleanly:
# no crash, exit status 0 or 1, nothing on stderr (in particular no
# "Broken pipe" death: nudge ignores SIGPIPE).
#   nudge < /dev/null            reads nothing, exits 0
#   nudge <&-                    stdin closed: exits 0
#   nudge -c help | head -1      the reader goes away
#   nudge < script | head -1     the reader goes away while statements run
#   nudge -c help >&-            stdout closed: exit status 1
#   nudge -c help > /dev/full    writes fail: exit status 1
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 path/to/nudge" >&2
    exit 2
fi
nudge=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-streams.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_STATE_HOME="$work/state" LC_ALL=C.UTF-8
failures=0

# check WHAT STATUS ALLOWED_STATUSES: and stderr (in $work/err) empty.
check() {
    local what=$1 status=$2 allowed=$3
    case " $allowed " in
        *" $status "*) ;;
        *) echo "FAIL: $what: exit status $status, expected one of: $allowed"; failures=$((failures + 1)); return ;;
    esac
    if [ -s "$work/err" ]; then
        echo "FAIL: $what: wrote to stderr:"
        sed 's/^/    /' "$work/err"
        failures=$((failures + 1))
        return
    fi
    echo "ok: $what (status $status)"
}

"$nudge" < /dev/null > "$work/out" 2> "$work/err"
check "nudge < /dev/null" $? "0"
[ -s "$work/out" ] && { echo "FAIL: nudge < /dev/null printed: $(cat "$work/out")"; failures=$((failures + 1)); }

"$nudge" <&- > /dev/null 2> "$work/err"
check "nudge with stdin closed" $? "0"

"$nudge" -c help 2> "$work/err" | head -n 1 > /dev/null
check "nudge -c help | head -1" "${PIPESTATUS[0]}" "0 1"

# Enough output to outlast the pipe's buffer after head has gone.
for i in $(seq 1 3000); do echo "x$i = [$i, $i, $i]"; done > "$work/many.nd"
"$nudge" < "$work/many.nd" 2> "$work/err" | head -n 1 > /dev/null
check "nudge < script | head -1" "${PIPESTATUS[0]}" "0 1"

"$nudge" -c help >&- 2> "$work/err"
status=$?
grep -qv "write error" "$work/err" || : > "$work/err"   # "nudge: write error: ..." is welcome here
check "nudge -c help with stdout closed" "$status" "1"

if [ -w /dev/full ]; then
    "$nudge" -c help > /dev/full 2> "$work/err"
    status=$?
    : > "$work/err"     # a message about the failed write is welcome here
    check "nudge -c help > /dev/full" "$status" "1"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
exit 0
