"""A numpy model of nudge's mlp and its training, written from the formulas.

Two modes:

exact=True   every sum is taken in ascending order starting from its first
             term and exp, log and tanh come from Python's math module (glibc),
             as nudge computes them, so results should agree with nudge's to
             the last bit (the tests allow a relative 1e-12);
exact=False  plain numpy: `@` (BLAS, its own summation order) and numpy's own
             exp, log and tanh; results agree with nudge's only to rounding.

The net: layers W[0..L-1] (in x out), biases b[k] (zeros) with bias=True,
hidden activation sigmoid|tanh|relu|linear, output sigmoid|softmax|linear.
Cost: 1/2 sum (y - a)^2 for sigmoid and linear outputs, -sum y log a for
softmax; with mean=True it and its gradient are divided by the rows of the
step.  Weights are drawn by numpy's legacy generator, all of W[0] row-major,
then W[1], ...; mini-batches shuffle one index array in place each epoch with
the legacy np.random.shuffle of a RandomState.

The optimisers follow PyTorch's documented update rules:
  sgd       w -= lr g
  momentum  v = mu v + g;                w -= lr v
  rmsprop   s = alpha s + (1 - alpha) g^2; w -= lr g / (sqrt(s) + eps)
  adam      m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
            m^ = m / (1 - b1^t); v^ = v / (1 - b2^t); w -= lr m^ / (sqrt(v^) + eps)
"""
import math

import numpy as np

_exp = np.vectorize(math.exp, otypes=[float])
_log = np.vectorize(math.log, otypes=[float])
_tanh = np.vectorize(math.tanh, otypes=[float])


class Ops:
    """The arithmetic whose order or library decides the last bits."""

    def __init__(self, exact):
        self.exact = exact

    def mm(self, a, b):
        if not self.exact:
            return a @ b
        out = a[:, 0:1] * b[0:1, :]
        for k in range(1, a.shape[1]):
            out = out + a[:, k:k + 1] * b[k:k + 1, :]
        return out

    def exp(self, x):
        return _exp(x) if self.exact else np.exp(x)

    def log(self, x):
        return _log(x) if self.exact else np.log(x)

    def tanh(self, x):
        return _tanh(x) if self.exact else np.tanh(x)

    def colsum(self, g):
        """Column sums, each in ascending row order."""
        if not self.exact:
            return g.sum(axis=0)
        return np.cumsum(g, axis=0)[-1]

    def total(self, v):
        """The sum of all elements in row-major order, one after another."""
        v = np.ravel(v)
        if v.size == 0:
            return 0.0
        return float(np.cumsum(v)[-1]) if self.exact else float(v.sum())


class Net:
    def __init__(self, sizes, hidden="sigmoid", output="sigmoid", bias=False, seed=1, rs=None):
        rs = rs if rs is not None else np.random.RandomState(seed)
        self.sizes = list(sizes)
        self.hidden, self.output, self.bias = hidden, output, bias
        self.W = [rs.random_sample((sizes[k], sizes[k + 1])) for k in range(len(sizes) - 1)]
        self.b = [np.zeros(sizes[k + 1]) for k in range(len(sizes) - 1)] if bias else None

    @property
    def L(self):
        return len(self.W)


def activate(ops, f, z):
    if f == "sigmoid":
        return 1.0 / (1.0 + ops.exp(-z))
    if f == "tanh":
        return ops.tanh(z)
    if f == "relu":
        return np.where(z > 0, z, 0.0)
    if f == "linear":
        return z.copy()
    if f == "softmax":
        e = ops.exp(z - z.max(axis=1, keepdims=True))
        if not ops.exact:
            return e / e.sum(axis=1, keepdims=True)
        s = e[:, 0:1].copy()
        for c in range(1, e.shape[1]):
            s = s + e[:, c:c + 1]
        return e / s
    raise ValueError(f)


def forward(ops, net, X):
    zs, acts, inp = [], [], X
    for k in range(net.L):
        z = ops.mm(inp, net.W[k])
        if net.bias:
            z = z + net.b[k]
        a = activate(ops, net.output if k == net.L - 1 else net.hidden, z)
        zs.append(z)
        acts.append(a)
        inp = a
    return zs, acts


def cost(ops, net, A, Y):
    if net.output == "softmax":
        hot = Y != 0
        return -ops.total(Y[hot] * ops.log(A[hot]))
    d = Y - A
    return 0.5 * ops.total(d * d)


