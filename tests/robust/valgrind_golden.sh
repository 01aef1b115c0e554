#!/bin/sh
# valgrind_golden.sh NUDGE SCRIPT.nd - runs one golden transcript the way
# tests/golden/run_golden.sh does (from its folder, with the options of
# NAME.args and the input of NAME.stdin when there is one), under valgrind
# memcheck: it passes with zero errors and zero leaks (definite, indirect
# and possible).  The output itself is the golden test's business.
# Registered in ctest only with -DNUDGE_VALGRIND=ON.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 NUDGE SCRIPT.nd" >&2
    exit 2
fi
command -v valgrind >/dev/null 2>&1 || { echo "valgrind is not installed: skipping"; exit 77; }
nudge=$1
dir=$(cd "$(dirname "$2")" && pwd)
name=$(basename "$2" .nd)
cd "$dir" || exit 2
args=
[ -f "$name.args" ] && args=$(cat "$name.args")
# The log, a home, and the folder of links run_golden.sh runs in.
work=$(mktemp -d "${TMPDIR:-/tmp}/valgrind.$name.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
log=$work/log
home=$work/home
mkdir "$home" || exit 2
. "$dir/workdir.sh"
run_dir=$(golden_workdir "$dir" "$work") || exit 2
cd "$run_dir" || exit 2

vg="valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes --log-file=$log"
# shellcheck disable=SC2086
if [ -f "$name.stdin" ]; then
    HOME=$home XDG_STATE_HOME=$home/state LC_ALL=C.UTF-8 $vg "$nudge" $args < "$name.stdin" > /dev/null 2>&1
else
    HOME=$home XDG_STATE_HOME=$home/state LC_ALL=C.UTF-8 $vg "$nudge" $args "$name.nd" < /dev/null > /dev/null 2>&1
fi
status=$?
if [ "$status" -eq 99 ] || grep -q "ERROR SUMMARY: [1-9]" "$log"; then
    echo "$name: valgrind memcheck found errors or leaks:"
    cat "$log"
    exit 1
fi
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|All heap blocks" "$log" | sed "s/^==[0-9]*== /$name: /"
exit 0
