#!/bin/bash
# tty_faults.sh NUDGE - the prompt in a real terminal (tmux, through
# tests/tmux/lib.sh) under signals and a failing history file:
#   - Ctrl-C (SIGINT) at the prompt abandons the line; after `quit` the
#     terminal's settings (stty -a) are as they were before nudge started;
#   - SIGINT sent with kill while a statement is half typed does the same;
#   - with the history file's writes failing (ulimit -f 0, SIGXFSZ ignored)
#     the session goes on and the history file is byte for byte intact.
# SIGTERM, SIGHUP and SIGQUIT at the prompt: signals_terminal.sh.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../tmux/lib.sh
. "$here/../tmux/lib.sh"

# Starts nudge under sh in the pane: stty -a goes to $WORK/before.NAME, and
# to $WORK/after.NAME once nudge has exited, then DONE:status is shown.
# Extra shell commands (ulimit) may come before nudge in $PRE.
start_wrapped() {
    local name=$1
    # The shell traps SIGINT (a Ctrl-C reaches its whole process group), so
    # that it outlives nudge; nudge starts with the default disposition.
    start sh -c "trap : INT; ${PRE:-} stty -a > '$WORK/before.$name'; '$NUDGE'; s=\$?; stty -a > '$WORK/after.$name'; echo DONE:\$s; sleep 600"
}

stty_same() {
    local name=$1
    local i=0
    while [ ! -s "$WORK/after.$name" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    if cmp -s "$WORK/before.$name" "$WORK/after.$name"; then
        pass "$name: stty -a is as it was"
    else
        echo "FAIL: $name: the terminal's settings changed:"
        diff "$WORK/before.$name" "$WORK/after.$name"
        exit 1
    fi
}

nudge_pid() {
    pgrep -P "$(t display-message -p -t main '#{pane_pid}')" | head -n 1
}

# --- Ctrl-C typed at the prompt -----------------------------------------------
start_wrapped ctrl-c
wait_for ">>" 20
type_keys "a = [1, 2" C-c
wait_for "^C"
type_keys "b = 5" Enter
wait_for "b = 5"
type_keys "quit" Enter
wait_for "DONE:0" 20
stty_same ctrl-c
t kill-session -t main

# --- SIGINT sent with kill, mid-line ---------------------------------------
start_wrapped sigint
wait_for ">>" 20
type_keys "a = [1, 2"
sleep 0.2
kill -INT "$(nudge_pid)"
wait_for "^C"
type_keys "c = 7" Enter
wait_for "c = 7"
type_keys "quit" Enter
wait_for "DONE:0" 20
stty_same sigint
t kill-session -t main

# --- the history file cannot be written ------------------------------------
mkdir -p "$XDG_STATE_HOME/nudge"
printf 'a = 1\nb = [1, 2]\n' > "$XDG_STATE_HOME/nudge/history"
before=$(cksum < "$XDG_STATE_HOME/nudge/history")
PRE="trap '' XFSZ; ulimit -f 0;" start_wrapped history
wait_for ">>" 20
type_keys "1 + 41" Enter
wait_for "ans = 42"
type_keys "quit" Enter
wait_for "DONE:0" 20
if [ "$(cksum < "$XDG_STATE_HOME/nudge/history")" = "$before" ]; then
    pass "history: a failing write leaves the history file intact"
else
    echo "FAIL: history: the history file changed:"
    cat "$XDG_STATE_HOME/nudge/history"
    exit 1
fi
stty_same history
t kill-session -t main
exit 0
