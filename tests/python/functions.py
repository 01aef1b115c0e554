# Functions: defaults, *args, keywords, tuples returned, closures, global,
# nonlocal, recursion, lambdas and functions as values.
def area(w, h=2, scale=1.0):
    return w * h * scale

print(area(3), area(3, 4), area(3, scale=0.5), area(h=5, w=2), area(1, 2, 3))

def stats(*xs):
    n = len(xs)
    mean = sum(xs) / n
    var = sum((x - mean) ** 2 for x in xs) / n
    return n, mean, var

n, mean, var = stats(2, 4, 4, 4, 5, 5, 7, 9)
print(n, mean, var, stats(1.5), stats(*[1, 2, 3]))

def head_tail(first, *rest):
    return first, rest

print(head_tail(1), head_tail(1, 2, 3))

def nothing():
    pass

def early(x):
    if x < 0:
        return
    return x * 2

print(nothing(), early(-1), early(4))

def make_counter(start=0):
    count = start
    def step(by=1):
        nonlocal count
        count += by
        return count
    return step

c1 = make_counter()
c2 = make_counter(100)
print(c1(), c1(), c1(5), c2(), c1())

def adders():
    return [lambda x, k=k: x + k for k in range(3)]

print([f(10) for f in adders()])

def compose(f, g):
    return lambda x: f(g(x))

inc = lambda x: x + 1
dbl = lambda x: 2 * x
print(compose(inc, dbl)(5), compose(dbl, inc)(5), (lambda: "no args")(), (lambda *a: len(a))(1, 2, 3))

total = 0
def add_to_total(v):
    global total
    total += v
    return total

for v in [1, 2, 3]:
    add_to_total(v)
print(total)

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)

print([fib(i) for i in range(15)], fact(10), fact(20))

moves = []
def hanoi(n, src, dst, via):
    if n == 0:
        return
    hanoi(n - 1, src, via, dst)
    moves.append((src, dst))
    hanoi(n - 1, via, dst, src)

hanoi(4, "A", "C", "B")
print(len(moves), moves[:5], moves[-1])

def gcd(a, b):
    while b:
        a, b = b, a % b
    return a

print(gcd(1071, 462), gcd(17, 5), [gcd(12, k) for k in range(1, 13)])

def power_set(xs):
    if not xs:
        return [[]]
    rest = power_set(xs[1:])
    return rest + [[xs[0]] + r for r in rest]

print(power_set([1, 2, 3]))

def memo_fib():
    cache = {}
    def f(n):
        if n in cache:
            return cache[n]
        r = n if n < 2 else f(n - 1) + f(n - 2)
        cache[n] = r
        return r
    return f

print(memo_fib()(80))

def apply_n(f, n, x):
    for _ in range(n):
        x = f(x)
    return x

print(apply_n(lambda v: v * v, 3, 2), apply_n(lambda v: v / 2, 4, 1.0))

def newton_sqrt(a, tol=1e-12):
    x = a
    steps = 0
    while abs(x * x - a) > tol * a:
        x = (x + a / x) / 2
        steps += 1
    return x, steps

for a in [2, 10, 0.5, 1e6]:
    print(a, newton_sqrt(a))

def shadow():
    x = "local"
    def inner():
        return x
    x = "changed"
    return inner()

x = "global"
print(shadow(), x)

def mutate(lst, d):
    lst.append(len(lst))
    d["n"] = d.get("n", 0) + 1

L = []
D = {}
for _ in range(3):
    mutate(L, D)
print(L, D)

def default_list(item, acc=None):
    if acc is None:
        acc = []
    acc.append(item)
    return acc

print(default_list(1), default_list(2), default_list(3, [0]))
print(callable(fib), callable(3), sorted([fib, fact], key=lambda f: f(5))[0] is fib)
