# Formatted output: f-strings with format specs and !r, str.format, the %
# operator, and print's sep and end, as a training log would use them.
import math

loss = [0.6559191075, 0.4997933573, 0.0980698644, 0.0100880494, 0.000123456]
for epoch, C in enumerate(loss):
    print(f"epoch {epoch:4d} loss {C:.4f} ({C:e}) {C:.2f}")
print(f"{math.pi:.2f} {math.pi:.4f} {math.pi:10.3f}| {-math.pi:.1f} {math.e:.6f} {1e6:.1f} {2.5e-7:.3e}")
print(f"{42:4d}|{-42:5d}|{7:d}|{0:3d}|{123456:2d}|")
print(f"{'left':<8}|{'right':>8}|{'x'!r}|{'it' + chr(39) + 's'!r}|{3.0!r}|{[1, 'a']!r}")
name, value = "w1", 0.30233257263183977
print(f"{name} = {value}", f"{name}={value:.3f}", f"{value!r}", f"{value * 100:.1f}%")
print(f"{{braces}} {1 + 2} {'nested ' + str(len([1, 2]))} {[i * i for i in range(4)]}")
width = 7
print(f"{3.14159:.{width - 4}f}", f"{'pad':>{width}}|", f"{12:{width}d}|")
rows = [("alpha", 1, 0.5), ("beta", 22, 0.25), ("gamma", 333, 0.125)]
for label, n, frac in rows:
    print(f"{label:>8} {n:5d} {frac:.3f} {frac:e}")

print("--- str.format")
print("{} + {} = {}".format(1, 2, 1 + 2))
print("{0} {1} {0}".format("a", "b"), "{x}-{y}".format(x=1, y=2), "{:.3f}".format(2 / 3), "{:5d}|".format(42))
print("{:>6}|{:<6}|".format("ab", "cd"), "{!r}".format("q"), "[{}]".format([1.5, 2]), "{}".format(None))
print("w = {:.3f}, b = {:.3f}".format(0.12345, -1.5), "{:e}".format(1234.5))

print("--- percent")
print("%d items" % 3, "%s and %s" % ("x", [1, 2]), "%.2f" % 3.14159, "%5.1f|" % 2.25, "%e" % 0.000123)
print("%d%%" % 50, "%s" % (1.5,), "%r" % "quoted", "%(a)s-%(b)d" % {"a": "k", "b": 7}, "%i" % 9, "%.3e" % 1e10)
print("%-6d|%6d|%06.2f" % (12, 34, 3.14159))

print("--- print")
print(1, 2, 3)
print(1, 2, 3, sep=", ")
print("no newline", end="")
print(" ... then the rest")
print("a", "b", sep="")
print(*["unpacked", "list"], sep=" | ")
print(*range(5))
print("multi", "sep", "end", sep="-", end="!\n")
print()
print(repr(0.1), str(0.1), repr("s"), str("s"), repr(None), repr(True), repr((1,)), repr([]), repr({}))
print(str(1e100), str(1.0e-100), str(123456789.0), str(1234567890123456789.0), str(0.000001), str(1e-7))
print(float("3.0"), float("1e500"), float("-0"), int("-12"), str(-0.0), 1e308 * 10 - 1e308 * 10)
