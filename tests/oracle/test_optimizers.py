"""train()'s optimisers, reductions and records against a numpy reference.

Usage: python3 test_optimizers.py NUDGE

Each case trains a net in nudge (through the language: mlp(), train(),
forward(), backward()) and the same net in nudge_ref.py, a numpy model
written from the formulas and PyTorch's documented update rules, with sums
in ascending order and glibc's exp, log and tanh.  Every recorded series
(loss, accuracy, val_loss, val_accuracy, lr), the step count, the weights,
the outputs and the top layer's gradient must agree to a relative 1e-12.
Exits 77 (skipped) when numpy is missing.
"""
import os
import sys

try:
    import numpy as np
except ImportError:
    print("skipped: numpy is not installed for %s" % sys.executable)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nudge_ref as R  # noqa: E402
import oracle  # noqa: E402

TOL = 1e-12

CH7_X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
CH7_Y = np.array([[0], [1], [1], [0]], dtype=float)


def blobs(n, seed):
    """n points in 4-D around three centres, their one-hot classes."""
    rs = np.random.RandomState(seed)
    labels = rs.randint(0, 3, n)
    centres = np.array([[0, 0, 1, 0], [1, 0, 0, 1], [0, 1, 1, 1]], dtype=float)
    X = centres[labels] + 0.4 * rs.standard_normal((n, 4))
    return X, np.eye(3)[labels]


BX, BY = blobs(60, 7)
VX, VY = blobs(20, 8)
SX = np.linspace(-1, 1, 30).reshape(-1, 1)
SY = SX ** 2

# name, net (sizes, hidden, output, bias, seed), data, train options, numpy
# optimiser settings.  Options are nudge keywords; lr is always given except
# where the case checks an optimiser's default.
CASES = [
    ("chapter 7, plain descent", ([3, 4, 1], "sigmoid", "sigmoid", False, 1), "ch7",
     dict(epochs=300, lr=1), dict(kind="sgd", lr=1.0)),
    ("chapter 7, momentum at its default lr", ([3, 4, 1], "sigmoid", "sigmoid", False, 1), "ch7",
     dict(epochs=300, optimizer="momentum"), dict(kind="momentum", lr=0.1)),
    ("chapter 7, RMSprop at its default lr", ([3, 4, 1], "sigmoid", "sigmoid", False, 1), "ch7",
     dict(epochs=300, optimizer="rmsprop"), dict(kind="rmsprop", lr=0.01)),
    ("chapter 7, Adam", ([3, 4, 1], "sigmoid", "sigmoid", False, 1), "ch7",
     dict(epochs=300, optimizer="adam", lr=0.01), dict(kind="adam", lr=0.01)),
    ("chapter 7 deeper, averaged full batch, Adam", ([3, 5, 4, 1], "sigmoid", "sigmoid", False, 4), "ch7",
     dict(epochs=200, optimizer="adam", lr=0.05, reduction="mean"), dict(kind="adam", lr=0.05, mean=True)),
    ("tanh 4-6-5-3 softmax, batches of 8, plain descent", ([4, 6, 5, 3], "tanh", "softmax", True, 2), "blobs",
     dict(epochs=25, lr=0.5, batch=8), dict(kind="sgd", lr=0.5, batch=8, mean=True)),
    ("tanh 4-6-5-3 softmax, batches of 8, momentum 0.8", ([4, 6, 5, 3], "tanh", "softmax", True, 2), "blobs",
     dict(epochs=25, lr=0.05, batch=8, optimizer="momentum", momentum=0.8),
     dict(kind="momentum", lr=0.05, momentum=0.8, batch=8, mean=True)),
    ("tanh 4-6-5-3 softmax, batches of 8, RMSprop alpha 0.9", ([4, 6, 5, 3], "tanh", "softmax", True, 2), "blobs",
     dict(epochs=25, lr=0.005, batch=8, optimizer="rmsprop", alpha=0.9, eps=1e-6),
     dict(kind="rmsprop", lr=0.005, alpha=0.9, eps=1e-6, batch=8, mean=True)),
    ("tanh 4-6-5-3 softmax, batches of 8, Adam 0.8/0.99", ([4, 6, 5, 3], "tanh", "softmax", True, 2), "blobs",
     dict(epochs=25, lr=0.01, batch=8, optimizer="adam", beta1=0.8, beta2=0.99, eps=1e-7),
     dict(kind="adam", lr=0.01, beta1=0.8, beta2=0.99, eps=1e-7, batch=8, mean=True)),
    ("relu 1-8-8-1 linear, summed batches of 5, momentum", ([1, 8, 8, 1], "relu", "linear", True, 3), "square",
     dict(epochs=40, lr=0.002, batch=5, reduction="sum", optimizer="momentum"),
     dict(kind="momentum", lr=0.002, batch=5, mean=False)),
    ("relu 4-7-3 softmax, batches of 16, Adam", ([4, 7, 3], "relu", "softmax", True, 5), "blobs",
     dict(epochs=30, lr=0.02, batch=16, optimizer="adam"), dict(kind="adam", lr=0.02, batch=16, mean=True)),
]


