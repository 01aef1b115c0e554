#!/bin/sh
# save_strings.sh NUDGE - pending until the fix for bug "save writes a
# string it cannot read back" is applied.  A script argument holding a
# newline (or both kinds of quote) is saved today as a string literal that
# does not close, so the workspace no longer loads.  A saved workspace must
# load back.
set -u
nudge=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-strings.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
printf 'save ws.nd\nclear\nload ws.nd\n' > s.nd
out=$("$nudge" s.nd 'said "hi"' 'two
lines' "it's \"both\"" 2>&1)
status=$?
if [ "$status" -eq 0 ]; then
    echo "ok: a workspace with awkward strings saves and loads back"
    exit 0
fi
echo "FAIL: the saved workspace does not load back (status $status):"
printf '%s\n' "$out" | sed 's/^/    /'
exit 1
