#!/bin/sh
# bless.sh NAME [NUDGE] - write NAME.out from what the current program prints.
#
# For humans only.  A blessed transcript is a claim that every line of it is
# right: read the whole new NAME.out (git diff) and check every number by hand
# or with an independent calculation before keeping it.  Never bless output
# just because the test failed; a failing transcript may be a real bug.
#
# NUDGE defaults to ../../build/nudge.  The exit status is shown; if it is not
# 0, put it in NAME.status.
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 NAME [NUDGE]" >&2
    exit 2
fi
dir=$(cd "$(dirname "$0")" && pwd) || exit 2
name=$(basename "$1" .nd)
nudge=${2:-$dir/../../build/nudge}
case $nudge in
    /*) ;;
    *) nudge=$(pwd)/$nudge ;;
esac
if [ ! -x "$nudge" ]; then
    echo "$0: cannot run '$nudge': build nudge first" >&2
    exit 2
fi
cd "$dir" || exit 2
if [ ! -f "$name.nd" ]; then
    echo "$0: no script $name.nd in $dir" >&2
    exit 2
fi
args=
[ -f "$name.args" ] && args=$(cat "$name.args")
# The same fresh home and folder of links as run_golden.sh gives the
# transcript.
. "$dir/workdir.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/golden.$name.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT HUP INT TERM
mkdir "$work/home" || exit 2
export HOME="$work/home" XDG_STATE_HOME="$work/home/state"
run_dir=$(golden_workdir "$dir" "$work") || exit 2
if [ -f "$name.stdin" ]; then
    # shellcheck disable=SC2086
    (cd "$run_dir" && LC_ALL=C.UTF-8 exec "$nudge" $args < "$name.stdin" > "$dir/$name.out" 2>&1)
else
    # shellcheck disable=SC2086
    (cd "$run_dir" && LC_ALL=C.UTF-8 exec "$nudge" $args "$name.nd" < /dev/null > "$dir/$name.out" 2>&1)
fi
status=$?
want=0
[ -f "$name.status" ] && want=$(tr -d ' \n' < "$name.status")
echo "wrote $name.out (exit status $status; $name.status says $want)."
echo "Now check every line of it by hand: git diff -- $name.out"
