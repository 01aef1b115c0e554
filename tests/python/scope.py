# Names and scopes: names share objects; a function's assignments make
# locals unless declared global or nonlocal; comprehensions have their
# own scope; closures keep the variables they read.
a = [1, 2, 3]
b = a
b.append(4)
c = a[:]
c.append(5)
d = list(a)
d[0] = 99
print(a, b, c, d, a is b, a is c, a == b, a == c[:4])

grid = [[0] * 2] * 2
grid[0][0] = 1
fresh = [[0] * 2 for _ in range(2)]
fresh[0][0] = 1
print(grid, fresh)

def append_to(xs, v):
    xs.append(v)
    xs = ["rebound"]
    return xs

orig = [0]
got = append_to(orig, 1)
print(orig, got)

def rebind_number(n):
    n += 1
    return n

k = 10
print(rebind_number(k), k)

x = "global x"
def reads_global():
    return x

def has_local():
    x = "local x"
    return x

def declares_global():
    global x
    x = "changed by function"

print(reads_global(), has_local(), x)
declares_global()
print(x)

def outer():
    count = 0
    log = []
    def inc():
        nonlocal count
        count += 1
        log.append(count)
        return count
    inc()
    inc()
    return count, log, inc

count, log, inc = outer()
print(count, log, inc(), log)

def make_multipliers():
    late = [lambda v: v * i for i in range(3)]
    early = [lambda v, i=i: v * i for i in range(3)]
    return [f(10) for f in late], [f(10) for f in early]

print(make_multipliers())

i = "outside"
squares = [i * i for i in range(5)]
print(i, squares)
pairs = {i: [j for j in range(i)] for i in range(4)}
print(i, pairs)
total = sum(n for n in range(10))
print(total, [n for n in [1, 2, 3] if n != 2])

def counter_factory():
    counts = {}
    def count(word):
        counts[word] = counts.get(word, 0) + 1
        return counts[word]
    return count, counts

count_word, counts = counter_factory()
for w in "to be or not to be".split():
    count_word(w)
print(counts)

def nested(n):
    def level1():
        def level2():
            return n * 2
        return level2() + 1
    return level1()

print(nested(5), [nested(i) for i in range(3)])

acc = []
def recurse(depth):
    acc.append(depth)
    if depth < 5:
        recurse(depth + 1)
    acc.append(-depth)

recurse(0)
print(acc)

funcs = {}
for name in ["double", "square"]:
    if name == "double":
        def f(v):
            return v * 2
    else:
        def f(v):
            return v * v
    funcs[name] = f
print(funcs["double"](7), funcs["square"](7))

t = (1, [2, 3])
t[1].append(4)
print(t, len(t[1]))
s = "abc"
s2 = s
s += "d"
print(s, s2)
n1 = n2 = []
n1.append("shared")
print(n1, n2, n1 is n2)
