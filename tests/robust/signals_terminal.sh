#!/bin/bash
# signals_terminal.sh NUDGE - for SIGTERM, SIGHUP and SIGQUIT: nudge at the
# prompt with a half-typed line is sent the signal; it ends (status 128 +
# signal, as by default) and leaves the terminal's settings (stty -a) as
# they were.  (SIGINT: tty_faults.sh.)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../tmux/lib.sh
. "$here/../tmux/lib.sh"

for sig in TERM HUP QUIT; do
    start sh -c "trap : INT; stty -a > '$WORK/before.$sig'; '$NUDGE'; s=\$?; stty -a > '$WORK/after.$sig'; echo DONE:\$s; sleep 600"
    wait_for ">>" 20
    type_keys "a = [1, 2"
    sleep 0.2
    kill -"$sig" "$(pgrep -P "$(t display-message -p -t main '#{pane_pid}')" | head -n 1)"
    wait_for "DONE:" 20
    if ! cmp -s "$WORK/before.$sig" "$WORK/after.$sig"; then
        echo "FAIL: SIG$sig at the prompt changed the terminal's settings:"
        diff "$WORK/before.$sig" "$WORK/after.$sig"
        exit 1
    fi
    pass "SIG$sig at the prompt: stty -a is as it was"
    t kill-session -t main
done
exit 0
