#!/bin/sh
# save_models.sh NUDGE - every kind of model saves and loads back whole:
# a perceptron, chapter 7's net, and deeper nets with each activation,
# output and bias.  The loaded workspace must print exactly what the saved
# one printed (format long shows every bit), in a fresh process.
set -u
nudge=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/nudge-models.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
cat > make.nd <<'ND'
format long
p = perceptron(w=[0.5, -1.5, 0.25], lr=0.1);
net7 = mlp(3, 4, 1, seed=1);
deep = mlp(2, 5, 4, 3, hidden="relu", output="softmax", bias=1, seed=2);
tall = mlp(4, 3, 3, 3, 3, 1, hidden="tanh", output="linear", seed=3);
X = [[0, 1], [1, 0], [1, 1]]; y = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
train(deep, X, y, epochs=5, lr=0.5);
save ws.nd
ND
cat > show.nd <<'ND'
format long
p
net7
deep
tall
[len(deep.W), len(deep.b), len(tall.W)]
forward(tall, [[1, 2, 3, 4]])
ND
"$nudge" make.nd > make.out 2>&1 || { echo "FAIL: making the models failed:"; cat make.out; exit 1; }
printf 'load ws.nd\n' | cat - show.nd > after.nd
{ cat make.nd | sed '/^save /d'; cat show.nd; } > before.nd
"$nudge" before.nd 2>&1 | grep -v '^trained ' > before.out
"$nudge" after.nd 2>&1 | grep -v '^loaded ' > after.out
if ! grep -q 'W5 (3, 1)' before.out; then
    echo "FAIL: the five-layer net does not show its W5:"
    sed 's/^/    /' before.out | head -40
    exit 1
fi
if cmp -s before.out after.out; then
    echo "ok: a perceptron and nets of depth 2, 3 and 5 save and load back bit for bit"
    exit 0
fi
echo "FAIL: the loaded models differ from the saved ones:"
diff before.out after.out | head -40 | sed 's/^/    /'
exit 1
