#!/usr/bin/env bash
# run.sh - nudge against the book's numpy code, side by side (issue 7).
#
#   tests/bench/run.sh            the full benchmark (ten minutes or so)
#   tests/bench/run.sh --quick    fewer repetitions and epochs, for CI (~2 min)
#   tests/bench/run.sh --threads  only the products on one thread against two,
#                                 to place tensor.c's THREAD_MIN_WORK (~1 min)
#   --build-dir=DIR               build there instead of build-bench/
#   NUDGE_BENCH_PYTHON=PATH       another python3 for the numpy column
#
# Builds nudge twice as users build it, with the project's flags only (no
# -ffast-math, no -march): the default build (build-bench/, RelWithDebInfo,
# -O2) and a Release one (build-bench/release/, -O3), each with bench_mlp from
# tests/bench/bench_mlp.c.  Then runs every row alternating nudge and numpy
# (and the Release build, for the digits rows), after one warm-up run of
# each, and prints medians with min-max; a ratio is the median over those
# pairs of numpy's time / nudge's, steadier than a ratio of medians while the
# machine's speed drifts.  numpy is
# Debian's python3-numpy under /usr/bin/python3, run with OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset so that OpenBLAS picks its own kernel (printed below).
# Without numpy its column is skipped, loudly.  Not part of ctest's pass/fail:
# the exit status is 0 whether or not a target is met, non-zero only when
# something could not be built or run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

quick=0
threads_only=0
build="$root/build-bench"
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        --threads) threads_only=1 ;;
        --build-dir=*) build="${arg#--build-dir=}" ;;
        -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

# Rows of the digits net 64-H-10: "H BATCH EPOCHS".  The centred rows (weights
# rand() - 0.5 from seed 0, as real networks start) lead; the book's init
# (weights in [0, 1) from seed 1) saturates the sigmoids, which sends numpy's
# exp down a slow path.
if [ "$quick" = 1 ]; then
    reps=3; reps_long=1; ch7_long=10000; book_long=10000; digits_epochs=10; view_pairs=3
    centred=("4 1797 40" "16 1797 20" "64 1797 6" "256 1797 3" "1024 1797 2"
             "4 32 4" "16 32 4" "64 32 3" "256 32 2" "1024 32 1")
    growth=("4 10" "16 10" "64 5" "256 2" "1024 1")
else
    reps=11; reps_long=5; ch7_long=100000; book_long=100000; digits_epochs=100; view_pairs=5
    centred=("4 1797 300" "16 1797 200" "64 1797 60" "256 1797 30" "1024 1797 10"
             "4 32 40" "16 32 40" "64 32 20" "256 32 8" "1024 32 4")
    growth=("4 200" "16 200" "64 50" "256 15" "1024 4")
