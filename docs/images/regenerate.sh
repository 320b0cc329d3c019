#!/usr/bin/env bash
# Regenerates the charts shown in README.md and docs/guide/ from real runs:
#   bash docs/images/regenerate.sh
# Each image is a chart clearsim writes into DIR/plots/ (or, for the demo,
# into its --out directory); this script only runs the commands and copies
# the PNGs here. The demo player's frame is a screenshot of demo.html taken
# by headless Chromium at 1280x720 (the page's #t=, #bg= and #follow= set
# the moment shown).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/clearsim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" compare scenarios/modes/regional_integration.toml --out "$tmp/compare" --quiet
"$bin" sweep scenarios/channels.toml --set policy.inspection_rate=0.01:0.2:0.03 --reps 5 --out "$tmp/sweep" --quiet
"$bin" sweep scenarios/channels.toml --set policy.inspection_rate=0.02,0.05,0.1 --set resources.port_inspection_teams.capacity=3,4 --reps 5 --out "$tmp/grid" --quiet
"$bin" plan scenarios/validation/mmc.toml --resource servers --target 'wait_mean_h<=0.15' --out "$tmp/plan" --quiet
"$bin" run scenarios/national.toml --reps 4 --out "$tmp/national" --quiet
"$bin" demo --mode customs_transit,regional_integration --out "$tmp/demo" > /dev/null
"$bin" ladder scenarios/calibration/reforms_2017_2022.toml --out "$tmp/ladder" --quiet
"$bin" demo --mode all --html --out "$tmp/player" > /dev/null
chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/profile" \
  --window-size=1280,720 --virtual-time-budget=3000 --screenshot="$tmp/player.png" \
  "file://$tmp/player/demo.html#t=5.5&bg=1&follow=2575" 2> /dev/null
cp "$tmp/compare/plots/release_time_cdf.png" docs/images/compare_release_time_cdf.png
cp "$tmp/compare/plots/trs_segments.png" docs/images/compare_trs_segments.png
cp "$tmp/sweep/plots/frontier.png" docs/images/sweep_frontier.png
cp "$tmp/grid/plots/sweep_heat_release_time_p90_h.png" docs/images/sweep_grid_p90.png
cp "$tmp/plan/plots/plan.png" docs/images/plan.png
cp "$tmp/national/plots/busiest_resources.png" docs/images/national_busiest_resources.png
cp "$tmp/national/plots/region_mode_heatmap.png" docs/images/national_region_mode_heatmap.png
cp "$tmp/demo/demo_customs_transit.png" docs/images/demo_customs_transit.png
cp "$tmp/demo/demo_regional_integration.png" docs/images/demo_regional_integration.png
cp "$tmp/ladder/plots/ladder_waterfall.png" docs/images/ladder_waterfall.png
cp "$tmp/player.png" docs/images/demo_player.png
ls -l docs/images/*.png
