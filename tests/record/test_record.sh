#!/usr/bin/env bash
# --record without a terminal (output to a file) writes an asciicast v2
# file of the session's output: a JSON header line with version 2, then
# [seconds, "o", text] events with times that never go back, holding
# what was printed (statements echoed, results, errors).  Where Debian's
# asciinema is installed, `asciinema cat` must replay it.
set -eu
NUDGE=${1:?usage: $0 path/to/nudge}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/demo.nd" <<'ND'
say "A dot product"
a = [3, -1, 2]
b = dot(a, a)
sleep(0.1)
c = d
ND
status=0
"$NUDGE" -e --no-pause --record "$work/demo.cast" "$work/demo.nd" > "$work/stdout" 2>&1 || status=$?
[ "$status" = 1 ] || { echo "FAIL: expected exit status 1 (the script's error), got $status"; exit 1; }
python3 - "$work/demo.cast" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = json.loads(lines[0])
assert head["version"] == 2 and head["width"] > 0 and head["height"] > 0, head
last, text = 0.0, ""
for line in lines[1:]:
    t, kind, data = json.loads(line)
    assert kind == "o" and isinstance(data, str), line
    assert t >= last, f"time went back at {line}"
    last, text = t, text + data
for want in [">> a = [3, -1, 2]", "b = 14", "unknown name 'd'", "A dot product"]:
    assert want in text, f"the recording lacks {want!r}"
assert last >= 0.1, "the sleep(0.1) should show in the timings"
print(f"ok: {len(lines) - 1} events over {last:.2f} s")
PY
if command -v asciinema >/dev/null 2>&1; then
    # asciinema cat wants a terminal: give it one with script(1).  It
    # writes an install id into its config folder: that stays in $work.
    HOME="$work" XDG_CONFIG_HOME="$work/config" \
        script -q -e -c "asciinema cat '$work/demo.cast'" "$work/typescript" > /dev/null 2>&1 < /dev/null || true
    grep -q "b = 14" "$work/typescript" || { echo "FAIL: asciinema cat did not replay it"; cat "$work/typescript"; exit 1; }
    echo "ok: asciinema cat replays it"
else
    echo "note: asciinema is not installed; checked the format only"
fi
