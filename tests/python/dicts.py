# Dicts: literals, lookup, iteration in insertion order, methods, comprehensions.
d = {"w": 0.5, "b": -1, "name": "unit", 3: [1, 2], (1, 2): "pair"}
print(d)
print(d["w"], d[3], d[(1, 2)], len(d), "w" in d, "x" in d, 3 in d, "unit" in d)
d["lr"] = 0.1
d["w"] = 0.75
print(d)
del d["name"]
print(d, list(d), list(d.keys()), list(d.values()))
for k in d:
    print(k, d[k])
for k, v in d.items():
    print(f"{k!r} -> {v!r}")
print(d.get("lr"), d.get("missing"), d.get("missing", 42), d.pop("lr"), d)
e = dict(a=1, b=2)
e.update({"b": 20, "c": 30})
print(e, dict([("x", 1), ("y", 2)]), {}, dict())
sq = {i: i * i for i in range(6)}
print(sq, {k: v for k, v in sq.items() if v % 2 == 0})
inv = {v: k for k, v in e.items()}
print(inv, sorted(inv), sorted(e.items(), key=lambda kv: kv[1], reverse=True))
f = e
f["z"] = 0
g = e.copy()
g["y"] = -1
print(e, f, g, e == f, e == g, {1: 2} == {1: 2.0})
hist = {}
for w in "a b a c b a".split():
    if w in hist:
        hist[w] += 1
    else:
        hist[w] = 1
print(hist, max(hist, key=lambda k: hist[k]))
nested = {"layers": [3, 4, 1], "opts": {"epochs": 1000, "lr": 1.0}}
print(nested, nested["opts"]["epochs"], nested["layers"][-1])
nested["opts"]["lr"] /= 2
print(nested["opts"])
print(len({}), bool({}), bool({0: 0}), {True: "t", 1.5: "f"})
keys = ["k" + str(i) for i in range(4)]
table = dict(zip(keys, range(4)))
print(table, sum(table.values()), [k for k, v in table.items() if v > 1])
