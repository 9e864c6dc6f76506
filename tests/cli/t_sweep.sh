# neurotop sweep: a grid of headless runs listed, run here J at a time,
# skipped when done, resumed when cut off, and written out for Slurm and
# GNU parallel (tests/cli/t_slurm.sh submits to a real Slurm).
SUITE=cli-sweep
. tests/cli/lib.sh

SPEC=sweeps/small.sweep
R="$TMPD/runs"

expect_exit 0 "list" -- "$NEUROTOP" sweep "$SPEC" --list --runs "$R"
[ "$(printf '%s\n' "$OUT" | grep -c '^ *[0-9]  new ')" -eq 4 ] && pass || fail "list: 4 new tasks: $OUT"
expect_contains "$OUT" "   3  new     --model mlp --hidden 20 --epoch-size 2000 --qreps 2 --epochs 2 --lr 0.3 --seed 1" \
    "list: the last task, last key fastest"
[ ! -e "$R" ] && pass || fail "list writes nothing"

expect_exit 0 "run all" -- "$NEUROTOP" sweep "$SPEC" --runs "$R" --jobs 2
expect_contains "$OUT" "sweep small: 4 of 4 tasks done" "run all: summary"
[ "$(printf '%s\n' "$OUT" | grep -c '^\[[1-4]/4\] task [0-3] lr=0\.[13] seed=[01]: done in')" -eq 4 ] && pass ||
    fail "run all: a progress line per task: $OUT"
for t in 0 1 2 3; do
    d="$R/small/task-000$t"
    [ -f "$d/done" ] && pass || fail "task $t: done marker"
    run=$(ls -d "$d"/*-mlp 2>/dev/null | head -n 1)
    n=$(wc -l < "$run/metrics.jsonl" 2>/dev/null)
    [ "$n" = 3 ] && pass || fail "task $t: epochs 0..2 in metrics.jsonl ($n lines)"
    grep -q '"seed":' "$run/run.json" && pass || fail "task $t: run.json"
done
grep -q '"lr":0.29999999999999999' "$(ls -d "$R"/small/task-0002/*-mlp)/run.json" && pass ||
    fail "task 2 trained with lr 0.3"
expect_exit 0 "again" -- "$NEUROTOP" sweep "$SPEC" --runs "$R" --jobs 2
expect_contains "$OUT" "4 done already, 0 to run" "again: nothing to run"
expect_exit 0 "task done" -- "$NEUROTOP" sweep "$SPEC" --runs "$R" --task 1
expect_contains "$OUT" "task 1 lr=0.1 seed=1: done already" "task done: skipped"

# Scripts name only the unfinished tasks.
expect_exit 0 "slurm, all done" -- "$NEUROTOP" sweep "$SPEC" --runs "$R" --slurm
expect_contains "$OUT" "all 4 tasks are done" "slurm, all done: nothing to submit"
rm -rf "$R/small/task-0001" "$R/small/task-0003"
expect_exit 0 "slurm" -- "$NEUROTOP" sweep "$SPEC" --runs "$R" --slurm --max 1 --cpus 2 --mem 1G --time 0:10:00 \
    --partition debug
S="$R/small/sweep.slurm"
bash -n "$S" && pass || fail "slurm: bash -n $S"
grep -qx '#SBATCH --array=1,3%1' "$S" && pass || fail "slurm: the array of tasks 1 and 3: $(grep array "$S")"
grep -qx '#SBATCH --cpus-per-task=2' "$S" && grep -qx '#SBATCH --partition=debug' "$S" &&
    grep -q -- "--task \"\$SLURM_ARRAY_TASK_ID\"" "$S" && pass || fail "slurm: options and task: $(cat "$S")"
expect_exit 2 "slurm: bad value" -- "$NEUROTOP" sweep "$SPEC" --runs "$R" --slurm --partition 'a b'
expect_one_line_error "slurm: bad value"
expect_exit 0 "parallel" -- "$NEUROTOP" sweep "$SPEC" --runs "$R" --parallel
P="$R/small/sweep.parallel"
[ "$(wc -l < "$P")" -eq 2 ] && grep -q -- "--task 3\$" "$P" && pass || fail "parallel: two lines: $(cat "$P")"
if command -v parallel >/dev/null 2>&1; then
    parallel --will-cite --jobs 2 < "$P" >"$TMPD/par.out" 2>&1 && pass || fail "GNU parallel: $(tail -n 3 "$TMPD/par.out")"
    [ -f "$R/small/task-0001/done" ] && [ -f "$R/small/task-0003/done" ] && pass || fail "GNU parallel: tasks 1 and 3 done"
else
    skip "GNU parallel is not installed (Debian package parallel)"
fi

# A task killed (kill -9) during training resumes from its last epoch and
# ends with the metrics an uninterrupted run of the same options has.
cat > "$TMPD/long.sweep" <<'SPEC'
model = mlp
hidden = 20
epoch-size = 2000
qreps = 2
epochs = 30
seed = [5]
SPEC
"$NEUROTOP" sweep "$TMPD/long.sweep" --runs "$TMPD/k" --task 0 >/dev/null 2>&1 &
pid=$!
i=0
while [ "$i" -lt 200 ]; do
    n=$(cat "$TMPD"/k/long/task-0000/*/metrics.jsonl 2>/dev/null | wc -l)
    [ "$n" -ge 4 ] && break
    sleep 0.05
    i=$((i + 1))
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
expect_exit 0 "list after kill" -- "$NEUROTOP" sweep "$TMPD/long.sweep" --runs "$TMPD/k" --list
expect_contains "$OUT" "0  started" "after kill: started, not done"
expect_exit 0 "resume" -- "$NEUROTOP" sweep "$TMPD/long.sweep" --runs "$TMPD/k" --task 0
expect_contains "$OUT" "task 0: resuming" "resume: says so"
"$NEUROTOP" train --headless --model mlp --hidden 20 --epoch-size 2000 --qreps 2 --epochs 30 --seed 5 \
    --runs "$TMPD/ref" >/dev/null 2>&1
