#!/bin/sh
# run.sh TARGET SECONDS - builds the libFuzzer target fuzz_TARGET (clang,
# ASan+UBSan, in $NUDGE_FUZZ_BUILD, default build-fuzz beside the sources)
# and fuzzes it for SECONDS, starting from the seeds of seeds.sh, the saved
# regressions and the corpus of earlier runs.  TARGET is interp, lesson,
# csv or load.
#
# Exit status: 0 when nothing was found; otherwise libFuzzer's status, with
# the input that failed in build-fuzz/fuzz-work/TARGET/artifacts/ and the
# command that replays it.  A finding becomes a regression: copy the input
# to tests/fuzz/regressions/TARGET/ once it is fixed (tests/fuzz/pending/
# until then).
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 interp|lesson|csv|load SECONDS" >&2
    exit 2
fi
target=$1
seconds=$2
case $target in
    interp|lesson|csv|load) ;;
    *) echo "$0: unknown target '$target' (interp, lesson, csv or load)" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${NUDGE_FUZZ_BUILD:-$src/build-fuzz}
cc=${NUDGE_FUZZ_CC:-clang}

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "$0: $cc is not installed (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi
# Two runs may share the build directory: one configures and builds at a time.
mkdir -p "$build"
lock=
command -v flock >/dev/null 2>&1 && lock="flock $build/.run-lock"
$lock cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$cc" -DNUDGE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
$lock cmake --build "$build" --target "fuzz_$target" -j2 >/dev/null
fuzzer=$build/tests/fuzz/fuzz_$target

work=$build/fuzz-work/$target
rm -rf "$work/artifacts"
mkdir -p "$work/corpus" "$work/artifacts" "$work/cwd"
rm -rf "$work/seeds"
sh "$here/seeds.sh" "$target" "$work/seeds"
# load_csv in the interp target reads files from the current directory.
cp "$src"/tests/golden/data/*.csv "$work/cwd"/ 2>/dev/null || true
# The harness's scratch directories (libFuzzer may exit without removing
# them) stay inside the work directory.
rm -rf "$work/tmp"
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"

dict=
d=$target
[ "$d" = load ] && d=interp     # a workspace is a script
[ -f "$here/dict/$d.dict" ] && dict=-dict=$here/dict/$d.dict

echo "fuzz $target: $seconds s, corpus $work/corpus"
log=$work/fuzz.log
status=0
# shellcheck disable=SC2086
(cd "$work/cwd" && "$fuzzer" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 \
    -print_final_stats=1 $dict -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$work/seeds" "$here/regressions/$target" < /dev/null > "$log" 2>&1) || status=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
echo "fuzz $target: ${execs:-?} executions, ${cov:-cov: ?}, $(find "$work/corpus" -type f | wc -l) corpus files"
if [ "$status" -ne 0 ]; then
    echo "fuzz $target: FINDING (libFuzzer exit status $status); the end of its log:"
    tail -n 60 "$log"
    for a in "$work"/artifacts/*; do
        [ -f "$a" ] && echo "replay: $build/tests/fuzz/fuzz_$target $a   (or replay_$target in an ordinary build)"
    done
    exit "$status"
fi
