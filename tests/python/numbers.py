# Python's int and float: arithmetic, repr corner cases, conversions.
print("--- float repr")
for x in [0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 1.0, 100.0, 1e15, 1e16, 1.5e16, 123456789.123,
          1e-4, 1e-5, 0.00012345, 5e-324, 1.7976931348623157e308, 2.5, -0.0, 1e22, 1e21,
          9007199254740993.0, 0.30000000000000004, 3.14159, 1 / 7]:
    print(x, repr(x), str(x))
print(float("inf"), float("-inf"), -float("inf"), float("nan"))
print(1e308 * 10, -1e308 * 10)
print(0.1 * 3, 0.7 + 0.1, 1.1 * 1.1, 3 * 1.1)

print("--- int arithmetic")
for a in [7, -7, 0, 13, -13]:
    for b in [2, -2, 3, -5]:
        print(a, b, a + b, a - b, a * b, a / b, a // b, a % b, divmod(a, b), a ** 2)
print(2 ** 10, 2 ** 62, 2 ** -1, (-2) ** 3, -2 ** 2, 10 ** 18, 3 ** 0)
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7 % -2.5, 2.0 ** 0.5, 4 ** 0.5)
print(9223372036854775807, -9223372036854775807 - 1)
print(0x1F, 0o17, 0b1011, 1_000_000, 0xff_ff)
print(5 & 3, 5 | 3, 5 ^ 3, ~5, 1 << 10, 1024 >> 3, -16 >> 2)

print("--- mixing and bools")
print(1 + 2.0, 3 * 0.5, 10 / 5, 10 // 5, type(10 / 5) == float)
print(True + True, True * 3, False - 1, True / 2, 3 - True)
print(True and 5, 0 or "x", None or 0, [] or [1], 3 and 0, "" and "y")
print(not 0, not 1, not [], not "a", 1 < 2 < 3, 3 > 2 > 2, 1 < 3 > 2, 1 == 1.0, 1 != 1.0)
print(int(3.9), int(-3.9), int("42"), int(" 7 "), int(True), float(3), float("2.5"), float("-1e-3"))
print(abs(-3), abs(-3.5), abs(0), round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5))
print(round(2.675, 2), round(1.005, 2), round(123.456, 1), round(123.456, -1), round(7, 2), round(-0.4))
print(min(3, 1, 2), max(3, 1, 2), min(2.5, 2), max(-1, -1.5), sum([1, 2, 3]), sum([0.1] * 10))
print(sum([1, 2], 10), sum([]), sum([0.5, 0.25]), pow(2, 8), pow(2.0, 3))
print(divmod(17, 5), divmod(-17, 5), divmod(17.5, 5))
print(bool(0), bool(0.0), bool(""), bool("0"), bool([]), bool([0]), bool(None))
print(isinstance(3, int), isinstance(3.0, int), isinstance(True, int), isinstance(3.0, float),
      isinstance("a", str), isinstance([1], list), isinstance((1,), tuple), isinstance({}, dict))

print("--- accumulation")
t = 0.0
for i in range(10):
    t += 0.1
print(t, t == 1.0, abs(t - 1.0) < 1e-9)
h = 1.0
for i in range(60):
    h = h / 2
print(h, 1 + h == 1, h * 2 ** 60)
n = 1
for i in range(1, 21):
    n *= i
print(n, n // 3628800, n % 1000003)
x = 1.0
for i in range(30):
    x = x * 1.5 - 0.25
print(x)
