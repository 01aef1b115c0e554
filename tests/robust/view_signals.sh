#!/bin/bash
# view_signals.sh NUDGE - the live view and the signals that end a process
# (issue 18), in tmux:
#   - SIGQUIT, SIGABRT, SIGSEGV and SIGUSR1 while the dashboard is up end
#     nudge as they would (status 128 + signal) but first leave the
#     alternate screen, show the cursor and put back the line settings;
#   - q during one long epoch of mini-batches returns to the prompt within
#     two seconds, not at the epoch's end.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../tmux/lib.sh
. "$here/../tmux/lib.sh"

fail() { echo "FAIL: $*"; echo "---- screen ----"; screen; echo "----------------"; exit 1; }
nudge_pid() { pgrep -P "$(pgrep -P "$(t display-message -p -t main '#{pane_pid}')" | head -n 1)" 2>/dev/null \
              || pgrep -P "$(t display-message -p -t main '#{pane_pid}')" | head -n 1; }

watch_net='net = mlp(3, 4, 1, seed=1); x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]]
watch train(net, x, y, epochs=1000000, lr=1)'
printf '%s\n' "$watch_net" > "$WORK/watch.nd"

for sig in QUIT ABRT SEGV USR1; do
    start bash --norc --noprofile -c "trap : INT; stty -a > '$WORK/before'; '$NUDGE' -i '$WORK/watch.nd'; s=\$?; stty -a > '$WORK/after'; echo DONE:\$s; exec sleep 600"
    wait_for "running" 30
    [ "$(t display-message -p -t main '#{alternate_on}')" = 1 ] || fail "the view did not open the alternate screen"
    pid=$(pgrep -f "^$NUDGE -i $WORK/watch.nd" | head -n 1)
    [ -n "$pid" ] || fail "no nudge process to signal"
    kill -"$sig" "$pid"
    wait_for "DONE:" 20
    num=$(kill -l "$sig")
    # Under ASan a SIGSEGV goes on to the sanitizer's report, which exits 1.
    screen | grep -q "DONE:$((128 + num))" || { screen | grep -q "Sanitizer" && screen | grep -q "DONE:1"; } \
        || fail "SIG$sig: status is not $((128 + num))"
    [ "$(t display-message -p -t main '#{alternate_on}')" = 0 ] || fail "SIG$sig left the terminal in the alternate screen"
    [ "$(t display-message -p -t main '#{cursor_flag}')" = 1 ] || fail "SIG$sig left the cursor hidden"
    cmp -s "$WORK/before" "$WORK/after" || { diff "$WORK/before" "$WORK/after"; fail "SIG$sig changed stty -a"; }
    pass "SIG$sig in the live view: terminal restored, status $((128 + num))"
    t kill-session -t main
done

# One epoch of 200 batches takes seconds (far longer under ASan); q is
# looked at between batches.
# Under a sanitizer the epoch takes minutes: that part is for the build
# users run.
if ldd "$NUDGE" 2>/dev/null | grep -q 'libasan\|libtsan\|libubsan'; then
    echo "SKIP: q during a long epoch (a sanitizer build is too slow for it)"
    exit 0
fi
cat > "$WORK/long.nd" <<'NDEOF'
seed(0); X = rand(20000, 400); Y = rand(20000, 10); net = mlp(400, 800, 10, seed=1);
watch train(net, X, Y, epochs=3, lr=0.01, batch=100, speed="max")
NDEOF
start bash --norc --noprofile -c "'$NUDGE' -i '$WORK/long.nd'; echo DONE:\$?; exec sleep 600"
# The first frame comes after the first epoch; q is pressed early in the
# second, which would otherwise run to its end (seconds).
wait_for "epoch 1/3" 300
type_keys "q"
t0=$(date +%s%N)
for _ in $(seq 200); do
    screen | grep -q "^>> *$" && break
    sleep 0.05
done
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
screen | grep -q "^>> *$" || fail "q during a long epoch: no prompt after ${ms} ms"
[ "$ms" -lt 2000 ] || fail "q during a long epoch took ${ms} ms to return"
pass "q during a long epoch: back at the prompt in ${ms} ms"
exit 0
