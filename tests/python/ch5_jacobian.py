# Chapter 5 with lists: Jacobians by central differences, the sigmoid's
# diagonal Jacobian, and a vector-Jacobian product against a full product.
import math

def sigmoid(z):
    return 1 / (1 + math.exp(-z))

def f(x):
    return [x[0] * x[1], x[0] + x[1], x[1] ** 2]

def jacobian(fn, x, h=1e-6):
    m = len(fn(x))
    J = [[0.0] * len(x) for _ in range(m)]
    for j in range(len(x)):
        up = list(x)
        down = list(x)
        up[j] += h
        down[j] -= h
        fu, fd = fn(up), fn(down)
        for i in range(m):
            J[i][j] = (fu[i] - fd[i]) / (2 * h)
    return J

def show(J, digits=6):
    for row in J:
        print("  [" + ", ".join(f"{v:{digits + 4}.{digits}f}" for v in row) + "]")

x = [2.0, 3.0]
J = jacobian(f, x)
print("J of f at", x)
show(J)
exact = [[x[1], x[0]], [1, 1], [0, 2 * x[1]]]
print("largest error:", f"{max(abs(J[i][j] - exact[i][j]) for i in range(3) for j in range(2)):.2e}")

z = [0.5, -1.0, 2.0]
Js = jacobian(lambda v: [sigmoid(t) for t in v], z)
print("sigmoid Jacobian (diagonal):")
show(Js, 8)
print("off-diagonal all tiny:", all(abs(Js[i][j]) < 1e-9 for i in range(3) for j in range(3) if i != j))
dsig = [sigmoid(t) * (1 - sigmoid(t)) for t in z]
print("diagonal vs s(1-s):", [round(Js[i][i] - dsig[i], 9) for i in range(3)])

def matvec(M, v):
    return [sum(M[i][k] * v[k] for k in range(len(v))) for i in range(len(M))]

def vecmat(v, M):
    return [sum(v[k] * M[k][j] for k in range(len(v))) for j in range(len(M[0]))]

def matmul(A, B):
    return [[sum(A[i][k] * B[k][j] for k in range(len(B))) for j in range(len(B[0]))] for i in range(len(A))]

v = [0.1, -0.2, 0.3]
print("diag(s') v      =", [round(t, 12) for t in matvec(Js, v)])
print("v * s' (Hadamard) =", [round(a * b, 12) for a, b in zip(v, dsig)])

# A chain of three maps: the VJP from the left equals the full Jacobian product.
A = [[1.0, 2.0, 0.5], [0.0, -1.0, 1.5], [2.0, 0.5, -0.5]]
B = [[0.5, 0.0, 1.0], [1.0, 1.0, 0.0], [-1.0, 0.5, 2.0]]
C = [[1.0, -1.0, 0.0], [0.5, 0.5, 0.5], [0.0, 2.0, 1.0]]
g = [1.0, 0.5, -2.0]
full = matmul(matmul(A, B), C)
print("g (A B C) =", vecmat(g, full))
print("((g A) B) C =", vecmat(vecmat(vecmat(g, A), B), C))
mults_full = 2 * 3 ** 3 + 3 ** 2
mults_vjp = 3 * 3 ** 2
print("multiplications:", mults_full, "vs", mults_vjp)
for n in [10, 100, 1000]:
    print(f"n = {n:5d}: Jacobian chain {2 * n ** 3 + n ** 2:13d}  VJP {3 * n ** 2:11d}")
