#!/usr/bin/env bash
# make_screenshot.sh [NUDGE] [OUT.png] - the README's picture of the live
# view, made from the real program: nudge runs in a detached tmux pane, the
# chapter-7 network trains for a moment and is paused, and the pane (with
# its colours: capture-pane -e) goes through aha to HTML and through
# headless chromium to a PNG.
#
# Needs tmux, aha and chromium (apt-get install tmux aha chromium).
# Defaults: NUDGE=build/nudge, OUT=assets/live-view.png, from the repository
# root.  COLS and ROWS set the terminal size (default 140 x 40); SCENE=and
# shows the perceptron on AND instead.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
nudge=${1:-$root/build/nudge}
out=${2:-$root/assets/live-view.png}
cols=${COLS:-140}
rows=${ROWS:-40}
scene=${SCENE:-ch7}

for tool in tmux aha; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "$0: chromium is missing (apt-get install chromium)" >&2; exit 1; }
[ -x "$nudge" ] || { echo "$0: no program at $nudge (build it first)" >&2; exit 1; }

work=$(mktemp -d)
sock="$work/tmux.sock"
trap 'tmux -S "$sock" kill-server >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export HOME="$work/home" XDG_STATE_HOME="$work/state" TERM=xterm-256color LC_ALL=C.UTF-8
unset NO_COLOR
mkdir -p "$HOME"

t() { tmux -S "$sock" "$@"; }
wait_for() {
    for _ in $(seq 200); do
        t capture-pane -p -t shot | grep -qF -- "$1" && return 0
        sleep 0.05
    done
    echo "$0: waited 10s for: $1" >&2
    t capture-pane -p -t shot >&2
    exit 1
}

t -f /dev/null new-session -d -s shot -x "$cols" -y "$rows" "$nudge"
t set-option -t shot status off >/dev/null
wait_for ">>"
if [ "$scene" = and ]; then
    t send-keys -t shot -l 'X = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; p = perceptron(3);'
    t send-keys -t shot Enter
    t send-keys -t shot -l 'watch train(p, X, [0, 0, 0, 1], epochs=50, speed=2)'
    t send-keys -t shot Enter
    wait_for "epoch  3/50"
else
    t send-keys -t shot -l 'x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]]; net = mlp(3, 4, 1, seed=1);'
    t send-keys -t shot Enter
    t send-keys -t shot -l 'watch train(net, x, y, epochs=1000, lr=1)'
    t send-keys -t shot Enter
    wait_for "epoch  6"     # the boundary has formed, the loss is falling
fi
t send-keys -t shot ' '
wait_for "paused"
sleep 0.2
t capture-pane -e -p -t shot > "$work/screen.ansi"
t send-keys -t shot q

# The page: aha's coloured spans inside a black terminal-like frame.  Line
# height 1.0 (with DejaVu Sans Mono) lets box and block characters join up.
{
    cat <<'HTML'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #101214; }
pre { margin: 0; padding: 14px 16px; color: #d0d0d0; background: #101214;
      font-family: 'DejaVu Sans Mono', monospace; font-size: 15px; line-height: 1.0; }
pre span { line-height: 1.0; }
</style></head><body><pre>
HTML
    aha --no-header < "$work/screen.ansi"
    echo '</pre></body></html>'
} > "$work/screen.html"

# The window: one character is about 9 x 15 pixels at this font size.
width=$((cols * 9 + 40))
height=$((rows * 15 + 36))
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/chromium" \
    --hide-scrollbars --window-size="$width,$height" --screenshot="$out" "file://$work/screen.html" \
    >/dev/null 2>&1
[ -s "$out" ] || { echo "$0: chromium made no screenshot" >&2; exit 1; }
echo "wrote $out (${cols}x${rows} terminal, ${width}x${height} pixels)"
