# Weight trajectories (--record-every): the files, resume, kill -9, the
# analyses that read them, and bad options.
SUITE=cli-trajectory
. tests/cli/lib.sh

# A 784-20-10 network from a zero start (output weights 0): 1,000 examples
# an epoch in mini-batches of 50 = 20 mini-batches, a record every 2.
TRAIN="--hidden 20 --epoch-size 1000 --batch 50 --lr 0.05 --init zero --record-every 2 --qreps 0 --flexreps 0"
# shellcheck disable=SC2086
expect_exit 0 "train with trajectories" -- "$NEUROTOP" train --headless $TRAIN --epochs 3 --runs "$TMPD/a"
a=$(ls -d "$TMPD"/a/*-mlp | head -n 1)
[ -s "$a/trajectory/layer-1.ntj" ] && [ -s "$a/trajectory/layer-2.ntj" ] && [ ! -e "$a/trajectory/layer-3.ntj" ] &&
    pass || fail "one file per weight layer: $(ls "$a/trajectory" 2>&1)"
grep -q '"record_every":2' "$a/run.json" && grep -q '"record_precision":"float"' "$a/run.json" && pass ||
    fail "run.json says how trajectories were recorded"
expect_exit 0 "branches of the output layer" -- "$NEUROTOP" analyze branches --run "$a" --layer 2
steps=$(printf '%s' "$OUT" | sed 's/.*"steps":\[\([^]]*\)\].*/\1/')
[ "$steps" = "$(seq -s, 0 2 60)" ] && pass || fail "records at steps 0, 2, ..., 60: $steps"
# At step 0 every output unit has the same (zero) incoming weights: one branch.
first=$(printf '%s' "$OUT" | sed 's/.*"branches":\[\([0-9]*\).*/\1/')
[ "$first" = 1 ] && pass || fail "one branch at the zero start, got $first"
last_epoch=$(printf '%s' "$OUT" | sed 's/.*"epochs":\[[^]]*,\([0-9.]*\)\].*/\1/')
[ "$last_epoch" = 3 ] && pass || fail "the last record is at epoch 3: $last_epoch"

# Resumed after epoch 1 (its later records dropped, then written again):
# the files equal those of the run that never stopped, byte for byte.
# shellcheck disable=SC2086
expect_exit 0 "train one epoch" -- "$NEUROTOP" train --headless $TRAIN --epochs 1 --runs "$TMPD/b"
b=$(ls -d "$TMPD"/b/*-mlp | head -n 1)
expect_exit 0 "resume to 3" -- "$NEUROTOP" train --headless --resume "$b" --epochs 3
cmp -s "$a/trajectory/layer-1.ntj" "$b/trajectory/layer-1.ntj" && cmp -s "$a/trajectory/layer-2.ntj" "$b/trajectory/layer-2.ntj" &&
    pass || fail "resumed trajectories differ from the uninterrupted run's"
# Records written after the last snapshot (a kill between two snapshots)
# are cut back on resume: give a 1-epoch run the 3-epoch files.
# shellcheck disable=SC2086
expect_exit 0 "train one epoch again" -- "$NEUROTOP" train --headless $TRAIN --epochs 1 --runs "$TMPD/c"
c=$(ls -d "$TMPD"/c/*-mlp | head -n 1)
cp "$a/trajectory/layer-1.ntj" "$a/trajectory/layer-2.ntj" "$c/trajectory/"
printf 'torn' >> "$c/trajectory/layer-2.ntj"
expect_exit 0 "resume with later records" -- "$NEUROTOP" train --headless --resume "$c" --epochs 3
cmp -s "$a/trajectory/layer-1.ntj" "$c/trajectory/layer-1.ntj" && cmp -s "$a/trajectory/layer-2.ntj" "$c/trajectory/layer-2.ntj" &&
    pass || fail "records after the resumed epoch (and a torn tail) are replaced, not kept twice"

# kill -9 while recording every mini-batch; a torn last record is ignored.
# shellcheck disable=SC2086
"$NEUROTOP" train --headless $TRAIN --record-every 1 --epochs 10000 --runs "$TMPD/k" >/dev/null 2>&1 &
pid=$!
k=""
i=0
while [ $i -lt 100 ]; do
    k=$(ls -d "$TMPD"/k/*-mlp 2>/dev/null | head -n 1)
    [ -n "$k" ] && [ "$(wc -c < "$k/trajectory/layer-2.ntj" 2>/dev/null || echo 0)" -gt 20000 ] && break
    sleep 0.1
    i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
size=$(wc -c < "$k/trajectory/layer-2.ntj")
truncate -s $((size - 7)) "$k/trajectory/layer-2.ntj"
expect_exit 0 "branches after kill -9" -- "$NEUROTOP" analyze branches --run "$k" --layer 2
n=$(printf '%s' "$OUT" | sed 's/.*"steps":\[\([^]]*\)\].*/\1/' | tr ',' '\n' | wc -l)
[ "$n" -ge 2 ] && pass || fail "the complete records before the torn one are read: $n"

# Half precision: about half the bytes of float32 for the same run.
# shellcheck disable=SC2086
expect_exit 0 "half precision" -- "$NEUROTOP" train --headless $TRAIN --epochs 3 --record-precision half --runs "$TMPD/h"
h=$(ls -d "$TMPD"/h/*-mlp | head -n 1)
full=$(wc -c < "$a/trajectory/layer-1.ntj")
half=$(wc -c < "$h/trajectory/layer-1.ntj")
[ "$half" -lt $((full * 6 / 10)) ] && pass || fail "half precision: $half bytes against $full"
expect_exit 0 "trajectories on two components" -- "$NEUROTOP" analyze trajectories --run "$h" --layer 1
expect_contains "$OUT" '"records":31' "every record of the half-precision run is read"

# Mapper of the output layer's trajectories: points = 10 units x 31 records.
expect_exit 0 "mapper of trajectories" -- "$NEUROTOP" analyze mapper --run "$a" --layer 2
expect_contains "$OUT" '"points_are":"trajectories"' "mapper takes the recorded trajectories"
expect_contains "$OUT" '"points":310' "10 units x 31 records"
expect_exit 0 "mapper of one epoch" -- "$NEUROTOP" analyze mapper --run "$a" --layer 2 --this-epoch
expect_contains "$OUT" '"points":10' "--this-epoch: the epoch's 10 vectors"

# Bad options and runs without trajectories: one sentence, exit 2.
expect_exit 2 "--record-every x" -- "$NEUROTOP" train --headless --record-every x --runs "$TMPD/x"
expect_one_line_error "--record-every x"
expect_exit 2 "--record-precision double" -- "$NEUROTOP" train --headless --record-precision double --runs "$TMPD/x"
expect_contains "$ERR" "float or half" "--record-precision names the choices"
# shellcheck disable=SC2086
expect_exit 0 "a run without trajectories" -- "$NEUROTOP" train --headless --hidden 20 --epoch-size 200 --epochs 1 --qreps 0 --flexreps 0 --runs "$TMPD/n"
n=$(ls -d "$TMPD"/n/*-mlp | head -n 1)
expect_exit 2 "branches without trajectories" -- "$NEUROTOP" analyze branches --run "$n"
expect_contains "$ERR" "--record-every" "says how to record them"
expect_exit 2 "layer out of range" -- "$NEUROTOP" analyze branches --run "$a" --layer 5
expect_one_line_error "layer out of range"

# The experiment with its zero-start recipe (784-100-10, batch 50, lr 0.05,
# seed 0): accuracy reaches 90% and the output trajectories end in one
# branch per class, Mapper's graph a tree with 10 leaves (seed 003's Fig.).
expect_exit 0 "experiment mapper-branching" -- "$NEUROTOP" experiment mapper-branching --runs "$TMPD/mb"
expect_contains "$OUT" "10 of 10 at the end  reproduced" "one output branch per class"
expect_contains "$OUT" "a tree, 10 leaves  reproduced" "Mapper of the output trajectories: a tree with 10 leaves"
mb=$(ls -d "$TMPD"/mb/*-mlp | head -n 1)
grep -q '"leaves":10' "$mb/mapper-output.json" && grep -q '^graph mapper' "$mb/mapper-output.dot" && pass ||
    fail "the Mapper graph is saved as JSON and DOT"
expect_exit 2 "experiment --target 2" -- "$NEUROTOP" experiment mapper-branching --target 2 --runs "$TMPD/x"
expect_one_line_error "experiment --target 2"
expect_exit 2 "experiment --record-every 0" -- "$NEUROTOP" experiment mapper-branching --record-every 0 --runs "$TMPD/x"
expect_one_line_error "experiment --record-every 0"
finish
