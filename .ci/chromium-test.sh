#!/usr/bin/env bash
# Renders a real report.html in headless Chromium (Debian's package,
# installed here if missing) and checks that the page loads without a
# single console message and that its screenshot is not blank.
#
# The scenario's name carries a <script> that would log to the console if
# the report failed to escape it. A canary page that does log proves first
# that console messages are caught at all.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "chromium test: FAIL: $*" >&2
  exit 1
}

if ! command -v chromium > /dev/null; then
  echo "== installing Debian's chromium"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 $sudo apt-get update -qq > "$work/apt.log" 2>&1 || true
  timeout 900 $sudo apt-get install -y -qq --no-install-recommends chromium >> "$work/apt.log" 2>&1 \
    || fail "apt-get install chromium failed: $(tail -5 "$work/apt.log")"
fi

bin="${CARGO_TARGET_DIR:-$root/target}/release/clearsim"
[ -x "$bin" ] || cargo build --release --quiet

# Renders $1 (a file) to the screenshot $2; Chromium's log goes to $3.
render() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile-$RANDOM" --enable-logging=stderr --v=0 \
    --window-size=1280,4200 --screenshot="$2" "file://$1" > /dev/null 2> "$3" \
    || fail "chromium did not render $1 within 120 s: $(tail -5 "$3")"
  [ -s "$2" ] || fail "no screenshot of $1"
}

echo "== canary: a page that logs to the console must be caught"
printf '<!DOCTYPE html><html><body><h1>canary</h1><script>console.error("canary")</script></body></html>\n' \
  > "$work/canary.html"
render "$work/canary.html" "$work/canary.png" "$work/canary.log"
grep -q ':CONSOLE' "$work/canary.log" || fail "console messages are not visible in Chromium's log; the check below would prove nothing"

echo "== a compare run whose scenario name holds a <script>"
sed "s|^name = .*|name = \"<script>console.error('not escaped')</script> five modes\"|" \
  scenarios/modes/regional_integration.toml > "$work/scenario.toml"
"$bin" compare "$work/scenario.toml" --reps 3 --out "$work/run" --quiet
[ -s "$work/run/report.html" ] || fail "no report.html"

echo "== rendering report.html"
render "$work/run/report.html" "$work/report.png" "$work/report.log"
if grep ':CONSOLE' "$work/report.log"; then
  fail "the report logged to the console (above)"
fi

# Fails unless the screenshot $1 shows charts and tables (not a blank page).
not_blank() {
python3 - "$1" <<'PY'
import struct, sys, zlib

def pixels(path):
    """Width, height and the decompressed scanlines of a PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    return size, zlib.decompress(idat)

(w, h), raw = pixels(sys.argv[1])
distinct = len(set(raw))
busy = sum(1 for b in raw if b not in (0, 255)) / len(raw)
print(f"screenshot {w}x{h}: {distinct} distinct byte values, {busy:.1%} not blank")
# A blank page compresses to a handful of byte values; charts and tables
# give hundreds. The canary (one heading) sits in between.
if distinct < 64 or busy < 0.005:
    sys.exit("chromium test: FAIL: the screenshot looks blank")
PY
}

not_blank "$work/report.png"
echo "== a reform ladder: its report carries the waterfall"
"$bin" ladder scenarios/calibration/reforms_2017_2022.toml --reps 3 --out "$work/ladder" --quiet
grep -q 'id="ladder_waterfall"' "$work/ladder/report.html" || fail "no waterfall chart in the ladder's report.html"
render "$work/ladder/report.html" "$work/ladder.png" "$work/ladder.log"
if grep ':CONSOLE' "$work/ladder.log"; then
  fail "the ladder report logged to the console (above)"
fi
not_blank "$work/ladder.png"

# Renders the report of run directory $1 (named $2) and checks it as above.
check_report() {
  render "$1/report.html" "$work/$2.png" "$work/$2.log"
  if grep ':CONSOLE' "$work/$2.log"; then
    fail "the $2 report logged to the console (above)"
  fi
  not_blank "$work/$2.png"
}

echo "== a sweep of a capacity: its report carries the sweep chart"
"$bin" sweep scenarios/validation/mmc.toml --set resources.servers.capacity=10,11,12 --reps 3 --out "$work/sweep" --quiet
grep -q 'id="sweep"' "$work/sweep/report.html" || fail "no sweep chart in the sweep's report.html"
check_report "$work/sweep" sweep

echo "== a sweep over a grid of two settings: its report carries the heat maps"
"$bin" sweep scenarios/channels.toml --set policy.inspection_rate=0.02,0.05,0.1 \
  --set resources.port_inspection_teams.capacity=3,4 --reps 2 --out "$work/grid" --quiet
for m in release_time_mean_h release_time_p90_h leakage throughput_per_day; do
  grep -q "id=\"sweep_heat_$m\"" "$work/grid/report.html" || fail "no $m heat map in the grid sweep's report.html"
done
check_report "$work/grid" grid

echo "== a capacity plan: its report carries the plan chart, the chosen capacity marked"
"$bin" plan scenarios/validation/mmc.toml --resource servers --target 'wait_mean_h<=0.15' --reps 3 --out "$work/plan" --quiet
grep -q 'id="plan"' "$work/plan/report.html" || fail "no plan chart in the plan's report.html"
grep -q 'chosen: 1[0-9]' "$work/plan/report.html" || fail "the plan chart does not mark the chosen capacity"
check_report "$work/plan" plan
echo "chromium test: reports rendered (compare, ladder, sweep, grid sweep, plan), no console messages, not blank, their charts present"
