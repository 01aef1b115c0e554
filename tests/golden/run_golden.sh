#!/bin/sh
# run_golden.sh NUDGE SCRIPT.nd - run one golden transcript and compare.
#
# Runs `NUDGE [options from SCRIPT.args] SCRIPT.nd` (or `NUDGE [options] <
# SCRIPT.stdin` when SCRIPT.stdin exists) from a copy of this directory
# made of links (workdir.sh), in a fresh folder under $TMPDIR, with
# stdout and stderr merged and LC_ALL=C.UTF-8, and compares the output with
# SCRIPT.out byte for byte and the exit status with SCRIPT.status (0 when
# that file is absent).  On a mismatch it prints a unified diff and exits 1.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 NUDGE SCRIPT.nd" >&2
    exit 2
fi
nudge=$1
script=$2

dir=$(cd "$(dirname "$0")" && pwd) || exit 2
case $nudge in
    /*) ;;
    *) nudge=$(cd "$(dirname "$nudge")" 2>/dev/null && pwd)/$(basename "$nudge") ;;
esac
if [ ! -x "$nudge" ]; then
    echo "$0: cannot run '$1': no such program" >&2
    exit 2
fi
name=$(basename "$script" .nd)
cd "$dir" || exit 2
. "$dir/workdir.sh"

if [ ! -f "$name.out" ]; then
    echo "$name: no expected output $name.out (write it, or run bless.sh $name and check it by hand)" >&2
    exit 1
fi

args=
if [ -f "$name.args" ]; then
    args=$(cat "$name.args")
fi
want_status=0
if [ -f "$name.status" ]; then
    want_status=$(tr -d ' \n' < "$name.status")
fi

# A folder of its own for the run: the output, a home (a transcript never
# reads or writes the user's history or lesson progress), and a copy of
# this folder made of links to run in, so that files the transcript saves
# stay in it (workdir.sh).
work=$(mktemp -d "${TMPDIR:-/tmp}/golden.$name.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT HUP INT TERM
tmp=$work/output
home=$work/home
mkdir "$home" || exit 2
export HOME="$home" XDG_STATE_HOME="$home/state"
run_dir=$(golden_workdir "$dir" "$work") || exit 2

# $args is split on white space on purpose: it holds command-line options.
if [ -f "$name.stdin" ]; then
    # shellcheck disable=SC2086
    (cd "$run_dir" && LC_ALL=C.UTF-8 exec "$nudge" $args < "$name.stdin" > "$tmp" 2>&1)
else
    # shellcheck disable=SC2086
    (cd "$run_dir" && LC_ALL=C.UTF-8 exec "$nudge" $args "$name.nd" < /dev/null > "$tmp" 2>&1)
fi
status=$?

fail=0
if ! cmp -s "$name.out" "$tmp"; then
    echo "$name: output differs from $name.out (--- expected, +++ actual):"
    diff -u "$name.out" "$tmp" | sed -e "1s|.*|--- $name.out|" -e "2s|.*|+++ actual output|"
    fail=1
fi
if [ "$status" != "$want_status" ]; then
    echo "$name: exit status $status, expected $want_status"
    fail=1
fi
exit $fail
