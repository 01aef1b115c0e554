"""The digits network of bench_mlp.c in numpy, the same algorithm step by step.

Usage: python3 digits.py CSV HIDDEN EPOCHS [book|centred [BATCH]]
A 64-HIDDEN-10 network with biases, sigmoid hidden layer, softmax output and
the summed cross-entropy cost, trained by gradient descent, weights drawn as
nudge draws them:
  book (the default): np.random.seed(1), weights random() in [0, 1) (all of
      W1, then W2), lr = 0.5/n;
  centred: np.random.seed(0), weights random() - 0.5, as real networks
      start, lr = 0.001.
Biases start at 0.  With BATCH below n, each epoch shuffles the row order
with np.random.shuffle (the state left by the weights' draws) and steps on
each run of BATCH rows, as nudge's train(batch=) does; otherwise every epoch
is one full-batch step.  Each epoch measures the cost of every row, as nudge's train() does;
it skips nudge's finiteness checks, which only makes numpy's side lighter.
"""
import sys
import time

import numpy as np


def init(shape_in, hidden, shape_out, centred):
    np.random.seed(0 if centred else 1)
    W1 = np.random.random((shape_in, hidden))
    W2 = np.random.random((hidden, shape_out))
    if centred:
        W1 -= 0.5
        W2 -= 0.5
    return W1, W2, np.zeros(hidden), np.zeros(shape_out)


def step(X, Y, W1, W2, b1, b2, lr):
    z1 = X @ W1 + b1
    a1 = 1 / (1 + np.exp(-z1))
    z2 = a1 @ W2 + b2
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    a2 = e / e.sum(axis=1, keepdims=True)
    hot = Y != 0
    cost = -np.sum(Y[hot] * np.log(a2[hot]))
    g2 = a2 - Y
    dW2 = a1.T @ g2
    g1 = (g2 @ W2.T) * (a1 * (1 - a1))
    dW1 = X.T @ g1
    db2 = g2.sum(axis=0)
    db1 = g1.sum(axis=0)
    W2 -= lr * dW2
    W1 -= lr * dW1
    b2 -= lr * db2
    b1 -= lr * db1
    return cost


def cost_of(X, Y, W1, W2, b1, b2):
    a1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
    z2 = a1 @ W2 + b2
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    a2 = e / e.sum(axis=1, keepdims=True)
    hot = Y != 0
    return -np.sum(Y[hot] * np.log(a2[hot]))


def train(X, Y, hidden, epochs, centred, batch):
    """The cost before training and after it, as nudge's train() reports
    them; like nudge, every epoch ends by measuring the cost of all rows
    (full batch: that forward pass is also the next step's)."""
    W1, W2, b1, b2 = init(X.shape[1], hidden, Y.shape[1], centred)
    n = X.shape[0]
    lr = 0.001 if centred else 0.5 / n
    first = None
    if batch >= n:
        for _ in range(epochs):
            cost = step(X, Y, W1, W2, b1, b2, lr)
            if first is None:
                first = cost
        return first, cost_of(X, Y, W1, W2, b1, b2)
    first = cost_of(X, Y, W1, W2, b1, b2)
    order = np.arange(n)
    last = first
    for _ in range(epochs):
        np.random.shuffle(order)
        for start in range(0, n, batch):
            rows = order[start:start + batch]
            step(X[rows], Y[rows], W1, W2, b1, b2, lr)
        last = cost_of(X, Y, W1, W2, b1, b2)
    return first, last


def main():
    path, hidden, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    centred = len(sys.argv) > 4 and sys.argv[4] == "centred"
    D = np.loadtxt(path, delimiter=",")
    X = D[:, :64] / 16
    Y = (D[:, 64:65] == np.arange(10)).astype(float)
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else X.shape[0]
    train(X, Y, hidden, min(epochs, 20), centred, batch)
    t0 = time.perf_counter()
    first, last = train(X, Y, hidden, epochs, centred, batch)
    t1 = time.perf_counter()
    print("us_per_epoch=%.3f total_ms=%.3f first_cost=%.10g last_cost=%.10g" % (
        (t1 - t0) / epochs * 1e6, (t1 - t0) * 1e3, first, last))


if __name__ == "__main__":
    main()
