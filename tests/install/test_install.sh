#!/bin/sh
# test_install.sh BUILD SOURCE BINDIR PKGDATADIR MANDIR - installs the build
# into a staging folder (DESTDIR) under $TMPDIR and runs a lesson, every
# demo, load_csv on the shipped data sets and the manual page from there
# (run_installed.sh), with the source and build trees out of reach
# (hidden.sh: a mount namespace, else strace; else the test is skipped).
set -u
if [ $# -ne 5 ]; then
    echo "usage: $0 BUILD SOURCE BINDIR PKGDATADIR MANDIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd -P) || exit 2
source=$(cd "$2" && pwd -P) || exit 2
here=$(cd "$(dirname "$0")" && pwd -P)
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-install.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
work=$(cd "$work" && pwd -P)
case $work/ in
    "$build"/*|"$source"/*) echo "TMPDIR is inside the build or source tree: cannot hide them; skipping"; exit 77 ;;
esac

if ! DESTDIR="$work/stage" cmake --install "$build" > "$work/install.log" 2>&1; then
    echo "FAIL: cmake --install:"
    cat "$work/install.log"
    exit 1
fi
echo "ok: installed into $work/stage ($(grep -c Installing "$work/install.log") files)"

# What run_installed.sh needs, copied out before the trees are hidden.
mkdir "$work/expected" "$work/tmp"
cp "$source"/tests/golden/demo_*.out "$work/expected/"
cp "$here/run_installed.sh" "$work/"
bindir=$3 pkgdatadir=$4 mandir=$5
set -- "$work/stage" "$bindir" "$pkgdatadir" "$mandir" "$work/expected"

# Every file the source tree ships is installed.
failures=0
for f in "$source"/lessons/*.md "$source"/assets/demos/*.nd "$source"/assets/data/*.csv; do
    case $f in
        */lessons/*) to=lessons ;;
        */demos/*) to=demos ;;
        *) to=data ;;
    esac
    [ -f "$work/stage$pkgdatadir/$to/$(basename "$f")" ] || { echo "FAIL: $f was not installed"; failures=$((failures + 1)); }
done

TMPDIR=$work/tmp sh "$here/hidden.sh" "$source" "$build" "$work/trace" sh "$work/run_installed.sh" "$@"
status=$?
[ "$status" -eq 0 ] && [ "$failures" -eq 0 ] && exit 0
[ "$status" -eq 77 ] && exit 77
exit 1