fi
data="$root/assets/data/digits.csv"
python="${NUDGE_BENCH_PYTHON:-/usr/bin/python3}"
tmp="$(mktemp -d)"
cleanup() {
    [ -n "${tmux_sock:-}" ] && tmux -S "$tmux_sock" kill-server 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# --- building -----------------------------------------------------------------

# build_tree DIR TYPE FLAGS: nudge and bench_mlp in DIR, CMAKE_BUILD_TYPE TYPE
# with that type's flags set to what CMake gives them by default.
build_tree() {
    local dir="$1" type="$2" flags="$3"
    cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DCMAKE_C_FLAGS_"${type^^}"="$flags" \
        >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log"; exit 1; }
    cmake --build "$dir" -j2 --target nudge >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
    ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -D_POSIX_C_SOURCE=200809L -I"$root/include" "$here/bench_mlp.c" "$dir/libnudge.a" -lm -pthread \
        -o "$dir/bench_mlp"
}
echo "== building nudge: the default build (RelWithDebInfo, -O2) in ${build#"$root"/}, Release (-O3) in ${build#"$root"/}/release"
build_tree "$build" RelWithDebInfo "-O2 -g -DNDEBUG"
build_tree "$build/release" Release "-O3 -DNDEBUG"
nudge="$build/nudge"
nudge_rel="$build/release/nudge"
bench="$build/bench_mlp"
bench_rel="$build/release/bench_mlp"

# --- numpy --------------------------------------------------------------------

npy() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$@"; }
have_numpy=0
if [ -x "$python" ] && "$python" -c 'import numpy' 2>/dev/null; then
    have_numpy=1
    numpy_desc="$(npy "$here/blas_info.py")"
    numpy_default="$("$python" "$here/blas_info.py")"
else
    echo
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    echo "!! numpy column SKIPPED: $python cannot import numpy."
    echo "!! Install Debian's python3-numpy (and libopenblas0-pthread for the fast BLAS,"
    echo "!! python3-threadpoolctl to name its kernel) to compare against the book's code."
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
fi

# --- measuring ----------------------------------------------------------------

# field KEY LINE: the value of KEY=value in a line of key=value pairs.
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# stats FILE: "median min max" of the numbers in FILE, one a line.
stats() {
    sort -g "$1" | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "- - -"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.6g %.6g %.6g\n", m, v[1], v[NR] }'
}

# --- one thread or two ----------------------------------------------------------

if [ "$threads_only" = 1 ]; then
    echo "== products 1797 x 64 by 64 x N (the digits' first layer), wall µs, one thread against two"
    echo "   (medians of 9 alternating runs of 20 products each; load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    printf '| N | multiply-adds | 1 thread | 2 threads | 1 / 2 |\n| --- | --- | --- | --- | --- |\n'
    for n in 8 16 32 64 128 256 512 1024; do
        rm -f "$tmp/t1" "$tmp/t2"
        for ((i = 0; i < 9; i++)); do
            for t in 1 2; do
                "$bench" product 1797 64 "$n" ab auto "$t" 20 | sed -n 's/^us_per_product=\([^ ]*\).*/\1/p' >>"$tmp/t$t"
            done
        done
        a="$(stats "$tmp/t1" | cut -d' ' -f1)"; b="$(stats "$tmp/t2" | cut -d' ' -f1)"
        printf '| %s | %s | %s | %s | %s |\n' "$n" "$((1797 * 64 * n))" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
    done
    echo
    echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg); two threads pay where 1 / 2 is well above 1"
    exit 0
fi


# proc NAME CMD...: wall ms and peak RSS kB of a whole process, appended to
# $tmp/NAME.wall and $tmp/NAME.rss.  A failing command stops the run.
proc() {
    local name="$1"; shift
    local line
    line="$("$bench" exec -- "$@")"
    if [ "$(field status "$line")" != 0 ]; then
        echo "run.sh: '$*' failed (exit $(field status "$line")):" >&2
        "$@" >&2 || true
        exit 1
    fi
    field wall_ms "$line" >>"$tmp/$name.wall"
    field maxrss_kb "$line" >>"$tmp/$name.rss"
}

# inproc NAME KEY CMD...: KEY from the one-line report of CMD, appended to
# $tmp/NAME.KEY (cpu_KEY, the process's CPU time, to $tmp/NAME.cpu_KEY and
# maxrss_kb to $tmp/NAME.rss when it reports them); the
# whole line is kept in $tmp/NAME.last for the sanity checks.
inproc() {
    local name="$1" key="$2"; shift 2
    local line
    line="$("$@")" || { echo "run.sh: '$*' failed" >&2; exit 1; }
    field "$key" "$line" >>"$tmp/$name.$key"
    local cpu; cpu="$(field "cpu_$key" "$line")"
    [ -n "$cpu" ] && echo "$cpu" >>"$tmp/$name.cpu_$key"
    local rss; rss="$(field maxrss_kb "$line")"
    [ -n "$rss" ] && echo "$rss" >>"$tmp/$name.rss"
    echo "$line" >"$tmp/$name.last"
}

# pair N NUDGE_FN NUMPY_FN: a warm-up of each, then N alternating runs.
pair() {
    local n="$1" a="$2" b="$3" i
    "$a" warm; [ "$have_numpy" = 1 ] && "$b" warm
    for ((i = 0; i < n; i++)); do
        "$a" run
        [ "$have_numpy" = 1 ] && "$b" run
    done
    return 0
}

