# Chapter 3: a two-layer network of single sigmoid neurons, trained by
# backpropagation written out by hand, checked against central differences.
import math

def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))

def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)

def forward(p, x):
    w1, b1, w2, b2 = p
    z1 = w1 * x + b1
    a1 = sigmoid(z1)
    z2 = w2 * a1 + b2
    a2 = sigmoid(z2)
    return z1, a1, z2, a2

def cost(p, x, y):
    return 0.5 * (y - forward(p, x)[3]) ** 2

def gradients(p, x, y):
    w1, b1, w2, b2 = p
    z1, a1, z2, a2 = forward(p, x)
    delta2 = -(y - a2) * sigmoid_prime(z2)
    dw2, db2 = delta2 * a1, delta2
    delta1 = delta2 * w2 * sigmoid_prime(z1)
    dw1, db1 = delta1 * x, delta1
    return [dw1, db1, dw2, db2]

params = [0.5, 0.1, -0.3, 0.2]
x, y = 1.5, 0.9
print("sigmoid values:", sigmoid(0), sigmoid(1), sigmoid(-2), sigmoid_prime(0))
print("forward:", forward(params, x))
print("cost:", cost(params, x, y))

grads = gradients(params, x, y)
h = 1e-5
names = ["w1", "b1", "w2", "b2"]
for i in range(4):
    up = params[:]
    down = params[:]
    up[i] += h
    down[i] -= h
    numeric = (cost(up, x, y) - cost(down, x, y)) / (2 * h)
    print(f"dC/d{names[i]} = {grads[i]:.10f}  numeric {numeric:.10f}  agree: {abs(grads[i] - numeric) < 1e-8}")

eta = 0.5
for epoch in range(1, 31):
    g = gradients(params, x, y)
    params = [p - eta * gi for p, gi in zip(params, g)]
    if epoch % 5 == 0 or epoch <= 3:
        print(f"epoch {epoch:2d}: cost {cost(params, x, y):.8f} output {forward(params, x)[3]:.6f}")
print("params:", [round(p, 6) for p in params])
print("repr:", params)

# Several examples: the average cost falls as the network learns them.
data = [(0.0, 0.2), (0.5, 0.4), (1.0, 0.6), (1.5, 0.8)]
p = [0.1, 0.0, 0.1, 0.0]
for epoch in range(200):
    total = [0.0, 0.0, 0.0, 0.0]
    for xi, yi in data:
        gi = gradients(p, xi, yi)
        total = [t + g for t, g in zip(total, gi)]
    p = [pi - 2.0 * t / len(data) for pi, t in zip(p, total)]
    if epoch % 40 == 0:
        c = sum(cost(p, xi, yi) for xi, yi in data) / len(data)
        print(epoch, f"{c:.6e}", [f"{forward(p, xi)[3]:.4f}" for xi, _ in data])
print(p)
