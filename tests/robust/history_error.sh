#!/bin/bash
# history_error.sh NUDGE - with the history file's writes failing
# (ulimit -f 0, SIGXFSZ ignored), nudge says so once ("history: cannot
# write ...") and the session goes on.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../tmux/lib.sh
. "$here/../tmux/lib.sh"
mkdir -p "$XDG_STATE_HOME/nudge"
printf 'a = 1\n' > "$XDG_STATE_HOME/nudge/history"
start sh -c "trap '' XFSZ; ulimit -f 0; '$NUDGE'; echo DONE:\$?; sleep 600"
wait_for ">>" 20
type_keys "1 + 41" Enter
wait_for "ans = 42"
type_keys "quit" Enter
wait_for "DONE:0" 20
# The whole scrollback: a coverage build's runtime adds its own complaints
# about files it cannot write under the same limit.
if t capture-pane -p -S - -t main | grep -q "history.*cannot write"; then
    pass "a failing history file is reported"
    exit 0
fi
echo "FAIL: a failing history file is not reported:"
screen
exit 1
