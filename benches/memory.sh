#!/usr/bin/env bash
# Peak memory of a 100-million-consignment M/M/c run.
#
# Writes a temporary copy of scenarios/validation/mmc.toml (λ = 9 /h, c = 10)
# with horizon_h = 11111112 (≈ 100 million arrivals), no warm-up and one
# replication, builds the release binary, runs it single-threaded under
# /usr/bin/time -v and prints the consignments simulated, the wall time and
# the peak resident set size. Exits non-zero if the build or the run fails.
#
# Usage: benches/memory.sh        (from anywhere; takes about 20-30 s)
# Needs: cargo, GNU time at /usr/bin/time (Debian/Ubuntu package `time`).
# Results are recorded in docs/performance.md.
set -euo pipefail

cd "$(dirname "$0")/.."

BUDGET_MB=200
HORIZON_H=11111112

if [[ ! -x /usr/bin/time ]]; then
    echo "error: /usr/bin/time (GNU time) is needed for the peak RSS; install the 'time' package" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/clearsim-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT
scenario="$work/memory_mmc_100m.toml"
out="$work/out"
timelog="$work/time.txt"

# Top-level keys must precede the first table, so the replaced keys are
# dropped from the top-level part of the file and the new ones put first.
{
    echo 'name = "memory_mmc_100m"'
    echo 'replications = 1'
    echo "horizon_h = $HORIZON_H"
    echo 'warmup_h = 0'
    awk '
        /^[[:space:]]*\[/ { in_tables = 1 }
        !in_tables && /^[[:space:]]*(name|replications|horizon_h|horizon_days|warmup_h|warmup_days)[[:space:]]*=/ { next }
        { print }
    ' scenarios/validation/mmc.toml
} >"$scenario"

echo "== cargo build --release"
cargo build --release --quiet --bin clearsim

echo "== /usr/bin/time -v target/release/clearsim run $scenario --out $out --threads 1 --quiet"
status=0
/usr/bin/time -v -o "$timelog" \
    target/release/clearsim run "$scenario" --out "$out" --threads 1 --quiet || status=$?
if [[ $status -ne 0 ]]; then
    echo "error: the run failed with exit code $status" >&2
    cat "$timelog" >&2 || true
    exit "$status"
fi

manifest="$out/manifest.json"
field() { # a numeric field of manifest.json's "run" object
    sed -n "s/^ *\"$1\": *\([0-9.eE+-]*\),\{0,1\}$/\1/p" "$manifest" | head -n 1
}
consignments=$(field consignments_simulated)
events=$(field events)
sim_seconds=$(field wall_seconds)
rss_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$timelog")
elapsed=$(sed -n 's/^.*Elapsed (wall clock) time ([^)]*): *//p' "$timelog")
if [[ -z "$consignments" || -z "$rss_kb" ]]; then
    echo "error: could not read the results (manifest or time log incomplete)" >&2
    exit 1
fi

awk -v n="$consignments" -v ev="$events" -v s="$sim_seconds" -v kb="$rss_kb" \
    -v el="$elapsed" -v budget="$BUDGET_MB" 'BEGIN {
    mb = kb * 1024 / 1e6
    printf "consignments simulated:     %d\n", n
    printf "events handled:             %d\n", ev
    printf "wall time (whole process):  %s ([h:]m:ss)\n", el
    printf "wall time (simulation):     %.2f s  (%.2f M consignments/s)\n", s, n / s / 1e6
    printf "Maximum resident set size:  %.1f MB  (%d KiB, %.1f MiB)\n", mb, kb, kb / 1024
    printf "under the %d MB budget:     %s\n", budget, (mb < budget ? "yes" : "NO")
}'