# triple N A B C: as pair, with a third side C (nudge's Release build)
# between A and B in each round.
triple() {
    local n="$1" a="$2" b="$3" c="$4" i
    "$a" warm; "$c" warm; [ "$have_numpy" = 1 ] && "$b" warm
    for ((i = 0; i < n; i++)); do
        "$a" run
        "$c" run
        [ "$have_numpy" = 1 ] && "$b" run
    done
    return 0
}

runs_of() { if [ "$1" = warm ]; then echo "$2.warm"; else echo "$2"; fi; }

ch7_script() {
    printf '%s' "x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]]; " \
        "net = mlp(3, 4, 1, seed=1); train(net, x, y, epochs=$1, lr=1); forward(net, x)"
}
digits_setup='D = load_csv("assets/data/digits.csv"); X = D[:, 0:64] / 16; Y = D[:, 64:65] == [0,1,2,3,4,5,6,7,8,9]; net = mlp(64, 32, 10, seed=1, bias=1, output="softmax");'

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== measuring ($([ "$quick" = 1 ] && echo quick || echo full): $reps runs per row after a warm-up, $reps_long for the long ones)"

# (a) start-up
s_nudge() { proc "$(runs_of "$1" start.nudge)" "$nudge" -c 'a = 1;'; }
s_numpy() { proc "$(runs_of "$1" start.numpy)" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" -c 'import numpy'; }
pair "$reps" s_nudge s_numpy

# (b) chapter 7, in-process and whole process
c_nudge() { inproc "$(runs_of "$1" "ch7in$iters.nudge")" ns_per_iter "$bench" ch7 "$iters"; }
c_numpy() { inproc "$(runs_of "$1" "ch7in$iters.numpy")" ns_per_iter npy "$here/ch7.py" "$iters"; }
w_nudge() { proc "$(runs_of "$1" "ch7p$iters.nudge")" "$nudge" -c "$(ch7_script "$iters")"; }
w_numpy() {
    proc "$(runs_of "$1" "ch7p$iters.numpy")" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        "$python" "$here/ch7.py" "$iters" --once
}
for iters in 1000 "$ch7_long"; do
    n=$([ "$iters" = 1000 ] && echo "$reps" || echo "$reps_long")
    pair "$n" c_nudge c_numpy
    pair "$n" w_nudge w_numpy
done

# (f) the book's program as a file: Python statements over numpy arrays,
# run by nudge's interpreter (both builds) and by python3, which must print
# the same text.
for loops in 1000 "$book_long"; do
    sed "s/ITERATIONS/$loops/" "$here/book_loop.py" > "$tmp/book$loops.py"
    "$nudge" "$tmp/book$loops.py" > "$tmp/book$loops.nudge.out" 2>&1 || { echo "run.sh: nudge failed on book_loop.py" >&2; exit 1; }
    if [ "$have_numpy" = 1 ]; then
        npy "$tmp/book$loops.py" > "$tmp/book$loops.numpy.out" 2>&1
        cmp -s "$tmp/book$loops.nudge.out" "$tmp/book$loops.numpy.out" && echo same > "$tmp/book$loops.same" \
            || echo differs > "$tmp/book$loops.same"
    fi
done
b_nudge() { proc "$(runs_of "$1" "book$loops.nudge")" "$nudge" "$tmp/book$loops.py"; }
b_rel() { proc "$(runs_of "$1" "book$loops.rel")" "$nudge_rel" "$tmp/book$loops.py"; }
b_numpy() { proc "$(runs_of "$1" "book$loops.numpy")" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$tmp/book$loops.py"; }
for loops in 1000 "$book_long"; do
    n=$([ "$loops" = 1000 ] && echo "$reps" || echo "$reps_long")
    pair "$n" b_nudge b_numpy
    pair "$n" b_rel b_numpy
done

# (c) digits, 64-32-10, softmax + cross-entropy
d_nudge() { inproc "$(runs_of "$1" digits.nudge)" us_per_epoch "$bench" digits "$data" 32 "$digits_epochs"; }
d_numpy() { inproc "$(runs_of "$1" digits.numpy)" us_per_epoch npy "$here/digits.py" "$data" 32 "$digits_epochs"; }
pair "$reps_long" d_nudge d_numpy

# (c) digits 64-H-10 from the centred init, full batch and mini-batches
r_nudge() { inproc "$(runs_of "$1" "real$h.$bs.nudge")" us_per_epoch "$bench" digits "$data" "$h" "$ep" centred "$bs"; }
r_rel() { inproc "$(runs_of "$1" "real$h.$bs.rel")" us_per_epoch "$bench_rel" digits "$data" "$h" "$ep" centred "$bs"; }
r_numpy() {
    inproc "$(runs_of "$1" "real$h.$bs.numpy")" us_per_epoch npy "$here/digits.py" "$data" "$h" "$ep" centred "$bs"
}
for g in "${centred[@]}"; do
    read -r h bs ep <<<"$g"
    triple "$reps_long" r_nudge r_numpy r_rel
done

# (d) the live view's cost, when the program has one
have_watch=0
if "$nudge" -c 'help watch' >/dev/null 2>&1; then
    have_watch=1
fi
watch_note=""
if [ "$have_watch" = 1 ]; then
    if ! command -v tmux >/dev/null; then
        have_watch=0; watch_note="tmux is not installed"
    else
        tmux_sock="$tmp/tmux.sock"
        wepochs=$([ "$quick" = 1 ] && echo 400 || echo 1000)
        # live_run NAME LIVE EPOCHS: the digits net trained unpaced in a
        # 120x40 terminal, timed as a whole process.  With --no-pause the
        # dashboard holds its last frame a second and returns by itself
        # (the same second in the run without epochs, which is subtracted),
        # so nothing reads the pane while nudge runs: a poller would take
        # CPU from it on a machine of two cores.
        live_run() {
            local name="$1" live="$2" ep="$3" out="$tmp/live.out"
            rm -f "$out"
            local cmd="$digits_setup train(net, X, Y, epochs=$ep, lr=0.5/1797, speed=\"max\", live=$live)"
            tmux -S "$tmux_sock" new-session -d -x 120 -y 40 -c "$root" \
                "$(printf '%q ' "$bench" exec -t -o "$out" -- "$nudge" --no-pause -c "$cmd")"
            local t=0
            while [ ! -s "$out" ] && [ "$t" -lt 2400 ]; do
                sleep 0.05; t=$((t + 1))
            done
            tmux -S "$tmux_sock" kill-server 2>/dev/null || true
            if [ ! -s "$out" ]; then
                watch_note="the live run did not finish within 120 s"
                return 1
            fi
            field wall_ms "$(cat "$out")" >>"$tmp/$name.wall"
            field cpu_ms "$(cat "$out")" >>"$tmp/$name.cpu"
            field maxrss_kb "$(cat "$out")" >>"$tmp/$name.rss"
        }
        # In pairs even in --quick: a single run's cost is mostly noise.
        for ((i = 0; i < view_pairs; i++)); do
            live_run live0.setup 0 0 && live_run live0.plain 0 "$wepochs" \
                && live_run live1.setup 1 0 && live_run live1.view 1 "$wepochs" || { have_watch=0; break; }
        done
    fi
fi

# (e) checking every lesson, when the program can
have_check=0
if "$nudge" --help 2>&1 | grep -q -- '--check-lessons'; then
    have_check=1
    "$nudge" --check-lessons >/dev/null 2>&1 || true   # warm-up
    for ((i = 0; i < reps; i++)); do
        "$bench" exec -- "$nudge" --check-lessons >"$tmp/check.line"
        field wall_ms "$(cat "$tmp/check.line")" >>"$tmp/check.wall"
        field maxrss_kb "$(cat "$tmp/check.line")" >>"$tmp/check.rss"
        check_status="$(field status "$(cat "$tmp/check.line")")"
    done
fi

# how cost grows with the hidden layer
g_nudge() { inproc "$(runs_of "$1" "grow$h.nudge")" us_per_epoch "$bench" digits "$data" "$h" "$ep"; }
g_numpy() { inproc "$(runs_of "$1" "grow$h.numpy")" us_per_epoch npy "$here/digits.py" "$data" "$h" "$ep"; }
for g in "${growth[@]}"; do
    read -r h ep <<<"$g"
    pair "$reps_long" g_nudge g_numpy
done

# --- reporting ----------------------------------------------------------------

# cell FILE SCALE: "median (min-max)" of FILE's numbers times SCALE.
cell() {
    [ -s "$1" ] || { echo "skipped"; return; }
    read -r med lo hi < <(stats "$1")
    awk -v m="$med" -v l="$lo" -v h="$hi" -v s="$2" 'function f(x) {
            x *= s; return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : sprintf("%.3g", x) }
        BEGIN { printf "%s (%s-%s)", f(m), f(l), f(h) }'
}
median() { [ -s "$1" ] && stats "$1" | cut -d' ' -f1 || echo ""; }
# ratio_num A B: B's time over A's, the median over the pairs of runs (line
# i of each file came from the same round), or of the medians when the
# files do not pair up.
ratio_num() {
    [ -s "$1" ] && [ -s "$2" ] || { echo ""; return; }
    if [ "$(wc -l <"$1")" = "$(wc -l <"$2")" ]; then
        paste "$1" "$2" | awk '{ print $2 / $1 }' >"$tmp/pairs"
        median "$tmp/pairs"
    else
        awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN { print b / a }'
    fi
}
ratio() {   # numpy / nudge
    local r; r="$(ratio_num "$1" "$2")"
    [ -n "$r" ] || { echo "-"; return; }
    awk -v r="$r" 'BEGIN { printf(r >= 100 ? "%.0fx" : r >= 10 ? "%.1fx" : "%.2fx", r) }'
}
peak() { [ -s "$1" ] && awk 'BEGIN { m = 0 } $1 > m { m = $1 } END { printf "%.1f MB", m / 1024 }' "$1" || echo "-"; }
# verdict OK: "met" or "NOT met"
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "NOT met"; fi; }
cmp_ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }' && echo 1 || echo 0; }
cmp_lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }' && echo 1 || echo 0; }
cmp_le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }' && echo 1 || echo 0; }

