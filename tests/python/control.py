# Control flow: if/elif/else, for/else, while/else, break, continue, pass,
# nested loops, conditional expressions, and/or/not, chained comparisons.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n % 2 == 0:
        return "even"
    else:
        return "odd"

print([classify(n) for n in [-3, 0, 1, 2, 7, 10]])

# for/else: the else runs when the loop was not broken
def first_factor(n):
    for d in range(2, n):
        if n % d == 0:
            print(n, "has factor", d)
            break
    else:
        print(n, "is prime")

for n in [2, 9, 13, 21, 97]:
    first_factor(n)

primes = []
for n in range(2, 60):
    for p in primes:
        if p * p > n:
            break
        if n % p == 0:
            break
    else:
        primes.append(n)
        continue
    if p * p > n:
        primes.append(n)
print(primes)

# while/else, break and continue
i = 0
while i < 10:
    i += 1
    if i % 3 == 0:
        continue
    if i == 8:
        break
    print("i =", i, end="; ")
else:
    print("no break")
print("stopped at", i)

k = 5
while k > 0:
    k -= 2
else:
    print("while ended normally with k =", k)

# collatz lengths
def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps

print([collatz(n) for n in range(1, 21)], max(range(1, 100), key=collatz))

# nested loops with a flag
found = None
for a in range(1, 30):
    for b in range(a, 30):
        c2 = a * a + b * b
        c = int(c2 ** 0.5)
        if c * c == c2 and a + b + c == 24:
            found = (a, b, c)
            break
    if found:
        break
print("triple:", found)

# and / or give back one of their operands
for x, y in [(0, 5), (3, 5), ("", "b"), ("a", ""), (None, [1]), ([], {})]:
    print(repr(x), repr(y), "|", repr(x and y), repr(x or y), not x)
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 >= 2 > 1, 1 == 1.0 == True, "a" < "b" < "c", 0 <= 5 < 10 != 11)
print(2 in [1, 2] and 3 not in (1, 2), None is None, [] is not [], 5 if 3 > 2 else 6, "y" if [] else "n")
x = 7
size = "big" if x > 100 else "medium" if x > 5 else "small"
print(size)

# pass, and loops over every kind of iterable
for _ in range(3):
    pass
for ch in "abc":
    print(ch, end="")
print()
for key in {"w": 1, "b": 2}:
    print(key, end=" ")
print()
for t in (1.5, 2.5):
    print(t * 2, end=" ")
print()
for i, (a, b) in enumerate(zip("xyz", range(10, 13)), start=1):
    print(i, a, b)
for r in range(10, 0, -3):
    print(r, end=" ")
print()
total = 0
for row in [[1, 2], [3, 4], [5, 6]]:
    for v in row:
        if v == 4:
            continue
        total += v
print("total", total)

# a loop variable keeps its last value; an empty loop leaves it alone
j = "unchanged"
for j in []:
    pass
print(j)
for j in range(4):
    pass
print(j)
squares = [j * j for j in range(10)]
print(j, squares)

# assert passes silently when true
assert len(squares) == 10, "ten squares"
assert squares[3] == 9
print("asserts passed")

# global counter changed from a loop inside a function
calls = 0
def bump(times):
    global calls
    for _ in range(times):
        calls += 1
    return calls

print(bump(3), bump(4), calls)
