#!/bin/sh
# save_special_files.sh NUDGE - save and the file system's odd corners:
#   - save through a symbolic link updates the file it names and keeps the
#     link;
#   - save onto a character device (a private copy of /dev/full made with
#     mknod, as root) fails with a clear error and leaves the device;
#   - a saved file gets the mode a new file gets (umask), or keeps the mode
#     of the file it replaces.
set -u
nudge=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-special.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

mkdir shared
"$nudge" -c 'x = 1; save shared/real.nd' >/dev/null
ln -s shared/real.nd link.nd
"$nudge" -c 'x = 2; save link.nd' >/dev/null
[ -L link.nd ] || fail "save replaced the symbolic link link.nd with a regular file"
grep -q '^x = 2;' shared/real.nd || fail "save did not write through the link to shared/real.nd"

if mknod full c 1 7 2>/dev/null; then
    out=$("$nudge" -c 'x = 2; save full' 2>&1)
    status=$?
    [ "$status" -eq 1 ] || fail "save onto a device: status $status, expected 1 ($out)"
    [ -c full ] || fail "save onto a device replaced the device with a regular file"
else
    echo "skip: mknod is not allowed here"
fi

umask 022
"$nudge" -c 'x = 1; save fresh.nd' >/dev/null
mode=$(stat -c %a fresh.nd)
[ "$mode" = 644 ] || fail "a new saved file has mode $mode, not 644 (umask 022)"
chmod 640 fresh.nd
"$nudge" -c 'x = 2; save fresh.nd' >/dev/null
mode=$(stat -c %a fresh.nd)
[ "$mode" = 640 ] || fail "saving over a 640 file made it $mode"

[ "$failures" -eq 0 ] && echo "ok: save through links, onto devices, file modes"
[ "$failures" -eq 0 ]
