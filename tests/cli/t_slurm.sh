# neurotop sweep on a real Slurm: a single-node cluster started here (munge
# on its own socket, slurmctld and slurmd in the foreground as background
# jobs, a slurm.conf in a temporary folder, ports of its own), the job array
# of sweeps/small.sweep submitted with sbatch --wait, every task checked;
# then a task cancelled mid-run (SIGTERM, as on preemption) and the sweep
# resubmitted: it resumes and ends as an uninterrupted run. Needs root and
# the Debian packages slurmctld, slurmd, slurm-client and munge (CI installs
# them); skips visibly without them.
SUITE=cli-slurm
. tests/cli/lib.sh

missing=""
for c in munged mungekey slurmctld slurmd sbatch squeue scancel; do
    command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
    skip "Slurm and munge are not installed (missing:$missing; Debian packages slurmctld slurmd slurm-client munge)"
    finish
    exit $?
fi
if [ "$(id -u)" -ne 0 ]; then
    skip "a test Slurm cluster runs its daemons as root; not root here"
    finish
    exit $?
fi

S="$TMPD/slurm"
mkdir -p "$S/state" "$S/spool"
stop_cluster() {
    for p in "$S/slurmd.bgpid" "$S/slurmctld.bgpid" "$S/munged.pid"; do
        [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
    done
    sleep 1
    rm -rf "$TMPD"
}
trap stop_cluster EXIT

mungekey --create --keyfile "$S/munge.key" --force >/dev/null 2>&1
chmod 600 "$S/munge.key"
munged --force --socket="$S/munge.sock" --key-file="$S/munge.key" --log-file="$S/munged.log" \
    --pid-file="$S/munged.pid" --seed-file="$S/munged.seed" >/dev/null 2>&1 && pass || fail "munged starts"
H=$(hostname)
cat > "$S/slurm.conf" <<CONF
ClusterName=neurotoptest
SlurmctldHost=$H
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$S/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldPort=16817
SlurmdPort=16818
ReturnToService=2
KillWait=20
MpiDefault=none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
NodeName=$H CPUs=$(nproc) RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
SLURM_CONF="$S/slurm.conf"
export SLURM_CONF
slurmctld -D -f "$SLURM_CONF" >"$S/ctld.out" 2>&1 &
echo $! > "$S/slurmctld.bgpid"
slurmd -D -f "$SLURM_CONF" >"$S/d.out" 2>&1 &
echo $! > "$S/slurmd.bgpid"
i=0
while [ "$i" -lt 60 ] && ! sinfo -h -o '%T' 2>/dev/null | grep -q idle; do
    sleep 0.5
    i=$((i + 1))
done
sinfo -h -o '%T' 2>/dev/null | grep -q idle && pass || fail "the node is up: $(tail -n 3 "$S/slurmctld.log" "$S/slurmd.log" 2>&1)"

R="$TMPD/runs"
expect_exit 0 "slurm script" -- "$NEUROTOP" sweep sweeps/small.sweep --runs "$R" --slurm --mem 500M --time 0:10:00
expect_exit 0 "sbatch --wait" -- timeout 300 sbatch --wait "$R/small/sweep.slurm"
for t in 0 1 2 3; do
    d="$R/small/task-000$t"
    n=$(cat "$d"/*-mlp/metrics.jsonl 2>/dev/null | wc -l)
    [ -f "$d/done" ] && [ "$n" = 3 ] && pass || fail "array task $t: done with epochs 0..2 ($n lines; $(cat "$R"/small/slurm/*_$t.out 2>/dev/null | tail -n 2))"
done
[ "$(ls "$R/small/slurm" | wc -l)" -eq 4 ] && pass || fail "one Slurm output file per task"

# Preemption: cancel a running task (SIGTERM first), then resubmit.
cat > "$TMPD/long.sweep" <<'SPEC'
model = mlp
hidden = 20
epoch-size = 2000
qreps = 2
epochs = 150
seed = [5]
SPEC
"$NEUROTOP" sweep "$TMPD/long.sweep" --runs "$R" --slurm --mem 500M --time 0:10:00 >/dev/null
job=$(sbatch --parsable "$R/long/sweep.slurm") && [ -n "$job" ] && pass || fail "submit the long task"
i=0
while [ "$i" -lt 600 ]; do
    n=$(cat "$R"/long/task-0000/*-mlp/metrics.jsonl 2>/dev/null | wc -l)
    [ "$n" -ge 4 ] && break
    sleep 0.1
    i=$((i + 1))
done
scancel --signal=TERM --full "$job"
i=0
while [ "$i" -lt 300 ] && squeue -h -j "$job" 2>/dev/null | grep -q .; do
    sleep 0.2
    i=$((i + 1))
done
n=$(cat "$R"/long/task-0000/*-mlp/metrics.jsonl 2>/dev/null | wc -l)
[ ! -f "$R/long/task-0000/done" ] && [ "$n" -ge 4 ] && [ "$n" -lt 151 ] && pass ||
    fail "preempted: the task stopped part-way ($n metrics lines)"
expect_exit 0 "resubmit" -- "$NEUROTOP" sweep "$TMPD/long.sweep" --runs "$R" --slurm --mem 500M --time 0:10:00
expect_contains "$OUT" "1 of 1 tasks" "resubmit: the unfinished task"
expect_exit 0 "sbatch --wait again" -- timeout 300 sbatch --wait "$R/long/sweep.slurm"
"$NEUROTOP" train --headless --model mlp --hidden 20 --epoch-size 2000 --qreps 2 --epochs 150 --seed 5 \
    --runs "$TMPD/ref" >/dev/null 2>&1
strip() { sed -E 's/"seconds":[^,]*,//; s/"examples_per_sec":[^,]*,//' "$1"; }
strip "$(ls -d "$R"/long/task-0000/*-mlp)/metrics.jsonl" > "$TMPD/a.txt"
strip "$(ls -d "$TMPD"/ref/*-mlp)/metrics.jsonl" > "$TMPD/b.txt"
[ -f "$R/long/task-0000/done" ] && [ "$(wc -l < "$TMPD/a.txt")" -eq 151 ] && cmp -s "$TMPD/a.txt" "$TMPD/b.txt" && pass ||
    fail "resumed on Slurm: epochs 0..150 as an uninterrupted run's ($(wc -l < "$TMPD/a.txt") lines; $(cat "$R"/long/slurm/*.out | tail -n 3))"
grep -h "resuming" "$R"/long/slurm/*.out >/dev/null && pass || fail "the second job resumed the run"

finish
