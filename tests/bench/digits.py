"""The digits network of bench_mlp.c in numpy, the same algorithm step by step.

Usage: python3 digits.py CSV HIDDEN EPOCHS
A 64-HIDDEN-10 network with biases, sigmoid hidden layer, softmax output and
the summed cross-entropy cost, full-batch gradient descent at lr = 0.5/n,
weights drawn as nudge draws them (seed 1: all of W1, then W2; biases 0).
Each epoch computes the cost, as nudge's mlp_train does, and the cost of the
trained net is measured once more at the end; it skips nudge's finiteness
checks, which only makes numpy's side lighter.
"""
import sys
import time

import numpy as np


def train(X, Y, hidden, epochs):
    np.random.seed(1)
    W1 = np.random.random((X.shape[1], hidden))
    W2 = np.random.random((hidden, Y.shape[1]))
    b1 = np.zeros(hidden)
    b2 = np.zeros(Y.shape[1])
    lr = 0.5 / X.shape[0]
    hot = Y != 0
    first = last = None
    for _ in range(epochs):
        z1 = X @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        e = np.exp(z2 - z2.max(axis=1, keepdims=True))
        a2 = e / e.sum(axis=1, keepdims=True)
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
        if first is None:
            first = cost
    # nudge reports the cost after the last step, on the trained weights.
    a1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
    z2 = a1 @ W2 + b2
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    a2 = e / e.sum(axis=1, keepdims=True)
    last = -np.sum(Y[hot] * np.log(a2[hot]))
    return first, last


def main():
    path, hidden, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    D = np.loadtxt(path, delimiter=",")
    X = D[:, :64] / 16
    Y = (D[:, 64:65] == np.arange(10)).astype(float)
    train(X, Y, hidden, min(epochs, 20))
    t0 = time.perf_counter()
    first, last = train(X, Y, hidden, epochs)
    t1 = time.perf_counter()
    print("us_per_epoch=%.3f total_ms=%.3f first_cost=%.10g last_cost=%.10g" % (
        (t1 - t0) / epochs * 1e6, (t1 - t0) * 1e3, first, last))


if __name__ == "__main__":
    main()