row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }
np_cell() { if [ "$have_numpy" = 1 ]; then cell "$1" "$2"; else echo "skipped (no numpy)"; fi; }

echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(uname -sr)"
echo "       $(grep -o -w -E 'avx2|avx512f|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')in /proc/cpuinfo"
echo "nudge: $("$nudge" --version), $(${CC:-cc} --version | head -1); kernels: $("$bench" info)"
if [ "$have_numpy" = 1 ]; then
    echo "numpy: $numpy_desc (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset;"
    echo "       with the environment as it is: $numpy_default)"
else
    echo "numpy: NOT AVAILABLE - every numpy cell below is skipped"
fi
echo "load average: $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (other work on the machine slows both columns)"
awk -v l="${load_start%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n) }' &&
    echo "WARNING: the load average was above the number of cores: other programs took turns on them, which inflates times (ratios less so, as both columns alternate)"
echo "medians of $reps runs ($reps_long for the long rows), min-max in brackets; ratio = numpy / nudge,"
echo "the median over the rounds of runs (each round runs every side once, back to back)"
echo
row "row" "nudge" "numpy" "ratio" "nudge peak RSS" "target"
row "---" "---" "---" "---" "---" "---"
row "(a) start-up to first result, ms: \`nudge -c 'a = 1;'\` vs \`python3 -c 'import numpy'\`" \
    "$(cell "$tmp/start.nudge.wall" 1)" "$(np_cell "$tmp/start.numpy.wall" 1)" \
    "$(ratio "$tmp/start.nudge.wall" "$tmp/start.numpy.wall")" "$(peak "$tmp/start.nudge.rss")" \
    "≥ 10x: $([ "$have_numpy" = 1 ] && verdict "$(cmp_ge "$(ratio_num "$tmp/start.nudge.wall" "$tmp/start.numpy.wall")" 10)" || echo "-")"
