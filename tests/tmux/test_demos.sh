#!/bin/bash
# test_demos.sh NUDGE - every demo of assets/demos run as an instructor runs
# it in class: in a terminal, from the demo folder, with -e --type (typed
# out, here at 1 ms a key), stopping at each pause.  The test presses Enter
# only when the pause's message is the last thing on the screen, answers
# the live view's "any key" at the end of a watch, and checks that the demo
# stopped at every pause of its script, opened the view for every watch,
# printed no error and ended with status 0.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
demos=$(cd "$here/../../assets/demos" && pwd)

last_line() { screen | grep -v '^[[:space:]]*$' | tail -1; }

for demo in "$demos"/*.nd; do
    name=$(basename "$demo")
    want_pauses=$(grep -c '^pause' "$demo")
    want_watches=$(grep -c '^\(.*; *\)\?watch ' "$demo")
    t kill-server 2>/dev/null
    SOCK="$WORK/tmux.${name%.nd}.sock"      # a server of its own per demo
    COLS=120 ROWS=40 start bash --norc --noprofile -c \
        "cd '$demos' && '$NUDGE' -e --type=1 '$name'; echo DEMO-END:\$?; exec sleep 600"
    pauses=0 views=0 i=0 ended=0
    while [ "$i" -lt 1200 ]; do        # 60 s at most
        text=$(screen 2>&1) || { echo "FAIL: $name: the terminal went away: $text" | head -5; exit 1; }
        if printf '%s\n' "$text" | grep -q '^DEMO-END:'; then
            ended=1
            break
        fi
        if printf '%s\n' "$text" | grep -q 'any key back to the prompt'; then
            # The end of a watch: one key back to the prompt, once.
            views=$((views + 1))
            type_keys "x"
            for _ in $(seq 40); do
                screen | grep -q 'any key back to the prompt' || break
                sleep 0.05
            done
        elif printf '%s\n' "$text" | grep -q 'q quit'; then
            :       # training in the view
        else
            line=$(last_line)
            # backprop waits between nodes.
            if [ "$line" = "(Enter: the next node, q: stop)" ]; then
                type_keys "" Enter
                sleep 0.1
                continue
            fi
            # At a pause the script's message is the last line, after the
            # echoed statement, and says how to go on; the prompt is not there.
            if grep -q '^pause' "$demo" && [ "${line#>> }" = "$line" ] \
                && grep '^pause' "$demo" | sed 's/^pause *"\(.*\)".*/\1 (press Enter)/' | grep -qxF -- "$(printf '%s' "$line" | sed 's/ *$//')"; then
                sleep 0.1
                if [ "$(last_line)" = "$line" ]; then
                    pauses=$((pauses + 1))
                    type_keys "" Enter
                    sleep 0.2
                fi
            fi
        fi
        sleep 0.05
        i=$((i + 1))
    done
    [ "$ended" = 1 ] || { echo "FAIL: $name did not end within 60 s"; screen | tail -30; exit 1; }
    status=$(screen | sed -n 's/^DEMO-END:\([0-9]*\).*/\1/p')
    [ "$status" = 0 ] || { echo "FAIL: $name ended with status $status"; screen | tail -30; exit 1; }
    t capture-pane -p -S - -t main | grep -q 'error:' && { echo "FAIL: $name printed an error"; t capture-pane -p -S - -t main | grep -B5 -A3 'error:' | head -30; exit 1; }
    [ "$pauses" = "$want_pauses" ] || { echo "FAIL: $name stopped at $pauses pauses of $want_pauses"; exit 1; }
    [ "$views" = "$want_watches" ] || { echo "FAIL: $name showed the live view's end $views times for $want_watches watch statements"; exit 1; }
    pass "$name: $pauses pause(s), $views live view(s), status 0"
done
