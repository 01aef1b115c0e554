#!/bin/sh
# tmpdir.sh setup|check ROOT - the ctest fixture that proves a run leaves
# nothing behind (tests/CMakeLists.txt gives every test TMPDIR=ROOT/tmp and
# HOME=ROOT/home).
#   setup: makes ROOT/tmp and ROOT/home, empty (removing what an interrupted
#          run may have left).
#   check: lists whatever the run left in ROOT and fails if there is
#          anything; removes ROOT either way.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 setup|check ROOT" >&2
    exit 2
fi
root=$2
case $1 in
    setup)
        if [ -e "$root" ]; then
            echo "removing what an earlier run left in $root:"
            find "$root" -mindepth 2 | head -20
            chmod -R u+rwx "$root" 2>/dev/null
            rm -rf "$root" || exit 1
        fi
        mkdir -p "$root/tmp" "$root/home" || exit 1
        echo "tests run with TMPDIR=$root/tmp HOME=$root/home"
        ;;
    check)
        [ -d "$root" ] || { echo "FAIL: $root is gone: a test removed the folder it was given"; exit 1; }
        left=$(find "$root" -mindepth 2 2>/dev/null)
        chmod -R u+rwx "$root" 2>/dev/null
        rm -rf "$root"
        if [ -n "$left" ]; then
            echo "FAIL: the tests left these behind (TMPDIR=$root/tmp, HOME=$root/home):"
            printf '%s\n' "$left" | head -50
            exit 1
        fi
        echo "ok: the run left nothing in TMPDIR or HOME"
        ;;
    *)
        echo "usage: $0 setup|check ROOT" >&2
        exit 2
        ;;
esac