for iters in 1000 "$ch7_long"; do
    per="$(median "$tmp/ch7in$iters.nudge.ns_per_iter")"
    r="$(ratio_num "$tmp/ch7in$iters.nudge.ns_per_iter" "$tmp/ch7in$iters.numpy.ns_per_iter")"
    t="≤ 0.2 µs: $(verdict "$(cmp_le "$per" 200)")"
    [ "$have_numpy" = 1 ] && t="$t; ≥ 100x: $(verdict "$(cmp_ge "$r" 100)")"
    row "(b) chapter 7, $iters iterations, ns per iteration in-process" \
        "$(cell "$tmp/ch7in$iters.nudge.ns_per_iter" 1)" "$(np_cell "$tmp/ch7in$iters.numpy.ns_per_iter" 1)" \
        "$(ratio "$tmp/ch7in$iters.nudge.ns_per_iter" "$tmp/ch7in$iters.numpy.ns_per_iter")" \
        "$(peak "$tmp/ch7in$iters.nudge.rss")" "$t"
    row "(b) chapter 7, $iters iterations, whole process ms (\`nudge -c\` script vs \`python3 ch7.py\`)" \
        "$(cell "$tmp/ch7p$iters.nudge.wall" 1)" "$(np_cell "$tmp/ch7p$iters.numpy.wall" 1)" \
        "$(ratio "$tmp/ch7p$iters.nudge.wall" "$tmp/ch7p$iters.numpy.wall")" "$(peak "$tmp/ch7p$iters.nudge.rss")" \
        "RSS < 8 MB: $(verdict "$(awk 'BEGIN { m = 0 } $1 > m { m = $1 } END { print (m < 8192) }' "$tmp/ch7p$iters.nudge.rss")")"
