#!/bin/sh
# save_large.sh NUDGE - a workspace save writes must load back, or save
# must refuse it with a clear error and leave the previous file: a 300x300
# matrix is one statement longer than load's 1024 KiB limit.
set -u
nudge=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-large.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
"$nudge" -c 'x = 1; save ws.nd' >/dev/null
before=$(cksum < ws.nd)
out=$("$nudge" -c 'R = rand(300, 300); save ws.nd
clear
load ws.nd' 2>&1)
status=$?
if [ "$status" -eq 0 ]; then
    echo "ok: a 300x300 matrix saves and loads back"
    exit 0
fi
if printf '%s\n' "$out" | grep -q "^error: save: " && [ "$(cksum < ws.nd)" = "$before" ]; then
    echo "ok: save refuses a workspace load could not read, and the previous file is intact"
    exit 0
fi
echo "FAIL: save wrote a workspace that load cannot read:"
printf '%s\n' "$out" | sed 's/^/    /'
exit 1
