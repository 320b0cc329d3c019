#!/usr/bin/env bash
# The national scenario at full public scale: wall time and peak memory of
# one replication of one simulated day, and of a longer run from which a
# year is extrapolated.
#
# Writes a temporary copy of scenarios/national.toml with volume_scale = 1
# (every rate at national volume, every capacity at its full_scale_capacity),
# one replication, no warm-up and horizon_days = DAYS, builds the release
# binary, runs it under /usr/bin/time -v and prints the consignments
# simulated, the wall and CPU time of the whole process, the simulation's
# own time (manifest.json) and the peak resident set size. The scenario
# starts on Monday 2 November 2026; the Double-11 peak comes on days 10 to
# 12, so the default second run (14 days) includes it and its memory peak.
#
# Usage: benches/national.sh [DAYS...]   (default: 1 14; about 1 + 10 minutes)
#   The first run is the one-day figure (target: under 60 s); the last is
#   extrapolated to 365 days at its own rate per simulated day.
# Needs: cargo, GNU time at /usr/bin/time (Debian/Ubuntu package `time`).
# Results are recorded in docs/performance.md.
set -euo pipefail

cd "$(dirname "$0")/.."

DAY_TARGET_S=60
MEMORY_BUDGET_MIB=1024

days_list=("$@")
if [[ ${#days_list[@]} -eq 0 ]]; then
    days_list=(1 14)
fi
for d in "${days_list[@]}"; do
    if ! [[ "$d" =~ ^[1-9][0-9]*$ ]] || ((d > 366)); then
        echo "error: DAYS must be a whole number of days from 1 to 366, got '$d'" >&2
        exit 2
    fi
done
if [[ ! -x /usr/bin/time ]]; then
    echo "error: /usr/bin/time (GNU time) is needed for the peak RSS; install the 'time' package" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/clearsim-national.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== cargo build --release"
cargo build --release --quiet --bin clearsim

# Runs DAYS simulated days; prints the figures and leaves them in globals.
run_days() {
    local days=$1
    local scenario="$work/national_${days}d.toml"
    local out="$work/out_${days}d"
    local timelog="$work/time_${days}d.txt"
    # Top-level keys must precede the first table, so the replaced keys are
    # dropped from the top-level part of the file and the new ones put first.
    {
        echo "name = \"national_full_scale_${days}d\""
        echo 'replications = 1'
        echo "horizon_days = $days"
        echo 'warmup_h = 0'
        echo 'volume_scale = 1.0'
        awk '
            /^[[:space:]]*\[/ { in_tables = 1 }
            !in_tables && /^[[:space:]]*(name|replications|horizon_h|horizon_days|warmup_h|warmup_days|volume_scale)[[:space:]]*=/ { next }
            { print }
        ' scenarios/national.toml
    } >"$scenario"

    echo
    echo "== $days simulated day(s): /usr/bin/time -v target/release/clearsim run ... --quiet"
    local status=0
    /usr/bin/time -v -o "$timelog" \
        target/release/clearsim run "$scenario" --out "$out" --quiet || status=$?
    if [[ $status -ne 0 ]]; then
        echo "error: the run failed with exit code $status" >&2
        cat "$timelog" >&2 || true
        exit "$status"
    fi
    local manifest="$out/manifest.json"
    field() { # a numeric field of manifest.json's "run" object
        sed -n "s/^ *\"$1\": *\([0-9.eE+-]*\),\{0,1\}$/\1/p" "$manifest" | head -n 1
    }
    consignments=$(field consignments_simulated)
    sim_seconds=$(field wall_seconds)
    rss_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$timelog")
    user_s=$(sed -n 's/^[[:space:]]*User time (seconds): *//p' "$timelog")
    elapsed=$(sed -n 's/^.*Elapsed (wall clock) time ([^)]*): *//p' "$timelog")
    wall_s=$(awk -v e="$elapsed" 'BEGIN { n = split(e, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
    if [[ -z "$consignments" || -z "$rss_kb" ]]; then
        echo "error: could not read the results (manifest or time log incomplete)" >&2
        exit 1
    fi
    awk -v n="$consignments" -v s="$sim_seconds" -v w="$wall_s" -v u="$user_s" \
        -v kb="$rss_kb" -v days="$days" 'BEGIN {
        printf "consignments simulated:     %d  (%.1f million a day)\n", n, n / days / 1e6
        printf "wall time (whole process):  %.1f s  (%.2f M consignments/s)\n", w, n / w / 1e6
        printf "CPU time (user):            %.1f s\n", u
        printf "wall time (simulation):     %.1f s\n", s
        printf "maximum resident set size:  %.1f MiB\n", kb / 1024
    }'
}

first=${days_list[0]}
run_days "$first"
day_wall=$(awk -v w="$wall_s" -v d="$first" 'BEGIN { print w / d }')
awk -v w="$day_wall" -v t="$DAY_TARGET_S" -v kb="$rss_kb" -v b="$MEMORY_BUDGET_MIB" 'BEGIN {
    printf "one simulated day under %d s:  %s (%.1f s a day)\n", t, (w < t ? "yes" : "NO"), w
    printf "memory under %d MiB:         %s\n", b, (kb / 1024 < b ? "yes" : "NO")
}'
for d in "${days_list[@]:1}"; do
    run_days "$d"
done
last=${days_list[${#days_list[@]}-1]}
echo
awk -v w="$wall_s" -v u="$user_s" -v n="$consignments" -v d="$last" -v kb="$rss_kb" -v b="$MEMORY_BUDGET_MIB" 'BEGIN {
    printf "a year extrapolated from the %d-day run at its rate per simulated day:\n", d
    printf "  %.2f billion consignments, %.0f s wall (%.1f h) on one core\n", n / d * 365 / 1e9, w / d * 365, w / d * 365 / 3600
    printf "  (%.0f s, %.1f h, of CPU time: the wall time on a machine that gives the run a whole core)\n", u / d * 365, u / d * 365 / 3600
    printf "  memory follows the consignments in flight, not those simulated; this run peaked\n"
    printf "  at %.1f MiB (under %d MiB: %s), and a year holds no more in flight than its busiest\n", kb / 1024, b, (kb / 1024 < b ? "yes" : "NO")
    printf "  days (a run of %d day(s) includes the Double-11 peak only if %d >= 12)\n", d, d
}'
