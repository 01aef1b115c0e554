#!/bin/sh
# save_strings.sh NUDGE - script arguments holding a newline or both kinds
# of quote: the saved workspace loads back, or save refuses it clearly.
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
