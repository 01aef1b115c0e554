#!/bin/sh
# test_no_criterion.sh SOURCE - nudge itself needs no Criterion: with a
# pkg-config that cannot find it, configuring with -DBUILD_TESTING=OFF
# succeeds, and configuring with the tests on fails with a message that
# says what to install or how to leave the tests out.  (CI builds such a
# tree whole: .ci/run.)
set -u
source=$(cd "${1:?usage: $0 SOURCE}" && pwd) || exit 2
command -v pkg-config >/dev/null 2>&1 || { echo "no pkg-config: skipping"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-nocriterion.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# Every .pc file pkg-config would read, but Criterion's.
mkdir "$work/pc"
for dir in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
    for pc in "$dir"/*.pc; do
        [ -e "$pc" ] && [ ! -e "$work/pc/$(basename "$pc")" ] && ln -s "$pc" "$work/pc/"
    done
done
rm -f "$work/pc/criterion.pc"
export PKG_CONFIG_LIBDIR="$work/pc" PKG_CONFIG_PATH=
pkg-config --exists criterion && { echo "FAIL: pkg-config still finds Criterion"; exit 1; }

failures=0
if cmake -S "$source" -B "$work/off" -DBUILD_TESTING=OFF > "$work/off.log" 2>&1; then
    echo "ok: -DBUILD_TESTING=OFF configures without Criterion"
else
    echo "FAIL: -DBUILD_TESTING=OFF needs Criterion:"
    cat "$work/off.log"
    failures=1
fi
if cmake -S "$source" -B "$work/on" > "$work/on.log" 2>&1; then
    echo "FAIL: with the tests on and no Criterion, configuring succeeded"
    failures=1
elif grep -q "configure with -DBUILD_TESTING=OFF" "$work/on.log" && grep -q "libcriterion-dev" "$work/on.log"; then
    echo "ok: with the tests on, configuring says to install libcriterion-dev or turn the tests off"
else
    echo "FAIL: configuring with the tests on and no Criterion failed without saying why:"
    cat "$work/on.log"
    failures=1
fi
exit "$failures"
