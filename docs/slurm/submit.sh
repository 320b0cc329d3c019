#!/usr/bin/env bash
# Queues a sharded clearsim sweep and its merge on a Slurm cluster:
#   docs/slurm/submit.sh OUT_DIR SHARDS [SCENARIO] [SETTINGS]
# e.g. docs/slurm/submit.sh /shared/run1 8 scenarios/channels.toml policy.inspection_rate=0.005:0.2:0.005
# `clearsim` must be on the nodes' PATH (or set CLEARSIM), OUT_DIR on a
# filesystem every node sees.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: submit.sh OUT_DIR SHARDS [SCENARIO] [SETTINGS]}
SHARDS=${2:?usage: submit.sh OUT_DIR SHARDS [SCENARIO] [SETTINGS]}
export OUT SHARDS
[ $# -ge 3 ] && export SCENARIO=$3
[ $# -ge 4 ] && export SETTINGS=$4
# Job logs go beside the results, not into the directory sbatch ran from.
mkdir -p "$OUT/logs"
array=$(sbatch --parsable --array="1-$SHARDS" --export=ALL \
  --output="$OUT/logs/clearsim-sweep-%A_%a.log" "$here/sweep.sbatch")
merge=$(sbatch --parsable --dependency="afterok:${array%%;*}" --export=ALL \
  --output="$OUT/logs/clearsim-merge-%j.log" "$here/merge.sbatch")
echo "array job $array, merge job $merge; results in $OUT/merged"
