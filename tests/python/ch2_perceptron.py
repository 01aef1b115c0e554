# Chapter 2 with lists: the perceptron rule, epoch after epoch, until an
# epoch makes no mistakes (AND and OR), and XOR, which never settles.
def step(z):
    return 1 if z > 0 else 0

def dot(w, x):
    s = 0.0
    for wi, xi in zip(w, x):
        s += wi * xi
    return s

def train(data, lr=0.1, max_epochs=50, verbose=True):
    w = [0.0, 0.0, 0.0]              # two inputs and a bias weight
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for x, y in data:
            xb = x + [1]
            y_hat = step(dot(w, xb))
            error = y - y_hat
            if error != 0:
                mistakes += 1
                w = [wi + lr * error * xi for wi, xi in zip(w, xb)]
                if verbose:
                    print(f"  epoch {epoch}: x = {x}, y = {y}, y_hat = {y_hat}, w -> {w}")
        print(f"epoch {epoch:2d}: {mistakes} mistake{'s' if mistakes != 1 else ''}, w = {w}")
        if mistakes == 0:
            return w, epoch
    return w, None

inputs = [[0, 0], [0, 1], [1, 0], [1, 1]]
for name, targets in [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1])]:
    print("---", name)
    w, epochs = train(list(zip(inputs, targets)))
    print(name, "converged after", epochs, "epochs with w =", w)
    for x, y in zip(inputs, targets):
        print("  ", x, "->", step(dot(w, x + [1])), "want", y)

print("--- XOR")
w, epochs = train(list(zip(inputs, [0, 1, 1, 0])), max_epochs=8, verbose=False)
print("XOR after 8 epochs:", epochs, w)

# The rule without a learning rate: w <- w + x or w - x.
w = [0, 0, 0]
changes = 0
for epoch in range(10):
    clean = True
    for x, y in zip(inputs, [0, 0, 0, 1]):
        xb = x + [1]
        s = sum(a * b for a, b in zip(w, xb))
        if y == 1 and s <= 0:
            w = [a + b for a, b in zip(w, xb)]
            clean = False
            changes += 1
        elif y == 0 and s > 0:
            w = [a - b for a, b in zip(w, xb)]
            clean = False
            changes += 1
    print(epoch, w, clean)
    if clean:
        break
print("integer rule:", w, "after", changes, "changes")