strip() { sed -E 's/"seconds":[^,]*,//; s/"examples_per_sec":[^,]*,//' "$1"; }
strip "$(ls -d "$TMPD"/k/long/task-0000/*-mlp)/metrics.jsonl" > "$TMPD/a.txt"
strip "$(ls -d "$TMPD"/ref/*-mlp)/metrics.jsonl" > "$TMPD/b.txt"
[ "$(wc -l < "$TMPD/a.txt")" -eq 31 ] && cmp -s "$TMPD/a.txt" "$TMPD/b.txt" && pass ||
    fail "resume: metrics of epochs 0..30 as an uninterrupted run's ($(wc -l < "$TMPD/a.txt") lines)"
[ -f "$TMPD/k/long/task-0000/done" ] && pass || fail "resume: done marker"

# Bad input: one line, exit 2.
printf 'lr = [0.1, 0.3]\nepochs = 2\nlr = 1\n' > "$TMPD/twice.sweep"
expect_exit 2 "key twice" -- "$NEUROTOP" sweep "$TMPD/twice.sweep" --list
expect_one_line_error "key twice"
expect_contains "$ERR" "twice.sweep:3: lr is set twice" "key twice: names the line"
printf 'epochs = 2\nlr = [0.1, fast]\n' > "$TMPD/bad.sweep"
expect_exit 2 "bad value" -- "$NEUROTOP" sweep "$TMPD/bad.sweep" --list
expect_contains "$ERR" "bad.sweep:2: --lr must be" "bad value: names the line"
expect_exit 2 "missing file" -- "$NEUROTOP" sweep "$TMPD/nonesuch.sweep" --list
expect_one_line_error "missing file"
expect_exit 2 "task out of range" -- "$NEUROTOP" sweep "$SPEC" --runs "$R" --task 4
expect_contains "$ERR" "--task 4 is out of range: $SPEC has tasks 0 to 3" "task out of range"
expect_exit 2 "two modes" -- "$NEUROTOP" sweep "$SPEC" --list --slurm
expect_one_line_error "two modes"
expect_exit 2 "unknown option" -- "$NEUROTOP" sweep "$SPEC" --frobnicate
expect_one_line_error "unknown option"
expect_exit 2 "no file" -- "$NEUROTOP" sweep
expect_one_line_error "no file"
# The folder keeps the tasks it was started with.
sed 's/lr = \[0.1, 0.3\]/lr = [0.1, 0.2]/' "$SPEC" > "$TMPD/small.sweep"
expect_exit 2 "changed file" -- "$NEUROTOP" sweep "$TMPD/small.sweep" --runs "$R" --list
expect_contains "$ERR" "was started with other tasks than this sweep file gives" "changed file: refused"
expect_exit 0 "help" -- "$NEUROTOP" sweep --help
expect_contains "$OUT" "--slurm" "help: lists --slurm"

finish
