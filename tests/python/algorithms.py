# Classic algorithms with lists, recursion and closures: sorting,
# searching, permutations, n-queens, a matrix inverse by Gauss-Jordan,
# Newton's method and a memoised recursion.
def quicksort(xs):
    if len(xs) <= 1:
        return xs
    pivot = xs[len(xs) // 2]
    return (quicksort([x for x in xs if x < pivot]) + [x for x in xs if x == pivot]
            + quicksort([x for x in xs if x > pivot]))

def merge_sort(xs):
    if len(xs) < 2:
        return list(xs)
    mid = len(xs) // 2
    left, right = merge_sort(xs[:mid]), merge_sort(xs[mid:])
    out = []
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    return out + left[i:] + right[j:]

def bubble(xs):
    xs = xs[:]
    swaps = 0
    for n in range(len(xs) - 1, 0, -1):
        for i in range(n):
            if xs[i] > xs[i + 1]:
                xs[i], xs[i + 1] = xs[i + 1], xs[i]
                swaps += 1
    return xs, swaps

data = [5, 3, 9, 1, 5, 8, 2, 7, 0, -4, 6.5, 3]
print(quicksort(data))
print(merge_sort(data))
print(bubble(data))
print(sorted(data) == quicksort(data) == merge_sort(data))

def binary_search(xs, target):
    lo, hi = 0, len(xs) - 1
    steps = 0
    while lo <= hi:
        steps += 1
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid, steps
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1, steps

evens = list(range(0, 200, 2))
print([binary_search(evens, t) for t in [0, 42, 198, 7, 500]])

def permutations(xs):
    if len(xs) <= 1:
        return [xs[:]]
    out = []
    for i in range(len(xs)):
        for p in permutations(xs[:i] + xs[i + 1:]):
            out.append([xs[i]] + p)
    return out

perms = permutations([1, 2, 3])
print(len(perms), perms, len(permutations(list("abcd"))))

def queens(n):
    solutions = []
    cols = []
    def place(row):
        if row == n:
            solutions.append(cols[:])
            return
        for c in range(n):
            if all(c != pc and abs(c - pc) != row - pr for pr, pc in enumerate(cols)):
                cols.append(c)
                place(row + 1)
                cols.pop()
    place(0)
    return solutions

for n in range(1, 8):
    print(n, len(queens(n)), queens(n)[:1])

def inverse(M):
    n = len(M)
    A = [row[:] + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(M)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(A[r][col]))
        A[col], A[pivot] = A[pivot], A[col]
        p = A[col][col]
        A[col] = [v / p for v in A[col]]
        for r in range(n):
            if r != col:
                f = A[r][col]
                A[r] = [a - f * b for a, b in zip(A[r], A[col])]
    return [row[n:] for row in A]

M = [[4.0, 7.0, 2.0], [3.0, 6.0, 1.0], [2.0, 5.0, 3.0]]
Minv = inverse(M)
for row in Minv:
    print([round(v, 10) for v in row])
I = [[round(sum(M[i][k] * Minv[k][j] for k in range(3)), 12) for j in range(3)] for i in range(3)]
print(I)

def newton(f, df, x, steps=8):
    trace = []
    for _ in range(steps):
        x = x - f(x) / df(x)
        trace.append(x)
    return trace

print(newton(lambda x: x * x - 2, lambda x: 2 * x, 1.0))
print(newton(lambda x: x ** 3 - x - 1, lambda x: 3 * x ** 2 - 1, 1.5, 6))

def memoize(f):
    cache = {}
    def wrapped(n):
        if n not in cache:
            cache[n] = f(n)
        return cache[n]
    return wrapped

def ways(n):
    if n < 0:
        return 0
    if n == 0:
        return 1
    return ways_m(n - 1) + ways_m(n - 2) + ways_m(n - 3)

ways_m = memoize(ways)
print([ways_m(n) for n in range(20)], ways_m(60))

def pascal(rows):
    tri = [[1]]
    for _ in range(rows - 1):
        last = tri[-1]
        tri.append([1] + [a + b for a, b in zip(last, last[1:])] + [1])
    return tri

for row in pascal(8):
    print(" ".join(str(v) for v in row).center(40))

def sieve(n):
    is_prime = [True] * (n + 1)
    is_prime[0] = is_prime[1] = False
    for i in range(2, int(n ** 0.5) + 1):
        if is_prime[i]:
            for j in range(i * i, n + 1, i):
                is_prime[j] = False
    return [i for i, p in enumerate(is_prime) if p]

ps = sieve(200)
print(len(ps), ps[-5:], sum(ps))