done
for loops in 1000 "$book_long"; do
    for side in nudge rel; do
        label=$([ "$side" = nudge ] && echo "default build" || echo "Release")
        r="$(ratio_num "$tmp/book$loops.$side.wall" "$tmp/book$loops.numpy.wall")"
        row "(f) the book's numpy program as a file, $loops passes of its loop, whole process ms, $label (\`nudge F.py\` vs \`python3 F.py\`; output $(cat "$tmp/book$loops.same" 2>/dev/null || echo "not compared"))" \
            "$(cell "$tmp/book$loops.$side.wall" 1)" "$(np_cell "$tmp/book$loops.numpy.wall" 1)" \
            "$(ratio "$tmp/book$loops.$side.wall" "$tmp/book$loops.numpy.wall")" "$(peak "$tmp/book$loops.$side.rss")" \
            "$([ "$loops" = 1000 ] && echo "≥ 20x: $([ "$have_numpy" = 1 ] && verdict "$(cmp_ge "$r" 20)" || echo "-")" || echo "-")"
    done
done
r="$(ratio_num "$tmp/digits.nudge.us_per_epoch" "$tmp/digits.numpy.us_per_epoch")"
row "(c) digits 64-32-10 softmax, full batch of 1797, ms per epoch" \
    "$(cell "$tmp/digits.nudge.us_per_epoch" 0.001)" "$(np_cell "$tmp/digits.numpy.us_per_epoch" 0.001)" \
    "$(ratio "$tmp/digits.nudge.us_per_epoch" "$tmp/digits.numpy.us_per_epoch")" "$(peak "$tmp/digits.nudge.rss")" \
    "≥ 2x: $([ "$have_numpy" = 1 ] && verdict "$(cmp_ge "$r" 2)" || echo "-")"
