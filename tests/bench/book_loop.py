# book_loop.py - a numpy program written the way the book writes its chapter-7
# network (run.sh puts the number of passes in place of ITERATIONS): nudge
# and /usr/bin/python3 run this same file and must print the same text.
import numpy as np

# A two-layer net trained on XOR with plain numpy, printed with 3 decimals.
np.random.seed(1)
np.set_printoptions(formatter={'float': '{: 0.3f}'.format})

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def sigmoid_slope(s):
    return s * (1 - s)

"""
Inputs carry a constant third column as a bias.
"""
x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
y = np.array([[0, 1, 1, 0]]).T
w1 = np.random.random((3, 4))
w2 = np.random.random((4, 1))
steps = ITERATIONS
rate = 1
for step in range(0, steps):
    a1 = sigmoid(np.dot(x, w1))
    a2 = sigmoid(np.dot(a1, w2))
    if step == 0:
        print("Output before training \n", a2)
    d2 = (a2 - y) * sigmoid_slope(a2)
    grad2 = a1.T.dot(d2)
    d1 = np.dot(d2, w2.T) * sigmoid_slope(a1)
    grad1 = x.T.dot(d1)
    w2 = w2 - rate * (grad2)
    w1 = w1 - rate * (grad1)
print("Output after training", a2)
print("Prediction for [1, 0, 1]:", sigmoid(np.dot(sigmoid(np.dot(np.array([[1, 0, 1]]), w1)), w2)))
