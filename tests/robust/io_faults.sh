#!/bin/sh
# io_faults.sh NUDGE - save and the lesson progress file under I/O faults.
#
# Each fault must give a clear error (exit status 1 for save) and leave the
# file that was there before byte for byte as it was, with no temporary
# file left beside it:
#   - save into a directory that does not exist
#   - save into a read-only directory
#   - save onto /dev/full
#   - save interrupted half way: the file size limit (ulimit -f, with
#     SIGXFSZ ignored so that write() fails with EFBIG) stops the write of a
#     workspace larger than the limit
#   - the progress file written under the same limit, and in a read-only
#     state directory
#   - a corrupt progress file is reported and moved aside to
#     progress.corrupt, byte for byte, never silently reset
# The history file needs a terminal: tests/robust/tty_faults.sh.
#
# Tests run as root, where permission bits are ignored, so the read-only and
# /dev/full cases run as the user nobody (setpriv); without setpriv they are
# skipped with a message.  (save refuses device files whoever runs it:
# save_special_files.sh.)
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 path/to/nudge" >&2
    exit 2
fi
nudge=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-io.XXXXXX") || exit 2
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export HOME="$work/home" XDG_STATE_HOME="$work/state" LC_ALL=C.UTF-8
# The copy of the program made below is outside the build tree, so it does
# not look in the source tree for the lessons: name them.
NUDGE_LESSONS=$(cd "$(dirname "$0")/../../lessons" && pwd) || exit 2
export NUDGE_LESSONS
mkdir -p "$HOME"
cd "$work" || exit 2
failures=0

pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
sum() { cksum < "$1"; }

# Runs nudge -c "$1" with output in $out and status in $status.
run() {
    out=$("$nudge" -c "$1" 2>&1)
    status=$?
}

# expect_error WHAT WANT_TEXT: status 1 and the text in the output.
expect_error() {
    if [ "$status" -eq 1 ] && printf '%s\n' "$out" | grep -qF -- "$2"; then
        pass "$1"
    else
        fail "$1: status $status, expected 1 and '$2' in:"
        printf '%s\n' "$out" | sed 's/^/    /'
    fi
}

# expect_intact WHAT FILE SUM: the file still has checksum SUM and no
# temporary file was left beside it.
expect_intact() {
    if [ "$(sum "$2")" != "$3" ]; then
        fail "$1: $2 changed"
    elif ls "$2".tmp-* >/dev/null 2>&1; then
        fail "$1: a temporary file was left: $(ls "$2".tmp-*)"
    else
        pass "$1: the previous file is intact"
    fi
}

# As nobody when root (permission bits apply to nobody), else as is.
as_user=
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null 2>&1; then
        as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
        # nobody must reach the program and the work directory.
        mkdir -p "$work/bin"
        cp "$nudge" "$work/bin/nudge"
        chmod 755 "$work" "$work/bin" "$work/bin/nudge" "$HOME"
    fi
fi
run_limited() {   # run_limited STATEMENTS: nudge -c as the unprivileged user
    out=$(cd "$work" && $as_user env HOME="$HOME" XDG_STATE_HOME="$XDG_STATE_HOME" "$work/bin/nudge" -c "$1" 2>&1)
    status=$?
}
if [ -z "$as_user" ] && [ "$(id -u)" -ne 0 ]; then
    mkdir -p "$work/bin" && cp "$nudge" "$work/bin/nudge"
fi
unprivileged() { [ -n "$as_user" ] || [ "$(id -u)" -ne 0 ]; }

# --- save ------------------------------------------------------------------

run "x = 1; save $work/no/such/dir/ws.nd"
expect_error "save into a missing directory" "save: cannot write '$work/no/such/dir/ws.nd': No such file or directory"

if unprivileged; then
    mkdir ro
    run "x = 1; save ro/ws.nd"
    before=$(sum ro/ws.nd)
    chmod 555 ro
    run_limited "x = 2; save ro/ws.nd"
    expect_error "save into a read-only directory" "save: cannot write 'ro/ws.nd': Permission denied"
    expect_intact "save into a read-only directory" ro/ws.nd "$before"
    chmod 755 ro

    ls -l /dev/full > dev-full.before
    run_limited "x = 2; save /dev/full"
    expect_error "save onto /dev/full" "save: cannot write '/dev/full'"
    if [ -c /dev/full ] && ls -l /dev/full | cmp -s - dev-full.before; then
        pass "save onto /dev/full: /dev/full is still the device"
    else
        fail "save onto /dev/full: /dev/full changed: $(ls -l /dev/full)"
    fi
else
    echo "skip: save into a read-only directory and onto /dev/full: running as root without setpriv"
fi

# Interrupted half way: a 60x60 workspace is about 70 KiB; the limit is
# 16 KiB; the previous file is much smaller.
run "x = 1; save half.nd"
before=$(sum half.nd)
out=$(trap '' XFSZ; ulimit -f 32; "$nudge" -c "x = rand(60, 60); save half.nd" 2>&1)
status=$?
expect_error "save interrupted half way (file size limit)" "save: file size limit reached writing 'half.nd'; the old file is unchanged"
expect_intact "save interrupted half way" half.nd "$before"

# The same statement without the limit works, so the limit made the error.
run "x = rand(60, 60); save half.nd"
if [ "$status" -eq 0 ] && [ "$(sum half.nd)" != "$before" ]; then
    pass "save without the limit writes the file"
else
    fail "save without the limit: status $status: $out"
fi

# --- the progress file -----------------------------------------------------

progress=$XDG_STATE_HOME/nudge/progress
mkdir -p "$XDG_STATE_HOME/nudge"
printf '# nudge lesson progress: chapter, step to resume at, steps done\n1 2 2\n' > "$progress"
before=$(sum "$progress")
out=$(trap '' XFSZ; ulimit -f 0; "$nudge" -c "lesson 1
next" 2>&1)
if printf '%s\n' "$out" | grep -qF "progress: file size limit reached writing '$progress'; the old file is unchanged"; then
    pass "progress written under a file size limit: reported"
else
    fail "progress written under a file size limit: no error in:"
    printf '%s\n' "$out" | tail -n 5 | sed 's/^/    /'
fi
expect_intact "progress written under a file size limit" "$progress" "$before"

if unprivileged; then
    chmod 755 "$XDG_STATE_HOME" && chmod 555 "$XDG_STATE_HOME/nudge"
    run_limited "lesson 1
next"
    if printf '%s\n' "$out" | grep -qF "progress: cannot write '$progress': Permission denied"; then
        pass "progress in a read-only directory: reported"
    else
        fail "progress in a read-only directory: no error in:"
        printf '%s\n' "$out" | tail -n 5 | sed 's/^/    /'
    fi
    expect_intact "progress in a read-only directory" "$progress" "$before"
    chmod 755 "$XDG_STATE_HOME/nudge"
fi

printf 'this is not a progress file\n1 2\n' > "$progress"
before=$(sum "$progress")
run "lessons"
if printf '%s\n' "$out" | grep -qF "the file was moved to '$progress.corrupt'"; then
    pass "a corrupt progress file is reported"
else
    fail "a corrupt progress file is not reported: $out"
fi
if [ -f "$progress.corrupt" ] && [ "$(sum "$progress.corrupt")" = "$before" ]; then
    pass "a corrupt progress file is kept as progress.corrupt, byte for byte"
else
    fail "a corrupt progress file was not kept as progress.corrupt"
fi
if [ -f "$progress" ] && [ "$(sum "$progress")" = "$before" ]; then
    fail "a corrupt progress file was left in place"
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
exit 0
