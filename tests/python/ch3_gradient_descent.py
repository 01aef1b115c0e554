# Chapter 3 with plain numbers: the chain f, g and its gradients, one step
# with each learning rate, then gradient descent on the error to convergence.
x, b1, b2 = 2.0, 1.0, 0.5
target = 5.0

def forward(w1, w2):
    z = x * w1 + b1
    L = z * w2 + b2
    return z, L

w1, w2 = 0.5, 1.5
z, L = forward(w1, w2)
E = 0.5 * (L - target) ** 2
print("z =", z, "L =", L, "E =", E)
dL_dw1 = w2 * x
dL_dw2 = z
print("dL/dw1 =", dL_dw1, "dL/dw2 =", dL_dw2)

for alpha in [0.2, 0.1]:
    n1 = w1 + alpha * dL_dw1
    n2 = w2 + alpha * dL_dw2
    nz, nL = forward(n1, n2)
    print(f"alpha = {alpha}: w1 = {n1}, w2 = {n2}, z = {nz}, L = {nL}, L - target = {nL - target}")
    print("  rounded:", round(n1, 10), round(n2, 10), round(nz, 10), round(nL, 10))

# Central differences agree with the chain rule.
h = 1e-6
num1 = (forward(w1 + h, w2)[1] - forward(w1 - h, w2)[1]) / (2 * h)
num2 = (forward(w1, w2 + h)[1] - forward(w1, w2 - h)[1]) / (2 * h)
print(f"numerical: {num1:.6f} {num2:.6f}")

# Gradient descent on E = 1/2 (L - target)^2: w <- w - alpha dE/dw.
alpha = 0.05
history = []
for step in range(1, 201):
    z, L = forward(w1, w2)
    E = 0.5 * (L - target) ** 2
    history.append(E)
    dE_dL = L - target
    g1 = dE_dL * w2 * x
    g2 = dE_dL * z
    print(f"step {step:3d}: w1 = {w1:.6f} w2 = {w2:.6f} L = {L:.6f} E = {E:.3e}")
    if E < 1e-12:
        print("converged at step", step)
        break
    w1 -= alpha * g1
    w2 -= alpha * g2
print("final", w1, w2, forward(w1, w2)[1])
print("E fell every step:", all(a >= b for a, b in zip(history, history[1:])), len(history))
