#!/usr/bin/env bash
# Measures the demo player's frame rate with about 500 dots on the map:
#   bash .ci/player-fps.sh
# The built-in demo scenario at three times its traffic (queues build up,
# so about 500 consignments are drawn at once over the five panels, with
# the background load on) is played in headless Chromium at 1280x720 for
# 120 real frames (.ci/player-fps.mjs). Not a CI gate: the frame rate
# depends on what else the machine is doing. Needs node 20+ and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin="${CARGO_TARGET_DIR:-$root/target}/release/clearsim"
[ -x "$bin" ] || cargo build --release --quiet
awk '/^rate_per_day = / { $3 = $3 * 3 } { print }' scenarios/demo.toml > "$work/busy.toml"
"$bin" demo "$work/busy.toml" --mode all --html --out "$work/demo" > /dev/null 2> "$work/warnings"
node --experimental-websocket --no-warnings .ci/player-fps.mjs "$work/demo/demo.html"
