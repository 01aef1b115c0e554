# Lists and tuples: building, indexing, slicing, methods, sorting, iteration helpers.
print("--- building")
a = [3, 1, 4, 1, 5, 9, 2, 6]
b = []
for x in a:
    if x % 2 == 0:
        b.append(x * x)
print(a, b, len(a), len(b), a[0], a[-1], a[2:5], a[:3], a[5:], a[::2], a[::-1], a[-3:], a[1:-1:3])
c = list(range(10))
print(c, list(range(2, 20, 3)), list(range(10, 0, -2)), list(range(0)), range(5), range(1, 9, 2))
print([i * i for i in range(6)], [i for i in range(20) if i % 3 == 0], [(i, j) for i in range(3) for j in range(i)])
print([[0] * 3 for _ in range(2)], [[i * j for j in range(4)] for i in range(3)])
print(a + [0], [0] * 4, [1, 2] * 2, a.count(1), a.index(5), 9 in a, 7 in a, 7 not in a)
m = [[1, 2, 3], [4, 5, 6]]
print(m, m[1], m[1][2], len(m), len(m[0]), [row[1] for row in m], [list(r) for r in zip(*m)])

print("--- methods")
s = [5, 2, 8]
s.append(1)
s.extend([7, 3])
s.insert(0, 10)
s.insert(-1, 11)
print(s, s.pop(), s.pop(0), s)
s.remove(8)
print(s)
s.sort()
print(s)
s.reverse()
print(s)
s.sort(reverse=True)
print(s, sorted(s), sorted(s, reverse=True), list(reversed(s)))
t = s.copy()
t[0] = 99
print(s, t, s == t, s != t, [1, 2] == [1, 2], [1, 2] < [1, 3], [2] > [1, 5])
u = s
u.append(-1)
print(s, u is s, t is s)
s.clear()
print(s, len(s))
del t[0]
del t[-1]
print(t)
t[1] = "changed"
print(t)
n = [1, 2, 3, 4, 5]
n[1:3] = [20, 30, 40]
print(n)
n[::2] = [0, 0, 0]
print(n)

print("--- tuples")
p = (1, 2, 3)
q = 4, 5
r = (6,)
print(p, q, r, (), p + q, p * 2, p[1], p[-1], p[1:], len(p), 2 in p, p.count(2), p.index(3))
x, y, z = p
print(x, y, z)
x, y = y, x
print(x, y)
(a1, b1), c1 = (1, 2), 3
print(a1, b1, c1)
for i, (u1, v1) in enumerate([(1, 2), (3, 4)]):
    print(i, u1, v1, u1 * v1)
print(tuple([1, 2]), list((3, 4)), tuple("ab"), list("xyz"), tuple(range(3)))
print(max([(1, "b"), (1, "a"), (0, "z")]), min((3, 1), (2, 9)), sorted([(2, 1), (1, 2), (1, 1)]))

print("--- helpers")
names = ["ann", "bob", "cy"]
ages = [31, 25, 40]
print(list(zip(names, ages)), list(enumerate(names)), list(enumerate(names, 1)), dict(zip(names, ages)))
print(list(map(len, names)), list(map(lambda v: v * 2, ages)), list(filter(lambda v: v > 26, ages)))
print(sorted(zip(ages, names)), sorted(names, key=lambda n: -len(n)), sorted([3, -4, 1], key=abs))
print(any([0, 0, 1]), all([1, 1, 0]), any([]), all([]), sum(ages) / len(ages), max(ages), min(names))
print(list(zip([1, 2, 3], [4, 5])), list(zip()), sum(x * y for x, y in zip([1, 2, 3], [4, 5, 6])))
total = 0
for name, age in zip(names, ages):
    total += age
    print(name, age, total)
grid = [[0] * 3 for _ in range(3)]
for i in range(3):
    grid[i][i] = 1
    grid[i][2 - i] += 2
print(grid)
alias = [[0] * 2] * 2
alias[0][0] = 5
print(alias)
