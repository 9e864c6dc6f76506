# --resume: a run stopped after any epoch goes on from its last complete
# snapshot and gives the metrics an uninterrupted run with the same seed
# gives (the timing keys aside), appending to its own metrics.jsonl.
SUITE=cli-resume
. tests/cli/lib.sh

# metrics.jsonl without the wall-time keys, which differ between any two runs.
strip_timing() { sed -E 's/"seconds":[^,]*,//; s/"examples_per_sec":[^,]*,//' "$1"; }

# same_as_uninterrupted NAME STOP OPTIONS...: trains NAME to 5 epochs in one
# go and, apart, to STOP epochs then resumed to 5; the metrics must agree.
same_as_uninterrupted() {
    name=$1; stop=$2; shift 2
    "$NEUROTOP" train --headless --epochs 5 "$@" --runs "$TMPD/$name-a" >/dev/null 2>&1
    "$NEUROTOP" train --headless --epochs "$stop" "$@" --runs "$TMPD/$name-b" >/dev/null 2>&1
    a=$(ls -d "$TMPD/$name-a"/*) b=$(ls -d "$TMPD/$name-b"/*)
    expect_exit 0 "$name: resume" -- "$NEUROTOP" train --headless --resume "$b" --epochs 5
    expect_contains "$OUT" "(resumed after epoch $stop)" "$name: says where it goes on"
    expect_contains "$OUT" "epoch    5" "$name: trains to the new limit"
    strip_timing "$a/metrics.jsonl" > "$TMPD/a.txt"
    strip_timing "$b/metrics.jsonl" > "$TMPD/b.txt"
    lines=$(wc -l < "$TMPD/b.txt")
    [ "$lines" -eq 6 ] && pass || fail "$name: metrics.jsonl has epochs 0..5 once each ($lines lines)"
    cmp -s "$TMPD/a.txt" "$TMPD/b.txt" && pass ||
        fail "$name: resumed metrics differ from the uninterrupted run's: $(diff "$TMPD/a.txt" "$TMPD/b.txt" | head -c 400)"
}

same_as_uninterrupted mlp-batch1 2 --epoch-size 300 --probe 60 --seed 3
same_as_uninterrupted mlp-batch8 3 --epoch-size 400 --probe 60 --seed 4 --batch 8 --lr 1
# Flexibility over the last 3 epochs: the resumed run reads epochs 1..3 back
# from its files, so epochs 4 and 5 see the slices an uninterrupted run saw.
same_as_uninterrupted mlp-flex 3 --epoch-size 300 --probe 60 --seed 7 --fc-windows 3
same_as_uninterrupted hebbff 2 --model hebbff --hidden 16 --task-n 16 --task-train 400 --task-test 400 \
    --batch 50 --seed 5 --lr 0.01
# A DBN with a read-out stopped while the read-out trains (epochs 3..5).
same_as_uninterrupted dbn-readout 3 --model dbn --readout --epochs-per-layer 1 --hidden 20,10 \
    --epoch-size 400 --probe 60 --seed 8

# A stop after epoch 4 whose snapshot was never written (snapshots every 2
# epochs): it goes on from epoch 2 and drops the metrics lines of 3 and 4.
"$NEUROTOP" train --headless --epochs 5 --epoch-size 300 --probe 60 --seed 6 --runs "$TMPD/drop-a" >/dev/null 2>&1
"$NEUROTOP" train --headless --epochs 5 --epoch-size 300 --probe 60 --seed 6 --save-every 2 \
    --runs "$TMPD/drop-b" >/dev/null 2>&1
b=$(ls -d "$TMPD"/drop-b/*)
rm "$b/snapshots/epoch-000004.nts"
printf '{"epoch":5,"examples":15' >> "$b/metrics.jsonl" # a line cut short by the crash
expect_exit 0 "resume after a lost snapshot" -- "$NEUROTOP" train --headless --resume "$b"
expect_contains "$OUT" "(resumed after epoch 2)" "the last complete snapshot is epoch 2's"
# Epochs without a file cannot be read back into the flexibility's history
# of epochs, which starts again: its count of held epochs is left out.
strip_held() { sed -E 's/"flex_epochs_held":[^,]*,//' "$1"; }
strip_timing "$(ls -d "$TMPD"/drop-a/*)/metrics.jsonl" > "$TMPD/a0.txt"
strip_timing "$b/metrics.jsonl" > "$TMPD/b0.txt"
strip_held "$TMPD/a0.txt" > "$TMPD/a.txt"
strip_held "$TMPD/b0.txt" > "$TMPD/b.txt"
cmp -s "$TMPD/a.txt" "$TMPD/b.txt" && pass ||
    fail "lines after the resumed epoch are dropped and written again: $(diff "$TMPD/a.txt" "$TMPD/b.txt" | head -c 300)"
ls "$b/snapshots/epoch-000004.nts" >/dev/null 2>&1 && pass || fail "the resumed run writes its snapshots again"

# HebbFF's Adam state is kept for the latest epoch only, beside its file.
hb=$(ls -d "$TMPD"/hebbff-b/*)
[ -f "$hb/snapshots/optimiser.nts" ] && pass || fail "HebbFF keeps its optimiser state in snapshots/optimiser.nts"
small=$(wc -c < "$hb/snapshots/epoch-000001.nts") big=$(wc -c < "$hb/snapshots/optimiser.nts")
[ "$small" -lt "$big" ] && pass || fail "epoch files leave the Adam moments out ($small vs $big bytes)"
rm "$hb/snapshots/optimiser.nts"
expect_exit 2 "HebbFF without its optimiser state" -- "$NEUROTOP" train --headless --resume "$hb" --epochs 9
expect_one_line_error "HebbFF without its optimiser state"

# What cannot be resumed says so in one sentence.
done_run=$(ls -d "$TMPD"/mlp-batch1-b/*)
expect_exit 2 "a finished run without a new limit" -- "$NEUROTOP" train --headless --resume "$done_run"
expect_one_line_error "a finished run without a new limit"
expect_contains "$ERR" "already has its 5 epochs" "a finished run needs --epochs"
cp -r sample-runs/mlp-mnist "$TMPD/old"
rm -f "$TMPD/old/.read-only"
expect_exit 2 "files from before resume existed" -- "$NEUROTOP" train --headless --resume "$TMPD/old" --epochs 50
expect_one_line_error "files from before resume existed"
expect_contains "$ERR" "cannot be resumed: none of its snapshot files holds the training state" \
    "old snapshot files load but cannot be resumed"
expect_exit 2 "a shipped run" -- "$NEUROTOP" train --headless --resume sample-runs/mlp-mnist --epochs 50
expect_one_line_error "a shipped run"
expect_exit 2 "--lr with --resume" -- "$NEUROTOP" train --headless --resume "$b" --lr 0.1
expect_contains "$ERR" "--lr cannot change a resumed run" "settings of a resumed run are its own"
expect_exit 2 "--resume of nothing" -- "$NEUROTOP" train --headless --resume "$TMPD/nothing" --epochs 9
expect_one_line_error "--resume of nothing"

finish