def backward(ops, net, X, Y, zs, acts):
    """dW, db of the cost summed over the rows, as nudge's backward pass."""
    L = net.L
    A = acts[-1]
    delta = A - Y
    g = delta * (A * (1.0 - A)) if net.output == "sigmoid" else delta
    dW, db = [None] * L, [None] * L
    for k in range(L - 1, -1, -1):
        inp = acts[k - 1] if k else X
        dW[k] = ops.mm(inp.T, g)
        if net.bias:
            db[k] = ops.colsum(g)
        if k:
            h = ops.mm(g, net.W[k].T)
            a, z = acts[k - 1], zs[k - 1]
            if net.hidden == "sigmoid":
                g = h * (a * (1.0 - a))
            elif net.hidden == "tanh":
                g = h * (1.0 - a * a)
            elif net.hidden == "relu":
                g = h * np.where(z > 0, 1.0, 0.0)
            else:
                g = h
    return dW, db


def classes(net, Y):
    Y = Y.reshape(-1, net.sizes[-1])
    if not np.all((Y == 0) | (Y == 1)) or Y.shape[0] == 0:
        return False
    return Y.shape[1] == 1 or bool(np.all(Y.sum(axis=1) == 1))


def right(net, A, Y):
    Y = Y.reshape(A.shape)
    if A.shape[1] == 1:
        return int(np.sum((A[:, 0] > 0.5) == (Y[:, 0] == 1)))
    return int(np.sum(Y[np.arange(A.shape[0]), np.argmax(A, axis=1)] == 1))


class Optimizer:
    def __init__(self, net, kind="sgd", lr=1.0, momentum=0.9, alpha=0.99, beta1=0.9, beta2=0.999, eps=1e-8):
        self.kind, self.lr = kind, lr
        self.mu, self.alpha, self.b1, self.b2, self.eps = momentum, alpha, beta1, beta2, eps
        params = self.params(net)
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    @staticmethod
    def params(net):
        return list(net.W) + (list(net.b) if net.bias else [])

    def step(self, net, dW, db):
        self.t += 1
        grads = list(dW) + (list(db) if net.bias else [])
        lr, t = self.lr, self.t
        c1, c2 = 1.0 - self.b1 ** t, 1.0 - self.b2 ** t
        for i, (p, g) in enumerate(zip(self.params(net), grads)):
            if self.kind == "sgd":
                p -= lr * g
            elif self.kind == "momentum":
                self.m[i] = self.mu * self.m[i] + g
                p -= lr * self.m[i]
            elif self.kind == "rmsprop":
                self.m[i] = self.alpha * self.m[i] + (1.0 - self.alpha) * g * g
                p -= lr * g / (np.sqrt(self.m[i]) + self.eps)
            elif self.kind == "adam":
                self.m[i] = self.b1 * self.m[i] + (1.0 - self.b1) * g
                self.v[i] = self.b2 * self.v[i] + (1.0 - self.b2) * g * g
                mhat = self.m[i] / c1
                vhat = self.v[i] / c2
                p -= lr * mhat / (np.sqrt(vhat) + self.eps)
            else:
                raise ValueError(self.kind)


def measure(ops, net, X, Y, mean):
    _, acts = forward(ops, net, X)
    A = acts[-1]
    Yr = Y.reshape(A.shape)
    c = cost(ops, net, A, Yr)
    n = X.shape[0]
    loss = c / n if mean and n else c
    acc = right(net, A, Yr) / n if classes(net, Y) else float("nan")
    return loss, acc


def train(net, X, Y, epochs, opt, batch=0, mean=False, exact=True, shuffle=None, Xval=None, Yval=None):
    """Trains net in place; returns the history nudge's train() records.

    shuffle: the RandomState whose legacy shuffle orders the mini-batches
    (numpy's global state after np.random.seed(n) is RandomState(n))."""
    ops = Ops(exact)
    n = X.shape[0]
    Y = Y.reshape(n, net.sizes[-1])
    hist = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": [], "lr": []}
    first, _ = measure(ops, net, X, Y, mean)
    order = np.arange(n)
    for _ in range(epochs):
        if batch:
            shuffle.shuffle(order)
            runs = [order[s:s + batch] for s in range(0, n, batch)]
        else:
            runs = [None]
        for idx in runs:
            xb, yb = (X, Y) if idx is None else (X[idx], Y[idx])
            zs, acts = forward(ops, net, xb)
            dW, db = backward(ops, net, xb, yb, zs, acts)
            m = xb.shape[0]
            if mean and m > 1:
                dW = [d / m for d in dW]
                db = [d / m for d in db] if net.bias else db
            opt.step(net, dW, db)
        loss, acc = measure(ops, net, X, Y, mean)
        hist["loss"].append(loss)
        hist["accuracy"].append(acc)
        hist["lr"].append(opt.lr)
        if Xval is not None:
            vl, va = measure(ops, net, Xval, Yval.reshape(Xval.shape[0], net.sizes[-1]), mean)
            hist["val_loss"].append(vl)
            hist["val_accuracy"].append(va)
    hist["first"] = first
    hist["steps"] = opt.t
    return hist


def predict_classes(ops, net, X):
    _, acts = forward(ops, net, X)
    A = acts[-1]
    if net.output == "softmax":
        return np.argmax(A, axis=1)
    return (A > 0.5).astype(float)
