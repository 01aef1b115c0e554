#!/usr/bin/env bash
# --record on a terminal records what the terminal showed, as asciinema
# does: a `watch train(...)` session in tmux, whose recording must hold the
# live view's frames (its status line, the full-screen switch), the key that
# left it (an "i" event), a resize (an "r" event) and what came after; be
# valid asciicast v2 (a JSON header, then [time, kind, text] events in time
# order, all of it strict UTF-8); end with nudge's own exit status; leave no
# temporary file; and, where asciinema is installed, replay.
. "$(dirname "$0")/../tmux/lib.sh"

fail() { echo "FAIL: $*"; echo "---- screen ----"; screen; echo "----------------"; exit 1; }

cat > "$WORK/view.nd" <<'ND'
x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]];
net = mlp(3, 4, 1, seed=1);
watch train(net, x, y, epochs=300, lr=1, speed=200)
print("after the view")
no_such_name
ND

COLS=100 ROWS=30 start bash --norc --noprofile -c "cd '$WORK' && '$NUDGE' -e --record view.cast view.nd; echo REC-END:\$?; exec sleep 600"
wait_for "net · mlp 3→4→1"
sleep 0.3
t resize-window -t main -x 90 -y 28
wait_for "any key back to the prompt" 10
type_keys "x"
wait_for "REC-END:"
screen | grep -qxF "REC-END:1" || fail "the session's status (1, from its error) did not come through"
pass "the recorded session ran its live view and ended with its own status"

ls "$WORK" | grep -q 'tmp-' && fail "a temporary file was left: $(ls "$WORK")"
/usr/bin/python3 - "$WORK/view.cast" <<'PY' || exit 1
import json, re, sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")          # strict: every byte valid UTF-8
lines = text.splitlines()
head = json.loads(lines[0])
assert head["version"] == 2, head
assert (head["width"], head["height"]) == (100, 30), head
last, out, keys, sizes, frames = 0.0, "", "", [], []
for line in lines[1:]:
    ev = json.loads(line)
    assert isinstance(ev, list) and len(ev) == 3, line
    t, kind, data = ev
    assert isinstance(t, float) and isinstance(data, str), line
    assert kind in ("o", "i", "r"), line
    assert t >= last, f"time went back at {line}"
    last = t
    if kind == "o":
        # Output while the full screen is up is the live view's frames.
        if "\x1b[?1049h" in out + data and "\x1b[?1049l" not in out:
            frames.append(t)
        out += data
    elif kind == "i":
        keys += data
    else:
        sizes.append(data)
# The text as drawn, without its colours and cursor moves (ncurses redraws
# only the cells that change, so a frame is mostly digits).
plain = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|[\x0e\x0f]", "", out)
for want in ["net · mlp 3→4→1", "epoch", "output over (x1, x2)", "any key back to the prompt",
             ">> watch train(net", "cost 0.6559 → 0.4318", "after the view", "unknown name 'no_such_name'"]:
    assert want in plain, f"the recording's output lacks {want!r}"
assert "\x1b[?1049h" in out and "\x1b[?1049l" in out, "no full-screen view in the recording"
assert len(frames) >= 10 and frames[-1] - frames[0] >= 1.0, \
    f"the live view left {len(frames)} frames over {frames[-1] - frames[0] if frames else 0:.2f} s"
assert "x" in keys, f"the key that left the view is not recorded: {keys!r}"
assert "90x28" in sizes, f"the resize is not recorded: {sizes}"
assert plain.index("any key back") < plain.index("after the view")
print(f"ok: {len(lines) - 1} events over {last:.2f} s: {len(frames)} of the live view over "
      f"{frames[-1] - frames[0]:.2f} s, keys {keys!r}, resizes {sizes}")
PY
if command -v asciinema >/dev/null 2>&1; then
    script -q -e -c "asciinema cat '$WORK/view.cast'" "$WORK/typescript" > /dev/null 2>&1 < /dev/null || true
    /usr/bin/python3 - "$WORK/typescript" <<'PY' || fail "asciinema cat did not replay the live view"
import re, sys
out = open(sys.argv[1], encoding="utf-8", errors="replace").read()
plain = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|[\x0e\x0f]", "", out)
assert "\x1b[?1049h" in out and "net · mlp 3→4→1" in plain and "any key" in plain and "after the view" in plain
PY
    pass "asciinema cat replays the live view"
else
    echo "note: asciinema is not installed; checked the format only"
fi
