#!/usr/bin/env bash
# `make test-slurm`: prove-array.sbatch on a real single-node Slurm cluster started here, then every proof
# verified with `zkverify batch`.
#
#   deploy/slurm/test-slurm.sh <bin dir with zkinfer and zkverify>
#
# 1. Installs slurm-wlm and munge with apt when missing (Debian; root or sudo).
# 2. Writes a private munge key and a single-node slurm.conf under .build/slurm-test/ (own ports and
#    socket, so a Slurm or munge already on the machine is left alone) and starts munged, slurmctld and
#    slurmd in the foreground of this script.
# 3. Makes keys for circuits/mlp_tiny (development SRS), writes 12 inputs, submits the 3-task array and
#    waits for it (squeue; then scontrol for each task's state and exit code — sacct needs slurmdbd,
#    which a test cluster does not run).
# 4. Verifies all 12 proofs with `zkverify batch`, pinned to the key, trusting the SRS by identity.
# The daemons it started are stopped on every exit path (trap), success or failure.
set -euo pipefail

BIN=$(cd "${1:?usage: $0 <bin dir>}" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$ROOT/.build/slurm-test
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
TIMEOUT=${SLURM_TEST_TIMEOUT:-300}
INPUTS=12
TASKS=3

say() { echo "test-slurm: $*"; }

# --- 1. packages ---------------------------------------------------------------------------------------
missing=()
for package in slurm-wlm munge; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (apt)"
    $SUDO apt-get update -qq
    # Services are not started by the packages here: this script runs its own daemons.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol; do
    command -v "$tool" >/dev/null || { echo "test-slurm: $tool not found after installing slurm-wlm and munge" >&2; exit 1; }
done

# --- 2. daemons ----------------------------------------------------------------------------------------
pids=()
# Job steps (slurmstepd) are forked by our slurmd and end by themselves soon after their job; they are the
# slurmstepd processes that did not exist before this script started its slurmd.
steps_before=" $( (pgrep -x slurmstepd || true) | tr '\n' ' ') "
our_steps() {
    for pid in $(pgrep -x slurmstepd || true); do
        case "$steps_before" in *" $pid "*) ;; *) echo "$pid" ;; esac
    done
}
stop_daemons() {
    local status=$?
    # Give job steps 10 s to end while slurmd still runs (a failed run may leave some), then end them.
    for _ in $(seq 100); do [ -z "$(our_steps)" ] && break; sleep 0.1; done
    steps=$(our_steps)
    [ -z "$steps" ] || kill -9 $steps 2>/dev/null || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ ${#pids[@]} -eq 0 ] || say "stopped the daemons it started (${pids[*]})${steps:+ and job steps $steps}"
    if [ $status -ne 0 ]; then
        for log in "$WORK"/slurmctld.log "$WORK"/slurmd.log "$WORK"/munged.log "$WORK"/logs/*; do
            [ -f "$log" ] && { echo "---- $log (last lines)"; tail -n 20 "$log"; }
        done
        say "FAILED (exit $status)"
    fi
    exit $status
}
trap stop_daemons EXIT
trap 'exit 130' INT TERM

rm -rf "$WORK"
mkdir -p "$WORK"/{munge,state,spool,logs,keys,inputs,proofs}
chmod 755 "$WORK/munge"  # munged wants the socket directory searchable by all

# munge: a fresh key, our own socket; foreground (-F) so that $! is the daemon. --force: root may run it.
mungekey --create --keyfile="$WORK/munge/munge.key" --force
chmod 600 "$WORK/munge/munge.key"
munged -F --force --key-file="$WORK/munge/munge.key" --socket="$WORK/munge/munge.socket" \
    --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/munged.log" --seed-file="$WORK/munge/munged.seed" \
    >>"$WORK/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$WORK/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$WORK/munge/munge.socket" ] || { echo "test-slurm: munged did not start" >&2; exit 1; }

HOST=$(hostname -s)
# The node's real CPUs and memory, as slurmd sees them (a mismatch would drain the node).
NODE=$(slurmd -C | sed -n 's/^\(NodeName=.*\)$/\1/p' | head -1)
[ -n "$NODE" ] || { echo "test-slurm: slurmd -C printed no node line" >&2; exit 1; }
NODE=$(echo "$NODE" | sed "s/NodeName=[^ ]*/NodeName=$HOST/; s/ UpTime=.*//")
cat > "$WORK/slurm.conf" <<EOF
# Written by deploy/slurm/test-slurm.sh: a single-node test cluster, everything under $WORK.
ClusterName=zkinfer-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$WORK/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MinJobAge=3600
SlurmdTimeout=60
$NODE NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$WORK/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" >>"$WORK/slurmctld.log" 2>&1 &
pids+=($!)
slurmd -D -N "$HOST" -f "$SLURM_CONF" >>"$WORK/slurmd.log" 2>&1 &
pids+=($!)

ready=""
for _ in $(seq 150); do
    state=$(sinfo -h -n "$HOST" -o '%T' 2>/dev/null || true)
    case "$state" in idle*|mixed*|allocated*) ready=$state; break ;; esac
    sleep 0.2
done
[ -n "$ready" ] || { echo "test-slurm: node $HOST not ready (state: ${state:-none})" >&2; exit 1; }
say "cluster up: node $HOST $ready ($(echo "$NODE" | grep -o 'CPUs=[0-9]*'))"

# --- 3. the array --------------------------------------------------------------------------------------
MODEL=$ROOT/circuits/mlp_tiny
"$BIN/zkinfer" compile "$MODEL/model.onnx" -o "$WORK/keys/circuit.zkc" >/dev/null
K=$("$BIN/zkinfer" stats "$MODEL/model.onnx" --json | sed -n 's/.*"log2Rows":\([0-9]*\).*/\1/p')
"$BIN/zkinfer" params dev --log2 "$K" -o "$WORK/keys/dev.srs" >/dev/null 2>&1
"$BIN/zkinfer" setup "$WORK/keys/circuit.zkc" --params "$WORK/keys/dev.srs" -o "$WORK/keys" >/dev/null 2>&1
IDENTITY=$("$BIN/zkinfer" params info "$WORK/keys/dev.srs" --json | sed -n 's/.*"srs_identity":"\([0-9a-f]*\)".*/\1/p')
# 12 inputs: the model's input with every value scaled by 1 − k/12.
python3 - "$MODEL/input.json" "$WORK/inputs" "$INPUTS" <<'PY'
import json, sys
source, folder, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
values = json.load(open(source))["input_data"][0]
for k in range(count):
    json.dump({"input_data": [[v * (1 - k / count) for v in values]]}, open(f"{folder}/x{k + 1:02d}.json", "w"))
PY

start=$(date +%s)
JOB=$(ZKINFER="$BIN/zkinfer" ZKINFER_JOBS=1 sbatch --parsable --array=0-$((TASKS - 1)) --chdir="$WORK" \
    --output="$WORK/logs/%A_%a.out" --export=ALL "$ROOT/deploy/slurm/prove-array.sbatch" \
    "$WORK/keys/circuit.zkc" "$WORK/keys/pk.bin" "$WORK/inputs" "$WORK/proofs")
JOB=${JOB%%;*}
say "submitted array job $JOB ($TASKS tasks over $INPUTS inputs)"
while [ -n "$(squeue -h -j "$JOB" 2>/dev/null)" ]; do
    if [ $(( $(date +%s) - start )) -gt "$TIMEOUT" ]; then
        echo "test-slurm: job $JOB still queued or running after ${TIMEOUT}s" >&2
        squeue -j "$JOB" >&2 || true
        scancel "$JOB" 2>/dev/null || true
        exit 1
    fi
    sleep 1
done
elapsed=$(( $(date +%s) - start ))
# Each task's final state and exit code.
states=$(scontrol -o show job "$JOB" | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/\1 \2 \3/p' | sort -n)
echo "$states" | while read -r task state code; do say "task $task: $state, exit $code"; done
[ "$(echo "$states" | grep -c ' COMPLETED 0:0$')" -eq "$TASKS" ] || { echo "test-slurm: not every task completed with exit 0" >&2; exit 1; }
proofs=$(find "$WORK/proofs" -name '*.proof' | wc -l)
summaries=$(find "$WORK/proofs" -name 'summary-*of3.json' | wc -l)
say "array finished in ${elapsed}s: $proofs proofs, $summaries shard summaries"
[ "$proofs" -eq "$INPUTS" ] && [ "$summaries" -eq "$TASKS" ] || { echo "test-slurm: expected $INPUTS proofs and $TASKS summaries" >&2; exit 1; }

# --- 4. verify -----------------------------------------------------------------------------------------
"$BIN/zkverify" batch "$WORK/proofs" --vk "$WORK/keys/vk.bin" --trust-srs "$IDENTITY" > "$WORK/verify.out" 2> "$WORK/verify.err" \
    || { cat "$WORK/verify.out" "$WORK/verify.err" >&2; exit 1; }
grep -q "^$INPUTS of $INPUTS valid" "$WORK/verify.err" || { cat "$WORK/verify.err" >&2; exit 1; }
say "zkverify batch: $(head -1 "$WORK/verify.err")"
say "1 passed, 0 failed"