if [ "$have_watch" = 1 ]; then
    # eps FILE SETUP: epochs per second from whole-process times, less the
    # median time of the same run with no epochs: loading the data, and for
    # the view opening the screen, its last frame held a second and closing
    # it, which do not depend on the epochs.
    eps() {
        awk -v e="$wepochs" -v s="$(median "$2")" '{ printf "%.6g\n", e / (($1 - s) / 1000) }' "$1"
    }
    # paired_cost PLAIN VIEW: the cost of each pair of runs (plain, then
    # view, back to back), one a line: the machine's speed drifts between
    # pairs more than within one, so paired ratios are steadier than a
    # ratio of medians.
    paired_cost() { paste "$1" "$2" | awk '{ printf "%.6g\n", 100 * (1 - $2 / $1) }'; }
    eps "$tmp/live0.plain.wall" "$tmp/live0.setup.wall" >"$tmp/eps.plain"
    eps "$tmp/live1.view.wall" "$tmp/live1.setup.wall" >"$tmp/eps.view"
    eps "$tmp/live0.plain.cpu" "$tmp/live0.setup.cpu" >"$tmp/cps.plain"
    eps "$tmp/live1.view.cpu" "$tmp/live1.setup.cpu" >"$tmp/cps.view"
    paired_cost "$tmp/eps.plain" "$tmp/eps.view" >"$tmp/view.cost"
    paired_cost "$tmp/cps.plain" "$tmp/cps.view" >"$tmp/view.cpucost"
    cost="$(awk '{ printf "%.1f", $1 }' <<<"$(median "$tmp/view.cost")")"
    cpucost="$(awk '{ printf "%.1f", $1 }' <<<"$(median "$tmp/view.cpucost")")"
    row "(d) live view: digits epochs/s unpaced (speed=\"max\"), without / with the dashboard, by the clock" \
        "$(cell "$tmp/eps.plain" 1) / $(cell "$tmp/eps.view" 1)" "n/a" "costs $cost%" \
        "$(peak "$tmp/live1.view.rss")" "< 20%: $(verdict "$(cmp_lt "$cost" 20)")"
    row "(d) the same per second of nudge's CPU time (what the dashboard itself costs; waiting for a core not counted)" \
        "$(cell "$tmp/cps.plain" 1) / $(cell "$tmp/cps.view" 1)" "n/a" "costs $cpucost%" \
        "$(peak "$tmp/live1.view.rss")" "< 20%: $(verdict "$(cmp_lt "$cpucost" 20)")"
else
    row "(d) live view cost" "not measured: ${watch_note:-this nudge has no \`watch\` command (\`nudge -c 'help watch'\` fails)}" "n/a" "-" "-" "< 20%: not measured"
fi
if [ "$have_check" = 1 ]; then
    row "(e) \`nudge --check-lessons\`, ms (exit status $check_status)" "$(cell "$tmp/check.wall" 1)" "n/a" "-" \
        "$(peak "$tmp/check.rss")" "< 1 s: $(verdict "$(cmp_lt "$(median "$tmp/check.wall")" 1000)")"
else
    row "(e) \`nudge --check-lessons\`" "not measured: this nudge has no --check-lessons option" "n/a" "-" "-" "< 1 s: not measured"
fi
echo
echo "nudge's CPU time in-process, which waiting for a core does not inflate: chapter 7" \
    "$(cell "$tmp/ch7in1000.nudge.cpu_ns_per_iter" 1) and $(cell "$tmp/ch7in$ch7_long.nudge.cpu_ns_per_iter" 1) ns" \
    "per iteration (1000 and $ch7_long iterations); digits $(cell "$tmp/digits.nudge.cpu_us_per_epoch" 0.001) ms per epoch"

echo
echo "digits 64-H-10 from centred weights (rand() - 0.5, seed 0, lr 0.001), ms per epoch; ratio = numpy / nudge"
echo "(targets: ≥ 2x at H ≤ 64, ≥ 1x at every H, in both builds; the two builds within 10% of each other)"
echo
printf '| H | batch | nudge, default build | nudge, Release | numpy | ratio, default | ratio, Release | Release / default, CPU time |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
worst_build=1; targets_met=1
for g in "${centred[@]}"; do
    read -r h bs ep <<<"$g"
    f="$tmp/real$h.$bs"
    # the builds' own cost: CPU time, which waiting for a core does not inflate
    rb="$(ratio_num "$f.nudge.cpu_us_per_epoch" "$f.rel.cpu_us_per_epoch")"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$h" "$bs" "$(cell "$f.nudge.us_per_epoch" 0.001)" \
        "$(cell "$f.rel.us_per_epoch" 0.001)" "$(np_cell "$f.numpy.us_per_epoch" 0.001)" \
        "$(ratio "$f.nudge.us_per_epoch" "$f.numpy.us_per_epoch")" "$(ratio "$f.rel.us_per_epoch" "$f.numpy.us_per_epoch")" \
        "$(awk -v r="$rb" 'BEGIN { printf "%.2f", r }')"
    awk -v r="$rb" 'BEGIN { exit !(r > 1.1 || r < 1 / 1.1) }' && worst_build=0
    if [ "$have_numpy" = 1 ]; then
        want=$([ "$h" -le 64 ] && echo 2 || echo 1)
        for side in nudge rel; do
            [ "$(cmp_ge "$(ratio_num "$f.$side.us_per_epoch" "$f.numpy.us_per_epoch")" "$want")" = 1 ] || targets_met=0
        done
    fi
    last="$(cat "$f.nudge.last")"
    [ "$(field epochs_run "$last")" = "$ep" ] || echo "WARNING: H=$h batch $bs stopped after $(field epochs_run "$last") of $ep epochs"
