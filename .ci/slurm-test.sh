#!/usr/bin/env bash
# Runs docs/slurm's job array on a single-node Slurm cluster started here on
# localhost, and checks that the merged sweep equals a local run byte for
# byte. Installs Debian's slurmctld, slurmd and munge if missing. Every wait
# is bounded; daemons are stopped on exit, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin="$root/target/release/clearsim"
[ -x "$bin" ] || cargo build --release --quiet

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "== installing slurmctld, slurmd, munge (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null
fi

work=$(mktemp -d /tmp/clearsim-slurm.XXXXXX)
chmod 755 "$work"
host=$(hostname -s)
conf="$work/slurm.conf"
export SLURM_CONF="$conf"
pids=()
cleanup() {
  set +e
  [ -f "$work/slurmctld.pid" ] && timeout 5 scancel --user=root >/dev/null 2>&1
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  [ -f "$work/slurmctld.pid" ] && kill "$(cat "$work/slurmctld.pid")" 2>/dev/null
  [ -f "$work/slurmd.pid" ] && kill "$(cat "$work/slurmd.pid")" 2>/dev/null
  [ -f "$work/munge/munged.pid" ] && kill "$(cat "$work/munge/munged.pid")" 2>/dev/null
  sleep 1
}
trap cleanup EXIT
fail() { echo "slurm test FAILED: $*" >&2; for f in "$work"/*.log "$work"/munge/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; } >&2; done; exit 1; }

# munge: its own key and socket in the work directory.
# munged wants its socket's directory open to all and its key's closed.
mkdir -p "$work/munge/key"
dd if=/dev/urandom of="$work/munge/key/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$work/munge"
chmod 755 "$work/munge"
chmod 700 "$work/munge/key"
chmod 400 "$work/munge/key/munge.key"
socket="$work/munge/munge.socket"
runuser -u munge -- /usr/sbin/munged --key-file="$work/munge/key/munge.key" --socket="$socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed" \
  || fail "munged did not start"

mkdir -p "$work/state" "$work/spool"
cat > "$conf" <<CONF
ClusterName=clearsim
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

echo "== starting slurmctld and slurmd on $host"
slurmctld -f "$conf" || fail "slurmctld did not start"
slurmd -f "$conf" || fail "slurmd did not start"
for _ in $(seq 1 60); do
  state=$(sinfo -h -o %t 2>/dev/null | head -1 || true)
  [ "$state" = "idle" ] && break
  sleep 1
done
[ "$state" = "idle" ] || fail "the node did not become idle within 60 s (state: ${state:-none})"

echo "== submitting the job array and its merge"
out="$work/run"
settings="policy.inspection_rate=0.02,0.1"
CLEARSIM="$bin" SCENARIO="$root/scenarios/channels.toml" \
  bash docs/slurm/submit.sh "$out" 3 "$root/scenarios/channels.toml" "$settings" > "$work/submit.log" 2>&1 \
  || fail "submit.sh failed: $(cat "$work/submit.log")"
cat "$work/submit.log"
for _ in $(seq 1 300); do
  [ -z "$(squeue -h 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h 2>/dev/null)" ] && [ -f "$out/merged/sweep.csv" ] || fail "the jobs did not finish within 300 s"

echo "== comparing with a local run"
"$bin" sweep "$root/scenarios/channels.toml" --set "$settings" --out "$work/local" --quiet
for f in summary.csv replications.csv sweep.csv frontier.csv; do
  cmp "$work/local/$f" "$out/merged/$f" || fail "$f differs between the Slurm run and the local run"
done
echo "slurm test: 1 passed, 0 failed"
