"""The book's chapter-7 network in numpy, timed in-process.

Usage: python3 ch7.py ITERS [--once]
Prints one line of key=value pairs for run.sh: the time per iteration of
the training loop (after a warm-up of the same loop) and the outputs after
training, which for 1000 iterations are the book's [0.028 0.925 0.925 0.090].
With --once there is no warm-up, as when a student runs the script: run.sh
times the whole process then.
The loop is the book's, line for line: sigmoid'(z) is recomputed from z.
"""
import sys
import time

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return sigmoid(x) * (1 - sigmoid(x))


def train(iters):
    x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    y = np.array([[0], [1], [1], [0]])
    np.random.seed(1)
    weight1 = np.random.random((3, 4))
    weight2 = np.random.random((4, 1))
    lr = 1
    for _ in range(iters):
        z1 = x.dot(weight1)
        a1 = sigmoid(z1)
        z2 = a1.dot(weight2)
        a2 = sigmoid(z2)
        delta2 = a2 - y
        g2 = delta2 * sigmoid_derivative(z2)
        dw2 = a1.T.dot(g2)
        dw1 = x.T.dot(g2.dot(weight2.T) * sigmoid_derivative(z1))
        weight2 -= lr * dw2
        weight1 -= lr * dw1
    return sigmoid(sigmoid(x.dot(weight1)).dot(weight2))


def main():
    iters = int(sys.argv[1])
    if "--once" not in sys.argv[2:]:
        train(min(iters, 1000))
    t0 = time.perf_counter()
    out = train(iters)
    t1 = time.perf_counter()
    print("ns_per_iter=%.4f total_ms=%.3f out=%s" % (
        (t1 - t0) / iters * 1e9, (t1 - t0) * 1e3,
        ",".join("%.3f" % v for v in out.ravel())))


if __name__ == "__main__":
    main()
