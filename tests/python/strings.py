# Strings: escapes, raw and triple-quoted literals, methods, repr, slicing.
print("--- escapes")
print("tab:\tend", "quote:\"", 'apostrophe:\'', "backslash:\\", "bell-free \x41\u00e9\U0001F600")
print("line one\nline two")
print(r"raw \n stays", r'C:\path\to', len(r"\n"), len("\n"))
print('''triple "quoted"
spans lines''')
print("""another 'one'""")
print("a" "b" 'c', "joined " + "with +", "ab" * 3, 3 * "-")
print("octal \101\102 and null-free")

print("--- repr")
for s in ["plain", "it's", 'say "hi"', "both ' and \"", "tab\there", "new\nline", "back\\slash", "", "é ö η"]:
    print(repr(s), str(s), len(s))
print(repr("\x00\x07\x7f"), repr("\r"))
print([1, "a", 'b"c', "d'e"], ("x",), {"k": "v"})

print("--- methods")
s = "  Hello, World  "
print(s.strip() + "|", s.lstrip() + "|", s.rstrip() + "|", s.upper(), s.lower())
t = s.strip()
print(t.split(", "), t.split(), "a,b,,c".split(","), "a b  c".split(" "), "x".split(","))
print("-".join(["a", "b", "c"]), ", ".join(str(i) for i in range(4)), "".join(["x", "y"]))
print(t.replace("l", "L"), t.replace("l", "", 1), t.find("o"), t.find("z"), t.find("W"))
print(t.startswith("Hell"), t.endswith("d"), t.count("l"), "o" in t, "z" not in t)
print(t[0], t[-1], t[1:4], t[:5], t[7:], t[::2], t[::-1], t[-5:-1], t[100:])
print("abc".capitalize(), "hello world".title(), "123".isdigit(), "12a".isdigit())
print("x=3".split("="), "a.b.c".split(".", 1), "  x ".center(8, "*") + "|", "7".zfill(3))
print("%s|%d|%.3f|%e|%%" % ("a", 42, 3.14159, 12345.678), "ab".ljust(4, ".") + "|", "ab".rjust(4) + "|")
print(ord("A"), chr(97), chr(955), ord("η"), str(12), str(1.5), str(None), str(True), str([1, 2]))
words = "the quick brown fox jumps over the lazy dog".split()
print(len(words), sorted(words), sorted(words, key=len), max(words, key=len), min(words))
print([w.upper() for w in words if len(w) > 3], words.count("the"), words.index("fox"))
print("Zeta" < "alpha", "abc" < "abd", "ab" < "abc", "b" > "abc", "a" * 0 == "")
count = {}
for ch in "mississippi":
    count[ch] = count.get(ch, 0) + 1
print(count, sorted(count.items()), sorted(count, key=lambda c: -count[c]))
for i, ch in enumerate("héllo"):
    print(i, ch, end=" ")
print()
print("end", end="")
print(" same line", "sep", sep="|")
print("a", "b", "c", sep="")
print("x", 1, 2.5, None, True, sep=", ", end=".\n")
print()
greek = "ŷ = σ(z), η = 0.1"
print(len(greek), greek[0], greek[4:8], greek[::-1], greek.find("η"), greek.split(", "), [c for c in greek if c.isdigit()])
print("héllo".center(11, "·"), "ab".zfill(5), "-7".zfill(4), "x".ljust(3, "é") + "|")
