#!/bin/bash
# test_cli.sh NUDGE - the command line as a user meets it: --help, each
# kind of bad usage (status 2, a message that says what is wrong and points
# at --help), a script with arguments, -i staying at the prompt, --lesson
# without a terminal, and the files nudge cannot open (status 1 or 2 with
# the file named).
set -u
nudge=${1:?usage: $0 path/to/nudge}
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_STATE_HOME="$work/state"
mkdir -p "$HOME"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect STATUS PATTERN... -- ARGS...: runs nudge with ARGS (stdin empty),
# wants the exit status and every one of the extended regexes in stdout +
# stderr.
expect() {
    local want=$1 patterns=() pattern out status
    shift
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        patterns+=("$1")
        shift
    done
    shift
    out=$("$nudge" "$@" < /dev/null 2>&1)
    status=$?
    [ "$status" -eq "$want" ] || fail "nudge $*: status $status, expected $want: $out"
    for pattern in "${patterns[@]}"; do
        printf '%s\n' "$out" | grep -qE -- "$pattern" || fail "nudge $*: no /$pattern/ in: $out"
    done
}

expect 0 "^Usage: nudge \[OPTION\]" -- --help
expect 0 "--check-lessons" -- -h
# Bad usage: the message that says what is wrong, and the pointer to --help.
hint="^Try 'nudge --help' for more information\.$"
expect 2 "^nudge: unknown option '--frobnicate'$" "$hint" -- --frobnicate
expect 2 "option '-c' needs an argument" "$hint" -- -c
expect 2 "option '-i' needs an argument" "$hint" -- -i
expect 2 "--type=MS needs milliseconds from 0 to 2000, not 'fast'" "$hint" -- --type=fast -c '1'
expect 2 "--type=MS needs milliseconds" "$hint" -- --type=5000 -c '1'
expect 2 "--record needs a file name" "$hint" -- --record
expect 2 "--record needs a file name" "$hint" -- --record= -c '1'
expect 2 "--lesson needs a chapter number" "$hint" -- --lesson 0
expect 1 "there is no chapter 9" -- --lesson 9
expect 2 "--lesson needs a chapter number, as in --lesson 3" "$hint" -- --lesson=x
expect 2 "--lesson needs a chapter number" "$hint" -- --lesson
expect 2 "-c and a script file cannot be used together" "$hint" -- -c '1' "$work/a.nd"
expect 2 "one script at a time \('b.nd' is a second one\)" "$hint" -- -i "$work/a.nd" b.nd

# A script that cannot be read names itself.
expect 1 "nudge: .*missing\.nd" -- "$work/missing.nd"

# A script sees its arguments; -- ends the options.
printf 'nargs\narg1\narg2\n' > "$work/args.nd"
expect 0 'nargs = 2' -- "$work/args.nd" one -two
expect 0 'arg2 = "-two"' -- "$work/args.nd" one -two
printf 'arg1\n' > "$work/arg1.nd"
expect 0 'arg1 = "--x"' -- -- "$work/arg1.nd" --x

# -i runs the file, then reads statements (here from a pipe).
printf 'a = 20\n' > "$work/setup.nd"
out=$(printf 'a + 1\n' | "$nudge" -i "$work/setup.nd" 2>&1)
printf '%s\n' "$out" | grep -q "ans = 21" || fail "-i FILE did not stay for more statements: $out"

# -e echoes each statement with the prompt; --type=0 types it at once.
out=$("$nudge" -e "$work/setup.nd" 2>&1)
printf '%s\n' "$out" | grep -q ">> a = 20" || fail "-e did not echo the statement: $out"
out=$("$nudge" --type=0 "$work/setup.nd" 2>&1)
printf '%s\n' "$out" | grep -q ">> a = 20" || fail "--type=0 did not echo the statement: $out"

# -k keeps going after an error, and the status still says one failed.
printf 'nope\nb = 2\n' > "$work/err.nd"
out=$("$nudge" -k "$work/err.nd" 2>&1); status=$?
[ "$status" -eq 1 ] || fail "-k with an error: status $status, expected 1"
printf '%s\n' "$out" | grep -q "b = 2" || fail "-k did not run the statement after the error: $out"

# --lesson without a terminal plays the lesson from standard input.
out=$(printf 'quit\n' | "$nudge" --lesson 1 2>&1); status=$?
[ "$status" -eq 0 ] || fail "--lesson 1 from a pipe: status $status: $out"
# The chapter's title and its first step's, as the lesson file has them.
lesson=$(ls "$(dirname "$0")"/../../lessons/01-*.md)
title=$(sed -n 's/^# \(Chapter [0-9]* — \)\{0,1\}//p' "$lesson" | head -n 1)
first=$(sed -n 's/^## //p' "$lesson" | head -n 1)
printf '%s\n' "$out" | grep -qF "$title" || fail "--lesson 1 did not show the chapter's title '$title': $out"
printf '%s\n' "$out" | grep -qF "$first" || fail "--lesson 1 did not show the first step '$first': $out"

# --record into a folder that does not exist: a clear error, status 2.
expect 2 "nudge: .*nowhere" -- --record "$work/nowhere/x.cast" -c '1'

[ "$failures" -eq 0 ] && echo "ok: the command line"
exit $((failures > 0))
