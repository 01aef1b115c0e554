#!/bin/bash
# control_chars.sh NUDGE - text from data or files reaches the terminal
# with its control characters shown as \xNN, never raw: a string holding
# ESC ] 0 ; ... BEL would retitle the window, ESC [ 2 J clear the screen.
# Checked: a script's statements echoed by -e, a value displayed, say,
# vars, error lines (the message, the source line, the script's own file
# name), plot titles and labels, and a lesson file's title, text, code,
# hints, mistakes and quiz.  print() writes its strings as they are, as
# Python's does; that is checked too, so the grep below is known to see
# the byte when it is there.
set -u
nudge=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-ctl.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_STATE_HOME="$work/state" LC_ALL=C.UTF-8 NO_COLOR=1
cd "$work" || exit 2
failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
esc=$'\033'
title=$'\033]0;pwned\007'

# no_raw WHAT FILE: FILE has no ESC, BEL or CSI (U+009B) byte.
no_raw() {
    if LC_ALL=C grep -q $'[\033\007]\|\xc2\x9b' "$2"; then
        fail "$1: a raw control character reached the output:"
        cat -v "$2" | LC_ALL=C grep -a $'\^\[\|\^G\|M-BM-\^\[' | head -n 5 | sed 's/^/    /'
    else
        pass "$1"
    fi
}

# A script with raw control characters in its strings and in an error line.
{
    printf 'x = "%s"\n' "$title"
    printf 'x\n'
    printf 'say x\n'
    printf 'vars\n'
    printf 'c = "a\xc2\x9b2Jb"\n'
    printf 'y = 1 / "%s"\n' "$title"
    printf 'int(x)\n'
    printf 'plot([1, 2, 3], title=x, xlabel=x, ylabel=x, labels=[x])\n'
} > ctl.nd
"$nudge" -e -k ctl.nd > out.txt 2>&1
no_raw "nudge -e: echo, display, say, vars, errors, plot" out.txt
grep -qF 'x = "\x1b]0;pwned\x07"' out.txt || fail "nudge -e: the echo does not show the escape: $(head -n 2 out.txt | cat -v)"

# A script whose own name holds ESC: it shows in its error lines.
cp ctl.nd "ctl${esc}[2J.nd"
"$nudge" -k "ctl${esc}[2J.nd" > out.txt 2>&1
no_raw "a script's file name in its error lines" out.txt
grep -qF 'ctl\x1b[2J.nd:6:' out.txt || fail "the script's name is not shown escaped: $(grep error out.txt | head -n 1 | cat -v)"

# Errors that quote a string or a file name.
for statement in 'load "a\x1b]0;p\x07.nd"' 'help("\x1b]0;p\x07")' 'raise ValueError("\x1b[2J")' \
                 'assert False, "\x1b[2J"' 'load_csv("\x1b[2J")' 'mlp(2, 2, 1, output="\x1b[2J")'; do
    "$nudge" -c "$statement" > out.txt 2>&1
    no_raw "the error of $statement" out.txt
done

# print() is raw, as in Python (documented in help print).
"$nudge" -c 'print("\x1b[0m")' > out.txt 2>&1
if LC_ALL=C grep -q "$esc" out.txt; then
    pass "print() writes its strings as they are"
else
    fail "print() no longer writes ESC: update this test and help print"
fi

# A lesson with control characters everywhere the tutor prints from it.
mkdir lessons
cat > lessons/01-ctl.md <<EOF
# Chapter 1 — Title $title here

Intro $title with \`code $title\`, [a link](http://x/$title) and **bold $title**.

    indented $title code

## Step $title one

Text $title of the step.

\`\`\`nudge
a = [3, 4]  # $title
\`\`\`

\`\`\`expect
a = [3, 4]
\`\`\`

\`\`\`hint
Hint $title.
\`\`\`

\`\`\`mistake
a = [4, 3]
---
Mistake $title.
\`\`\`

## Quiz $title

\`\`\`quiz
Question $title?
answer: 5
\`\`\`
EOF
printf 'hint\na = [4, 3]\nsolution\na = [3, 4]\n4\n5\n' | NUDGE_LESSONS="$work/lessons" "$nudge" --lesson 1 > out.txt 2>&1
no_raw "a lesson's title, text, code, hints, mistakes and quiz" out.txt
grep -qF 'Hint \x1b]0;pwned\x07.' out.txt || fail "the lesson's hint is not shown escaped: $(grep -a Hint out.txt | cat -v)"
NUDGE_LESSONS="$work/lessons" "$nudge" -c lessons > out.txt 2>&1
no_raw "the list of lessons" out.txt

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
exit 0
