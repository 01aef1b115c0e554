#!/bin/sh
# train_cost_went_up.sh NUDGE - the chapter-7 net at lr = 1000 never goes
# non-finite (its sigmoid saturates, the cost ends at 1, up from 0.6559),
# so it never stops early; the summary still suggests a smaller lr.
out=$("$1" -c 'x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]];
net = mlp(3, 4, 1, seed=1); train(net, x, y, epochs=1000, lr=1000)' 2>&1)
if printf '%s\n' "$out" | grep -q "smaller lr"; then
    echo "ok: a rising cost suggests a smaller lr"
    exit 0
fi
echo "FAIL: a rising cost says nothing: $out"
exit 1
