#!/bin/sh
# seeds.sh TARGET DIR - fills DIR with a seed corpus for a fuzz target, made
# from what the repository already holds, plus the checked-in seeds/TARGET:
#   interp  the golden transcripts and the Python parity programs cut into
#           chunks of at most 4 KiB at blank lines, and the nudge blocks of
#           every lesson
#   lesson  every lesson file and lessons/README.md
#   csv     the golden transcripts' CSV files, iris.csv and a few slices of
#           digits.csv (the whole 260 KB file is too slow to mutate)
#   load    the golden scripts under tests/golden/data
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 interp|lesson|csv|load DIR" >&2
    exit 2
fi
target=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
mkdir -p "$out"

case $target in
interp)
    for f in "$src"/tests/golden/*.nd "$src"/tests/golden/*.stdin; do
        [ -f "$f" ] || continue
        # Paragraphs packed into pieces of at most 4000 bytes.
        awk -v base="$out/golden-$(basename "$f")" '
            function flush() { if (buf != "") { n++; printf "%s", buf > (base "-" n); close(base "-" n); buf = "" } }
            /^[ \t]*$/ { if (length(buf) + length(par) > 4000) flush(); buf = buf par "\n"; par = ""; next }
            { par = par $0 "\n" }
            END { if (length(buf) + length(par) > 4000) flush(); buf = buf par; flush() }
        ' "$f"
    done
    # The Python parity programs, cut the same way.
    for f in "$src"/tests/python/*.py; do
        [ -f "$f" ] || continue
        awk -v base="$out/python-$(basename "$f" .py)" '
            function flush() { if (buf != "") { n++; printf "%s", buf > (base "-" n); close(base "-" n); buf = "" } }
            /^[ \t]*$/ { if (length(buf) + length(par) > 4000) flush(); buf = buf par "\n"; par = ""; next }
            { par = par $0 "\n" }
            END { if (length(buf) + length(par) > 4000) flush(); buf = buf par; flush() }
        ' "$f"
    done
    for f in "$src"/lessons/*.md; do
        awk -v base="$out/lesson-$(basename "$f" .md)" '
            /^```nudge/ { on = 1; n++; next }
            /^```/ { if (on) close(base "-" n); on = 0; next }
            on { print > (base "-" n) }
        ' "$f"
    done
    # Drop pieces larger than the harness takes.
    find "$out" -type f -size +4096c -delete
    ;;
lesson)
    cp "$src"/lessons/*.md "$out"/
    ;;
csv)
    cp "$src"/tests/golden/data/*.csv "$out"/ 2>/dev/null || true
    data=$src/assets/data
    [ -d "$data" ] || data=/work/shared/data
    if [ -f "$data/iris.csv" ]; then
        cp "$data/iris.csv" "$out"/iris.csv
    fi
    if [ -f "$data/digits.csv" ]; then
        head -n 5 "$data/digits.csv" > "$out"/digits-head5.csv
        sed -n '100,102p' "$data/digits.csv" > "$out"/digits-3rows.csv
        head -n 2 "$data/digits.csv" | cut -d, -f1-16 > "$out"/digits-narrow.csv
    fi
    ;;
load)
    cp "$src"/tests/golden/data/*.nd "$out"/ 2>/dev/null || true
    ;;
*)
    echo "$0: unknown target '$target'" >&2
    exit 2
    ;;
esac
if [ -d "$here/seeds/$target" ]; then
    for f in "$here/seeds/$target"/*; do
        [ -f "$f" ] && cp "$f" "$out"/
    done
fi
echo "seeds.sh: $(find "$out" -type f | wc -l) seeds for $target in $out"