def nudge_script(net, data, opts):
    sizes, hidden, output, bias, seed = net
    X, Y = data[0], data[1]
    lines = ["X = %s;" % oracle.matrix(X), "Y = %s;" % oracle.matrix(Y)]
    if len(data) > 2:
        lines.append("XV = %s; YV = %s;" % (oracle.matrix(data[2]), oracle.matrix(data[3])))
    lines.append("XS = X[0:5]; YS = Y[0:5];")
    lines.append('net = mlp(%s, hidden="%s", output="%s", bias=%d, seed=%d);'
                 % (", ".join(map(str, sizes)), hidden, output, bias, seed))
    kw = ", ".join("%s=%s" % (k, '"%s"' % v if isinstance(v, str) else repr(v)) for k, v in opts.items())
    if len(data) > 2:
        kw += ", val_x=XV, val_y=YV"
    lines.append("seed(0); r = train(net, X, Y, %s);" % kw)
    L = len(sizes) - 1
    lines.append("L = r.loss; LR = r.lr; S = r.steps; E = r.epochs; C = r.cost;")
    lines.append("W1 = net.W1; W2 = net.W2; O = forward(net, X);")
    if bias:
        lines.append("b1 = net.b1; b2 = net.b2;")
    lines.append("g = backward(net, XS, YS); GW = g.dW%d;" % L)
    if bias:
        lines.append("GB = g.db%d;" % L)
    if R.classes(R.Net(sizes, seed=seed), Y):
        lines.append("A = r.accuracy;")
    if len(data) > 2:
        lines.append("VL = r.val_loss; OV = forward(net, XV);")
        if R.classes(R.Net(sizes, seed=seed), data[3]):
            lines.append("VA = r.val_accuracy;")
    return "\n".join(lines)


def main():
    nudge = sys.argv[1]
    datasets = {"ch7": (CH7_X, CH7_Y), "blobs": (BX, BY, VX, VY), "square": (SX, SY)}
    failures = 0
    for name, net_spec, data_name, opts, ref_opts in CASES:
        data = datasets[data_name]
        got, _ = oracle.run(nudge, nudge_script(net_spec, data, opts), ["net", "r", "g"])
        sizes, hidden, output, bias, seed = net_spec
        net = R.Net(sizes, hidden, output, bias, seed)
        ref_opts = dict(ref_opts)
        batch, mean = ref_opts.pop("batch", 0), ref_opts.pop("mean", False)
        opt = R.Optimizer(net, **ref_opts)
        X, Y = data[0], data[1]
        Xv, Yv = (data[2], data[3]) if len(data) > 2 else (None, None)
        h = R.train(net, X, Y, opts["epochs"], opt, batch=batch, mean=mean, exact=True,
                    shuffle=np.random.RandomState(0), Xval=Xv, Yval=Yv)
        ops = R.Ops(True)
        want = {"L": h["loss"], "LR": h["lr"], "S": h["steps"], "E": opts["epochs"], "C": h["loss"][-1],
                "W1": net.W[0], "W2": net.W[1], "O": R.forward(ops, net, X)[1][-1]}
        if bias:
            want.update(b1=net.b[0], b2=net.b[1])
        XS, YS = X[0:5], Y[0:5]
        zs, acts = R.forward(ops, net, XS)
        dW, db = R.backward(ops, net, XS, YS, zs, acts)
        want["GW"] = dW[-1]
        if bias:
            want["GB"] = db[-1]
        if R.classes(net, Y):
            want["A"] = h["accuracy"]
        if Xv is not None:
            want["VL"] = h["val_loss"]
            want["OV"] = R.forward(ops, net, Xv)[1][-1]
            if R.classes(net, Yv):
                want["VA"] = h["val_accuracy"]
        worst, where = 0.0, ""
        for key, value in want.items():
            if key not in got:
                print("FAIL %s: nudge gave no %s" % (name, key))
                failures += 1
                continue
            d = oracle.rel_diff(got[key], value)
            if d > worst or where == "":
                worst, where = d, key
        ok = worst <= TOL
        failures += not ok
        print("%s %s: largest relative difference %.3g (in %s) over %d values"
              % ("ok  " if ok else "FAIL", name, worst, where, sum(len(list(oracle.flat(v))) for v in want.values())))
    if failures:
        print("%d case(s) differ from the numpy reference by more than %g" % (failures, TOL))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
