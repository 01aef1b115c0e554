# Shared helpers for the tmux end-to-end tests: start nudge in a detached
# tmux session of a fixed size, type into it, and wait for text to appear.
# Each test gets its own tmux server socket and HOME, so tests never see
# each other or the user's history.

set -u
NUDGE=${1:?usage: $0 path/to/nudge}
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed: skipping"; exit 77; }

WORK=$(mktemp -d)
SOCK="$WORK/tmux.sock"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" TERM=xterm-256color LC_ALL=C.UTF-8
mkdir -p "$HOME"
# At the end: the server goes, and with it the panes' processes (SIGHUP);
# nudge then still writes its history, so the folder goes only once every
# process the panes ran (two levels down: bash -c, then nudge) has ended.
finish() {
    local pids="" p q
    for p in $(tmux -S "$SOCK" list-panes -a -F '#{pane_pid}' 2>/dev/null); do
        pids="$pids $p"
        for q in $(pgrep -P "$p" 2>/dev/null); do pids="$pids $q $(pgrep -P "$q" 2>/dev/null | tr '\n' ' ')"; done
    done
    tmux -S "$SOCK" kill-server >/dev/null 2>&1
    for _ in $(seq 100); do
        local alive=0
        for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.05
    done
    rm -rf "$WORK"
}
trap finish EXIT

t() { tmux -S "$SOCK" "$@"; }

start() {   # start [COLS ROWS] -- command...
    local cols=${COLS:-100} rows=${ROWS:-30}
    # Right after a kill-server the old server may still be going away
    # ("server exited unexpectedly"): try again for a few seconds.
    local i
    for i in $(seq 40); do
        t new-session -d -s main -x "$cols" -y "$rows" "$@" 2>/dev/null && break
        [ "$i" = 40 ] && { echo "FAIL: tmux would not start a session"; exit 1; }
        sleep 0.1
    done
    t set-option -t main remain-on-exit on >/dev/null
}

screen() { t capture-pane -p -t main; }

# Types literal text, then presses keys given after it (Enter, C-c, Tab...).
type_keys() {
    local text=$1; shift
    [ -n "$text" ] && t send-keys -t main -l "$text"
    [ $# -gt 0 ] && t send-keys -t main "$@"
    return 0
}

# Waits up to $2 seconds (default 15: a loaded machine, a sanitizer build)
# for a fixed string on the screen.
wait_for() {
    local want=$1 limit=${2:-15} i=0
    while [ "$i" -lt $((limit * 20)) ]; do
        screen | grep -qF -- "$want" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    echo "FAIL: waited ${limit}s for: $want"
    echo "---- screen ----"; screen; echo "----------------"
    exit 1
}

pane_dead() { [ "$(t display-message -p -t main '#{pane_dead}')" = 1 ]; }

pass() { echo "ok: $*"; }
