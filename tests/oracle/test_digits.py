"""The digits demo (assets/demos/09-digits.nd) against numpy.

Usage: python3 test_digits.py NUDGE

Runs the demo as a class would see it unattended, and the same training
through train() to read every epoch's numbers at full precision; then the
same run in numpy twice: as a numpy user would write it (BLAS products,
numpy's exp and log), which must reach the same held-out accuracy and the
same losses to rounding, and with nudge's order of operations
(nudge_ref.py's exact mode), which must agree to a relative 1e-12.  The run
must also train smoothly: every epoch's loss below the one before, the first
below the cost before training.  Exits 77 (skipped) when numpy is missing.
"""
import os
import re
import subprocess
import sys

try:
    import numpy as np
except ImportError:
    print("skipped: numpy is not installed for %s" % sys.executable)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import nudge_ref as R  # noqa: E402
import oracle  # noqa: E402

TOP = os.path.dirname(os.path.dirname(HERE))
DEMO = os.path.join(TOP, "assets", "demos", "09-digits.nd")
CSV = os.path.join(TOP, "assets", "data", "digits.csv")
EPOCHS, LR, BATCH, TRAIN = 100, 0.5, 32, 1500

# The demo's statements up to its training, with train() in place of watch.
SCRIPT = """
d = load_csv("%s", label=-1);
X = d.X / 16;
X = X - mean(split(X, %d).train, axis=0);
Y = onehot(d.labels, 10);
sx = split(X, %d); sy = split(Y, %d); sl = split(d.labels, %d);
net = mlp(64, 32, 10, seed=1, bias=1, output="softmax");
seed(0); r = train(net, sx.train, sy.train, epochs=%d, lr=%r, batch=%d);
L = r.loss; A = r.accuracy; C = r.cost; S = r.steps;
T = accuracy(net, sx.test, sl.test);
clear d
clear X
clear Y
clear sx
clear sy
clear sl
""" % (CSV, TRAIN, TRAIN, TRAIN, TRAIN, EPOCHS, LR, BATCH)


def numpy_run(exact):
    D = np.loadtxt(CSV, delimiter=",")
    labels = D[:, 64]
    X = D[:, :64] / 16
    X = X - (np.cumsum(X[:TRAIN], axis=0)[-1] / TRAIN if exact else X[:TRAIN].mean(axis=0))
    Y = (labels[:, None] == np.arange(10)).astype(float)
    net = R.Net([64, 32, 10], output="softmax", bias=True, seed=1)
    h = R.train(net, X[:TRAIN], Y[:TRAIN], EPOCHS, R.Optimizer(net, "sgd", LR), batch=BATCH, mean=True,
                exact=exact, shuffle=np.random.RandomState(0))
    predicted = R.predict_classes(R.Ops(exact), net, X[TRAIN:])
    h["test"] = float(np.mean(predicted == labels[TRAIN:]))
    return h


def main():
    nudge = sys.argv[1]
    failures = []

    def check(ok, what):
        print("%s %s" % ("ok  " if ok else "FAIL", what))
        if not ok:
            failures.append(what)

    got, _ = oracle.run(nudge, SCRIPT, ["net", "r"])
    demo = subprocess.run([nudge, "--no-pause", DEMO], capture_output=True, text=True,
                          env=dict(os.environ, LC_ALL="C.UTF-8"))
    check(demo.returncode == 0, "the demo runs (status %d)" % demo.returncode)
    lines = re.findall(r"^epoch (\d+)/%d  loss (\S+)  acc (\S+)%%$" % EPOCHS, demo.stdout, re.M)
    answers = re.findall(r"^ans = (\S+)$", demo.stdout, re.M)

    plain, exact = numpy_run(False), numpy_run(True)
    L = got["L"]
    print("nudge:        cost %.6f before training, %.6f after epoch 1, %.6f after epoch %d; held-out accuracy %.4f"
          % (exact["first"], L[0], L[-1], EPOCHS, got["T"]))
    print("numpy (BLAS): cost %.6f before training, %.6f after epoch 1, %.6f after epoch %d; held-out accuracy %.4f"
          % (plain["first"], plain["loss"][0], plain["loss"][-1], EPOCHS, plain["test"]))

    check(L[0] < exact["first"] and all(b < a for a, b in zip(L, L[1:])),
          "the loss falls in every epoch, the first included")
    check(got["T"] == plain["test"] == exact["test"],
          "the held-out accuracy is numpy's: %.4f (BLAS %.4f, nudge's order %.4f)"
          % (got["T"], plain["test"], exact["test"]))
    d_plain = max(oracle.rel_diff(L, plain["loss"]), oracle.rel_diff(got["A"], plain["accuracy"]))
    check(d_plain <= 1e-9, "numpy with BLAS: losses and accuracies agree to a relative %.3g" % d_plain)
    d_exact = max(oracle.rel_diff(L, exact["loss"]), oracle.rel_diff(got["A"], exact["accuracy"]),
                  oracle.rel_diff(got["C"], exact["loss"][-1]))
    check(d_exact <= 1e-12, "numpy in nudge's order: losses, accuracies and cost agree to a relative %.3g" % d_exact)
    check(got["S"] == EPOCHS * ((TRAIN + BATCH - 1) // BATCH), "%d steps" % got["S"])

    # What the class sees: the demo's progress lines and its last answer.
    check(len(lines) == 10, "the demo prints ten progress lines")
    for epoch, loss, acc in lines:
        k = int(epoch) - 1
        want_acc = int(exact["accuracy"][k] * 1000) / 10
        ok = abs(float(loss) - exact["loss"][k]) <= 5e-5 * max(1.0, exact["loss"][k]) + 1e-12 \
            and abs(float(acc) - want_acc) < 1e-9
        if not ok:
            check(False, "epoch %s: the demo printed loss %s acc %s%%, numpy has %.6f and %.1f%%"
                  % (epoch, loss, acc, exact["loss"][k], want_acc))
    check(bool(answers) and abs(float(answers[-1]) - plain["test"]) < 5e-5,
          "the demo's last answer, %s, is the held-out accuracy" % (answers[-1] if answers else "missing"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
