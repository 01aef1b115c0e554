#!/bin/sh
# run_installed.sh STAGE BINDIR PKGDATADIR MANDIR EXPECTED - the checks of
# test_install.sh, run where the source and build trees cannot be seen.
# STAGE is the staged root (DESTDIR); BINDIR, PKGDATADIR and MANDIR are the
# configured install folders (absolute, as in /usr/local/share/nudge);
# EXPECTED holds copies of the golden demo transcripts (demo_NN.out).
# Every run has an environment of its own naming nothing but the installed
# copy.
set -u
stage=$1 bindir=$2 data=$1$3 mandir=$1$4 expected=$5
nudge=$stage$bindir/nudge
home=$(mktemp -d "${TMPDIR:-/tmp}/nudge-installed-home.XXXXXX") || exit 2
trap 'rm -rf "$home"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
run() { env -i PATH=/usr/bin:/bin HOME="$home" LC_ALL=C.UTF-8 TERM=dumb "$nudge" "$@"; }

[ -x "$nudge" ] || { echo "FAIL: no program at $nudge"; exit 1; }
out=$(run --version 2>&1) && pass "nudge --version: $out" || fail "nudge --version: $out"

# help names the installed folders, not the source tree's.
out=$(run -c help 2>&1)
for kind in lessons demos data; do
    printf '%s\n' "$out" | grep -qF " $data/$kind" || fail "help does not name $data/$kind:
$(printf '%s\n' "$out" | sed -n '/^Files/,$p')"
done
[ "$failures" -eq 0 ] && pass "help names the installed folders"

# Every lesson plays and checks from the installed copy.
out=$(run --check-lessons 2>&1) && pass "--check-lessons: $(printf '%s\n' "$out" | tail -n 1)" ||
    fail "--check-lessons from the installed copy:
$out"

# A lesson, typed from a pipe: the first step's check passes and the
# progress file says so.
first=$(ls "$data"/lessons/01-*.md)
step=$(sed -n 's/^## //p' "$first" | head -n 1)
out=$(printf 'a = [3, 4]\nquit\n' | run --lesson 1 2>&1)
printf '%s\n' "$out" | grep -qF "$step" || fail "--lesson 1 did not show its first step '$step': $out"
if grep -qE '^1 [0-9]+ 1$' "$home/.local/state/nudge/progress" 2>/dev/null; then
    pass "lesson 1 from the installed copy: step 1 done"
else
    fail "lesson 1: no step done in the progress file: $(cat "$home/.local/state/nudge/progress" 2>&1)"
fi

# Every demo prints what its golden transcript says, finding its data
# beside it.
for demo in "$data"/demos/*.nd; do
    n=$(basename "$demo" | cut -c1-2)
    want=$expected/demo_$n.out
    [ -f "$want" ] || { fail "no transcript demo_$n.out for $demo"; continue; }
    got=$(run --no-pause "$demo" < /dev/null 2>&1)
    if [ "$got" = "$(cat "$want")" ]; then
        pass "demo $(basename "$demo")"
    else
        fail "demo $(basename "$demo") differs from demo_$n.out:"
        printf '%s\n' "$got" | diff "$want" - | head -n 10
    fi
done

# load_csv on the shipped data sets: 150 irises of three kinds, 50 each
# (species 0 + 1 + 2 sum to 150), and 1797 digits of 64 pixels.
out=$(run -c "D = load_csv(\"$data/data/iris.csv\");
D.shape
sum(D[:, 4])
d = load_csv(\"$data/data/digits.csv\", label=-1);
d.X.shape
len(d.labels)" 2>&1)
want='ans = (150, 5)
ans = 150
ans = (1797, 64)
ans = 1797'
[ "$out" = "$want" ] && pass "load_csv reads the shipped iris.csv and digits.csv" ||
    fail "load_csv on the shipped data: got
$out
expected
$want"

# The manual page renders, with its sections.
page=$mandir/man1/nudge.1.gz
if [ ! -f "$page" ]; then
    fail "no manual page at $page"
elif command -v man >/dev/null 2>&1; then
    text=$(MANWIDTH=80 man -l "$page" 2>&1)
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS FILES ENVIRONMENT "EXIT STATUS" EXAMPLES; do
        printf '%s\n' "$text" | grep -q "^$section" || fail "the manual page has no $section section"
    done
    printf '%s\n' "$text" | grep -qF "$3/lessons" || fail "the manual page does not name $3/lessons"
    pass "man -l renders the manual page"
fi

[ "$failures" -eq 0 ] && echo "ok: the installed copy works on its own"
exit $((failures > 0))
