# Chapter 1 with lists: dot products both ways, norms, angles, and
# classifying points by the sign of w.x.
import math

def dot(a, b):
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total

def norm(a):
    return math.sqrt(dot(a, a))

def angle(a, b):
    return math.degrees(math.acos(dot(a, b) / (norm(a) * norm(b))))

pairs = [
    ([3, -1, 2], [1, 4, 0.5]),
    ([1, 0], [0, 1]),
    ([1, 1], [2, 2]),
    ([1, 2, 3], [-1, -2, -3]),
    ([0.5, 0.25, 2.0], [4.0, -8.0, 1.0]),
    ([2, 1], [1, 3]),
]
for a, b in pairs:
    algebraic = sum(x * y for x, y in zip(a, b))
    geometric = norm(a) * norm(b) * math.cos(math.radians(angle(a, b)))
    sign = "same way" if algebraic > 0 else "apart" if algebraic < 0 else "perpendicular"
    print(a, b, algebraic, dot(a, b), round(geometric, 10), f"{angle(a, b):.4f} degrees", sign)

print("norms:", norm([3, 4]), norm([1, 1, 1, 1]), norm([1e-3, 2e-3]), math.hypot(3, 4))
unit = [x / norm([3, 4]) for x in [3, 4]]
print("unit:", unit, norm(unit))

# Leaves: (width, length) with a bias input of 1; w splits healthy from diseased.
w = [1.0, -1.0, 0.5]
leaves = {"a": [2.0, 1.0], "b": [1.0, 3.0], "c": [0.5, 0.5], "d": [3.0, 4.0], "e": [4.0, 2.5]}
for name, (width, length) in leaves.items():
    x = [width, length, 1.0]
    s = dot(w, x)
    label = "healthy" if s > 0 else "diseased" if s < 0 else "on the line"
    print(f"leaf {name}: x = {x}, w.x = {s:+.2f} -> {label}")

# The boundary w.x = 0: for each width, the length on the line.
for width in [0, 1, 2, 3]:
    length = (w[0] * width + w[2]) / -w[1]
    print(width, length, dot(w, [width, length, 1.0]))

# Projections and the Cauchy-Schwarz inequality.
a, b = [3.0, 4.0], [4.0, 3.0]
proj = dot(a, b) / dot(b, b)
print("projection factor", proj, [proj * v for v in b])
for a, b in pairs:
    print(abs(dot(a, b)) <= norm(a) * norm(b) + 1e-12, end=" ")
print()
