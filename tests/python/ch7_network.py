# Chapter 7 with lists of lists: numpy's legacy Mersenne Twister written
# out in integers (so seed 1 gives the book's weights), then the two-layer
# network trained for 1000 iterations with forward, backward and update
# loops, sums taken in ascending order as numpy takes them.
import math

class_free_state = {"mt": [], "i": 624}

def seed(s):
    mt = [0] * 624
    mt[0] = s & 0xffffffff
    for i in range(1, 624):
        prev = mt[i - 1] ^ (mt[i - 1] >> 30)
        # 1812433253 * prev + i, modulo 2**32, without a product past 2**63
        lo, hi = prev & 0xffff, prev >> 16
        mt[i] = (1812433253 * lo + (((1812433253 * hi) & 0xffff) << 16) + i) & 0xffffffff
    class_free_state["mt"] = mt
    class_free_state["i"] = 624

def twist(mt):
    for i in range(624):
        y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff)
        v = mt[(i + 397) % 624] ^ (y >> 1)
        if y & 1:
            v ^= 0x9908b0df
        mt[i] = v

def next32():
    st = class_free_state
    if st["i"] >= 624:
        twist(st["mt"])
        st["i"] = 0
    y = st["mt"][st["i"]]
    st["i"] += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >> 18
    return y & 0xffffffff

def random():
    a = next32() >> 5
    b = next32() >> 6
    return (a * 67108864 + b) / 9007199254740992

def random_matrix(rows, cols):
    return [[random() for _ in range(cols)] for _ in range(rows)]

def matmul(A, B):
    out = []
    for i in range(len(A)):
        row = []
        for j in range(len(B[0])):
            s = 0.0
            for k in range(len(B)):
                s += A[i][k] * B[k][j]
            row.append(s)
        out.append(row)
    return out

def transpose(A):
    return [[A[i][j] for i in range(len(A))] for j in range(len(A[0]))]

def elementwise(f, A, B=None):
    if B is None:
        return [[f(a) for a in row] for row in A]
    return [[f(a, b) for a, b in zip(ra, rb)] for ra, rb in zip(A, B)]

def sigmoid(z):
    return 1 / (1 + math.exp(-z))

def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))

seed(1)
print("first draws:", [random() for _ in range(3)])
seed(1)
W1 = random_matrix(3, 4)
W2 = random_matrix(4, 1)
print("W1 =")
for row in W1:
    print("  ", row)
print("W2 =", [r[0] for r in W2])

X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
y = [[0], [1], [1], [0]]
lr = 1

def forward(X, W1, W2):
    z1 = matmul(X, W1)
    a1 = elementwise(sigmoid, z1)
    z2 = matmul(a1, W2)
    a2 = elementwise(sigmoid, z2)
    return z1, a1, z2, a2

a2 = forward(X, W1, W2)[3]
print("before training:", [f"{r[0]:.3f}" for r in a2])
for it in range(1, 1001):
    z1, a1, z2, a2 = forward(X, W1, W2)
    delta2 = elementwise(lambda a, t: a - t, a2, y)
    g2 = elementwise(lambda d, z: d * sigmoid_prime(z), delta2, z2)
    dW2 = matmul(transpose(a1), g2)
    back = matmul(g2, transpose(W2))
    g1 = elementwise(lambda b, z: b * sigmoid_prime(z), back, z1)
    dW1 = matmul(transpose(X), g1)
    W2 = elementwise(lambda w, d: w - lr * d, W2, dW2)
    W1 = elementwise(lambda w, d: w - lr * d, W1, dW1)
    if it in (1, 2, 10, 100, 500, 1000):
        cost = 0.5 * sum((r[0] - t[0]) ** 2 for r, t in zip(a2, y))
        print(f"iteration {it:4d}: cost {cost:.10f} outputs {[round(r[0], 3) for r in a2]}")
print("last iteration:", [f"{r[0]:.3f}" for r in a2])
final = forward(X, W1, W2)[3]
print("after training:", [r[0] for r in final])
print("[1, 0, 1] ->", f"{forward([[1, 0, 1]], W1, W2)[3][0][0]:.3f}")
print("W1 =", W1)
print("W2 =", W2)
