#!/usr/bin/env bash
# Plays a real demo.html (`clearsim demo --html`) in headless Chromium and
# checks, through screenshots and the DOM Chromium dumps:
#   - the page loads with no console message (a canary proves messages are
#     caught with these very flags);
#   - after scripted play to time T (#play=T), the screenshot differs from
#     the first frame, and the clock stopped at T;
#   - stepping N events (#step=N) moves exactly the consignments whose
#     timelines (the page's inline JSON, read here independently) have an
#     event at the N-th event time: the dots' data-state attributes are
#     compared between N-1 and N steps;
#   - a hostile scenario name (a <script> that would log) is shown as text.
# The page reads its test controls from the URL hash; Chromium's
# --virtual-time-budget lets the scripted play run before the dump (a
# scripted play ticks on the page's timers, which virtual time drives
# deterministically, not on animation frames, which it does not).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "player test: FAIL: $*" >&2
  exit 1
}
command -v chromium > /dev/null || fail "chromium is not installed (.ci/chromium-test.sh installs it)"
bin="${CARGO_TARGET_DIR:-$root/target}/release/clearsim"
[ -x "$bin" ] || cargo build --release --quiet

# Loads URL $1 in headless Chromium at 1280x720 with the remaining
# arguments (--dump-dom, or --screenshot=FILE); its log goes to $work/log.
n=0
chrome() {
  local url=$1
  shift
  n=$((n + 1))
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile-$n" --enable-logging=stderr --v=0 \
    --window-size=1280,720 --virtual-time-budget=8000 "$@" "$url" 2> "$work/log" \
    || fail "chromium did not load $url within 120 s: $(tail -5 "$work/log")"
}
# Fails if the last load logged to the console.
quiet() {
  if grep ':CONSOLE' "$work/log"; then
    fail "$1 logged to the console (above)"
  fi
}

echo "== canary: a page that logs to the console must be caught"
printf '<!DOCTYPE html><html><body><script>console.error("canary")</script></body></html>\n' > "$work/canary.html"
chrome "file://$work/canary.html" --dump-dom > /dev/null
grep -q ':CONSOLE' "$work/log" || fail "console messages are not visible in Chromium's log"

echo "== clearsim demo --mode all --html on a scenario whose name holds a <script>"
hostile="<script>console.error('not escaped')</script> demo & </script>"
sed "s|^name = .*|name = \"${hostile//&/\\&}\"|" scenarios/demo.toml > "$work/scenario.toml"
"$bin" demo "$work/scenario.toml" --mode all --html --out "$work/demo" > /dev/null
page="$work/demo/demo.html"
[ -s "$page" ] || fail "no demo.html"

echo "== first frame"
chrome "file://$page" --screenshot="$work/first.png" > /dev/null
quiet "the first frame"
chrome "file://$page" --dump-dom > "$work/first.dom"
quiet "the page"

echo "== scripted play to T = 3 h"
chrome "file://$page#play=3&speed=8" --screenshot="$work/played.png" > /dev/null
quiet "the played page"
chrome "file://$page#play=3&speed=8" --dump-dom > "$work/played.dom"

for steps in 1 4 9; do
  chrome "file://$page#step=$((steps - 1))" --dump-dom > "$work/step$((steps - 1)).dom"
  quiet "stepping"
  chrome "file://$page#step=$steps" --dump-dom > "$work/step$steps.dom"
done

python3 - "$work" "$hostile" <<'PY'
import json, struct, sys, zlib
from html.parser import HTMLParser

work, hostile = sys.argv[1], sys.argv[2]

def fail(msg):
    sys.exit("player test: FAIL: " + msg)

class Dom(HTMLParser):
    """The parts of a dumped page the checks read."""
    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.body, self.dots, self.scripts, self.h1 = {}, {}, 0, ""
        self.data, self._in = "", None
        self.feed(open(path, encoding="utf-8").read())
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        if tag == "script":
            self.scripts += 1
            self._in = "data" if a.get("id") == "player-data" else None
        if tag == "h1":
            self._in = "h1"
        if "data-c" in a:
            self.dots[a["data-c"]] = a.get("data-state")
    def handle_endtag(self, tag):
        if tag in ("script", "h1"):
            self._in = None
    def handle_data(self, text):
        if self._in == "data":
            self.data += text
        elif self._in == "h1":
            self.h1 += text

def pixels(path):
    data = open(path, "rb").read()
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    return zlib.decompress(idat)

first = Dom(f"{work}/first.dom")
if first.body.get("data-ready") != "1":
    fail("the page's script did not finish starting")
if first.h1 != hostile:
    fail(f"the scenario name is not shown as text: {first.h1!r}")
if first.scripts != 2:
    fail(f"{first.scripts} script elements in the page, expected its own 2")

played = Dom(f"{work}/played.dom")
if played.body.get("data-t") != "3.000":
    fail(f"scripted play stopped at {played.body.get('data-t')}, not 3.000")
a, b = pixels(f"{work}/first.png"), pixels(f"{work}/played.png")
differ = sum(x != y for x, y in zip(a, b)) / max(len(a), 1)
print(f"played frame differs from the first in {differ:.2%} of its bytes")
if len(a) != len(b) or differ < 0.001:
    fail("the frame after playing to T = 3 h looks like the first")

# The n-th event time and who has an event then, from the inline JSON.
d = json.loads(first.data)
def times(dot):
    ts = [dot["arr"], dot["released"], dot["seized"], dot["gone"]]
    ts += [t for s in dot["steps"] for t in s[3:6]]
    return {t for t in ts if t is not None and 0 <= t <= d["span"]}
followed = [(mi, dot) for mi, m in enumerate(d["modes"]) for dot in m["dots"] if dot["followed"]]
events = sorted(set().union(*(times(dot) for _, dot in followed)))
events = [t for t in events if t > 1e-9]
for steps in (1, 4, 9):
    t = events[steps - 1]
    expected = {f"{mi}:{dot['n']}" for mi, dot in followed if t in times(dot)}
    before, after = Dom(f"{work}/step{steps - 1}.dom"), Dom(f"{work}/step{steps}.dom")
    if after.body.get("data-t") != f"{t:.3f}":
        fail(f"step {steps}: the clock is at {after.body.get('data-t')}, the event at {t:.3f}")
    moved = {c for c, s in after.dots.items() if before.dots.get(c) != s}
    if moved != expected:
        fail(f"step {steps} (t = {t}): moved {sorted(moved)}, expected {sorted(expected)}")
    said = set(after.body.get("data-moved", "").split())
    if said != expected:
        fail(f"step {steps}: the page says {sorted(said)} moved, expected {sorted(expected)}")
    print(f"step {steps}: t = {t:.3f} h, moved {sorted(moved)}")
PY
echo "player test: loads quietly, plays, steps exactly, escapes the name"