done
echo
echo "Release (-O3) and the default build (-O2) within 10% of each other in CPU time on every row: $(verdict "$worst_build")"
if command -v valgrind >/dev/null; then
    # Instructions do not depend on the load: the epochs of digits 64-64-10
    # (10 more epochs less 10 fewer, so that loading the data cancels out),
    # each build.  valgrind runs the AVX2 kernels (it has no AVX-512).
    insns() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" digits "$data" 64 "$2" centred 2>&1 |
            sed -n 's/.*refs: *//p' | tr -d ,
    }
    i_def=$(( ($(insns "$bench" 20) - $(insns "$bench" 10)) / 10 ))
    i_rel=$(( ($(insns "$bench_rel" 20) - $(insns "$bench_rel" 10)) / 10 ))
    r_ins="$(awk -v a="$i_def" -v b="$i_rel" 'BEGIN { printf "%.2f", b / a }')"
    echo "instructions per epoch of digits 64-64-10 (callgrind): default $i_def, Release $i_rel," \
        "Release / default $r_ins, within 10%: $(verdict "$(awk -v r="$r_ins" 'BEGIN { print (r <= 1.1 && r >= 1 / 1.1) }')")"
fi
[ "$have_numpy" = 1 ] && echo "ratio targets (≥ 2x at H ≤ 64, ≥ 1x above, both builds): $(verdict "$targets_met")"

echo
echo "how cost grows from the book's init (weights in [0, 1), seed 1): digits 64-H-10, ms per epoch (full batch)"
echo
printf '| hidden H | nudge | numpy | ratio |\n| --- | --- | --- | --- |\n'
for g in "${growth[@]}"; do
    read -r h ep <<<"$g"
    printf '| %s | %s | %s | %s |\n' "$h" "$(cell "$tmp/grow$h.nudge.us_per_epoch" 0.001)" \
        "$(np_cell "$tmp/grow$h.numpy.us_per_epoch" 0.001)" \
        "$(ratio "$tmp/grow$h.nudge.us_per_epoch" "$tmp/grow$h.numpy.us_per_epoch")"
done

# Both sides must have computed the same thing.
echo
out_n="$(field out "$(cat "$tmp/ch7in1000.nudge.last")")"
echo "check: chapter 7 after 1000 iterations, nudge $out_n (the book: 0.028,0.925,0.925,0.090)"
if [ "$have_numpy" = 1 ]; then
    out_p="$(field out "$(cat "$tmp/ch7in1000.numpy.last")")"
    echo "       numpy $out_p"
    dn="$(cat "$tmp/digits.nudge.last")"; dp="$(cat "$tmp/digits.numpy.last")"
    echo "check: digits cost, first and last epoch: nudge $(field first_cost "$dn") → $(field last_cost "$dn"), numpy $(field first_cost "$dp") → $(field last_cost "$dp")"
    for g in "${centred[@]}"; do
        read -r h bs ep <<<"$g"
        dn="$(cat "$tmp/real$h.$bs.nudge.last")"; dp="$(cat "$tmp/real$h.$bs.numpy.last")"
        [ "$(field last_cost "$dn")" = "$(field last_cost "$dp")" ] && same="equal to 10 digits" || same="not equal to 10 digits"
        echo "check: centred H=$h batch $bs, last epoch's cost: nudge $(field last_cost "$dn"), numpy $(field last_cost "$dp") ($same)"
    done
fi
