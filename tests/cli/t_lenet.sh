# A tiny LeNet trained headless: its run directory checks clean, resumes
# exactly (Adam's moments are kept in the snapshots), and the analyses of an
# epoch either run on it or say in one sentence why they do not apply.
SUITE=cli-lenet
. tests/cli/lib.sh

strip_timing() { sed -E 's/"seconds":[^,]*,//; s/"examples_per_sec":[^,]*,//' "$1"; }
TINY="--model lenet --conv1 3 --conv2 4 --dense 12 --epoch-size 300 --probe 30 --seed 2"

expect_exit 0 "train a tiny lenet for one epoch" -- "$NEUROTOP" train --headless --epochs 1 $TINY --runs "$TMPD/a"
expect_contains "$OUT" "epoch    1  test_acc" "one epoch trained"
run=$(ls -d "$TMPD"/a/*)
expect_contains "$(cat "$run/run.json")" '"sizes":[784,1728,432,256,64,12,10]' "run.json has the shaped layers"
expect_contains "$(cat "$run/run.json")" '"conv1":3,"conv2":4,"dense":12,"kernel":5' "and the kind parameters"
expect_exit 0 "its run directory checks clean" -- "$NEUROTOP" check "$run"

# Resumed after epoch 1 to epoch 3 = three epochs in one go.
expect_exit 0 "resume to epoch 3" -- "$NEUROTOP" train --headless --resume "$run" --epochs 3
expect_contains "$OUT" "(resumed after epoch 1)" "goes on after epoch 1"
"$NEUROTOP" train --headless --epochs 3 $TINY --runs "$TMPD/b" >/dev/null 2>&1
strip_timing "$run/metrics.jsonl" > "$TMPD/a.txt"
strip_timing "$(ls -d "$TMPD"/b/*)/metrics.jsonl" > "$TMPD/b.txt"
cmp -s "$TMPD/a.txt" "$TMPD/b.txt" && pass ||
    fail "resumed metrics differ from an uninterrupted run's: $(diff "$TMPD/a.txt" "$TMPD/b.txt" | head -c 400)"

expect_exit 0 "louvain on the family graph" -- "$NEUROTOP" analyze louvain --run "$run" --reps 3
expect_contains "$OUT" '"graph":"whole"' "the whole family graph"
expect_exit 0 "degrees: 1 + 3 + 3 + 4 + 4 + 12 + 10 nodes" -- "$NEUROTOP" analyze degrees --run "$run"
n=$(printf '%s' "$OUT" | sed 's/.*"degree":\[\([^]]*\)\].*/\1/' | tr ',' '\n' | grep -c .)
[ "$n" -eq 37 ] && pass || fail "the family graph has 37 nodes (got $n)"
expect_exit 0 "mapper on the second convolution: its families" -- "$NEUROTOP" analyze mapper --run "$run" --layer 3
expect_contains "$OUT" '"points":4,"dimensions":75' "4 kernels of 3 x 5 x 5"
expect_exit 0 "receptive fields of the dense layer" -- "$NEUROTOP" analyze rfclusters --run "$run" --layer 5
expect_exit 0 "edges per block" -- "$NEUROTOP" analyze edges --run "$run"
expect_contains "$OUT" '"name":"conv2"' "the kernels' change"
expect_exit 2 "dream is for a DBN" -- "$NEUROTOP" analyze dream --run "$run"
expect_one_line_error "dream on a lenet"

# The full-size LeNet: analyses whose cost grows with the square of its
# 18,900 hidden units say so in one sentence instead.
expect_exit 0 "a full-size lenet, one short epoch" -- "$NEUROTOP" train --headless --model lenet --epochs 1 \
    --epoch-size 64 --probe 20 --runs "$TMPD/full"
full=$(ls -d "$TMPD"/full/*)
expect_contains "$(cat "$full/run.json")" '"sizes":[784,11520,2880,3200,800,500,10]' "seed 004's layers"
for k in fc flexibility pca distances rfclusters; do
    expect_exit 2 "$k on 18,900 units" -- "$NEUROTOP" analyze $k --run "$full"
    expect_one_line_error "$k on a full lenet"
done
expect_contains "$ERR" "at most 2000 units" "rfclusters names its limit"
finish
