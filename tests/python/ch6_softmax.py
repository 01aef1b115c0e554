# Chapter 6 with lists: softmax, cross-entropy against a one-hot target,
# the gradient p - y checked numerically, and a softmax layer trained by
# hand on three points.
import math

def softmax(z):
    m = max(z)
    exps = [math.exp(v - m) for v in z]
    total = sum(exps)
    return [v / total for v in exps]

def cross_entropy(p, y):
    return -sum(yi * math.log(pi) for pi, yi in zip(p, y) if yi != 0)

z = [2.0, 1.0, 0.1]
p = softmax(z)
print("softmax:", p)
print("sums to", sum(p), "| rounded", [round(v, 4) for v in p], "| argmax", p.index(max(p)))
y = [0, 1, 0]
L = cross_entropy(p, y)
print(f"cross-entropy {L:.6f} = -log({p[1]:.6f})", math.isclose(L, -math.log(p[1])))
print("shift invariance:", softmax([v + 100 for v in z]) == p, [f"{a - b:.1e}" for a, b in zip(softmax([v + 100 for v in z]), p)])

# dp_i/dz_j = p_i (delta_ij - p_j)
J = [[p[i] * ((1 if i == j else 0) - p[j]) for j in range(3)] for i in range(3)]
for row in J:
    print(" ".join(f"{v:+.5f}" for v in row))
print("rows sum to zero:", [abs(sum(row)) < 1e-15 for row in J])

grad = [pi - yi for pi, yi in zip(p, y)]
h = 1e-6
numeric = []
for j in range(3):
    up = z[:]
    down = z[:]
    up[j] += h
    down[j] -= h
    numeric.append((cross_entropy(softmax(up), y) - cross_entropy(softmax(down), y)) / (2 * h))
print("p - y   =", [f"{g:.8f}" for g in grad])
print("numeric =", [f"{g:.8f}" for g in numeric])

# A linear layer with softmax output: W is 3 x 2 (classes x inputs), b has 3.
X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
Y = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
W = [[0.1, -0.2], [0.0, 0.3], [-0.1, 0.1]]
b = [0.0, 0.0, 0.0]
lr = 0.5
for epoch in range(301):
    loss = 0.0
    dW = [[0.0, 0.0] for _ in range(3)]
    db = [0.0, 0.0, 0.0]
    for x, t in zip(X, Y):
        logits = [sum(W[i][k] * x[k] for k in range(2)) + b[i] for i in range(3)]
        q = softmax(logits)
        loss += cross_entropy(q, t)
        for i in range(3):
            d = q[i] - t[i]
            db[i] += d
            for k in range(2):
                dW[i][k] += d * x[k]
    for i in range(3):
        b[i] -= lr * db[i] / len(X)
        for k in range(2):
            W[i][k] -= lr * dW[i][k] / len(X)
    if epoch % 50 == 0:
        print(f"epoch {epoch:3d} loss {loss / len(X):.6f}")
for x, t in zip(X, Y):
    q = softmax([sum(W[i][k] * x[k] for k in range(2)) + b[i] for i in range(3)])
    print(x, [f"{v:.3f}" for v in q], "predicted", q.index(max(q)), "target", t.index(1))
print("W =", W)
print("b =", b)
