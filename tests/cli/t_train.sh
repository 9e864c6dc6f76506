# Headless training: options, exit codes, the run directory, determinism.
SUITE=cli-train
. tests/cli/lib.sh

R="$TMPD/runs"

# Bad options: one sentence on stderr, nothing on stdout, exit 2.
for args in "--lr -1" "--lr nan" "--batch 0" "--hidden 10,,5" "--init ones" "--epochs x" \
            "--frobnicate" "--model transformer" "--instances 2 --epochs 0" "--seed -4" "--lr"; do
    # shellcheck disable=SC2086
    expect_exit 2 "train --headless $args" -- "$NEUROTOP" train --headless $args --runs "$R"
    expect_one_line_error "train --headless $args"
done
expect_exit 2 "train without --headless" -- "$NEUROTOP" train --epochs 1 --runs "$R"
expect_one_line_error "train without --headless"
expect_exit 0 "train --help" -- "$NEUROTOP" train --help
expect_contains "$OUT" "--epoch-size" "train --help lists --epoch-size"
# The kinds and their parameters come from the kind tables.
expect_contains "$OUT" "mlp (default):" "train --help lists the default kind"
expect_contains "$OUT" "hebbff:" "train --help lists hebbff"
expect_contains "$OUT" "--task-chains    hebbff:" "train --help lists hebbff's parameters"

# A kind parameter belongs to its kind; it may stand before or after --model.
for args in "--task-n 16" "--task-chains" "--model hebbff --data fashion" "--model hebbff --epoch-size 9" \
            "--model hebbff --hidden 4,4" "--model hebbff --task-r 200 --task-train 100" "--model hebbff --task-n 3"; do
    # shellcheck disable=SC2086
    expect_exit 2 "train --headless $args" -- "$NEUROTOP" train --headless --epochs 1 $args --runs "$R"
    expect_one_line_error "train --headless $args"
done
expect_exit 2 "--task-n without hebbff" -- "$NEUROTOP" train --headless --epochs 1 --task-n 16 --runs "$R"
expect_contains "$ERR" "the --task-n option belongs to --model hebbff" "the owner kind is named"
expect_exit 0 "kind parameters before --model" -- "$NEUROTOP" train --headless --task-n 16 --task-train 100 \
    --task-test 60 --task-chains --model hebbff --hidden 8 --epochs 1 --qreps 0 --save-every 0 --runs "$R/k"
runk=$(ls -d "$R"/k/*-hebbff)
expect_contains "$(cat "$runk/run.json")" '"task_n":16,"task_r":5,"task_p":0.5,"task_chains":1,"task_train":100,"task_test":60' \
    "run.json has the kind parameters under their keys"
expect_contains "$(cat "$runk/run.json")" '"probe":60' "the probe defaults to the test stream"
expect_contains "$(cat "$runk/run.json")" '"activity":"pre"' "hebbff records its pre-activations by default"

# --activity: pre or post; the MLP has post only.
for args in "--activity pre" "--model hebbff --activity sideways"; do
    # shellcheck disable=SC2086
    expect_exit 2 "train --headless $args" -- "$NEUROTOP" train --headless --epochs 1 $args --runs "$R"
    expect_one_line_error "train --headless $args"
done

# Data that is not there or is corrupt.
expect_exit 2 "missing data folder" -- "$NEUROTOP" train --headless --epochs 1 --data "$TMPD/nothing" --runs "$R"
expect_one_line_error "missing data folder"
mkdir -p "$TMPD/bad"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    printf 'not an idx file at all' > "$TMPD/bad/$f"
done
expect_exit 2 "corrupt data" -- "$NEUROTOP" train --headless --epochs 1 --data "$TMPD/bad" --runs "$R"
expect_one_line_error "corrupt data"
expect_contains "$ERR" "train-images-idx3-ubyte" "the corrupt file is named"

# A short run writes run.json, one metrics line per epoch (epoch 0 included), snapshots and the log.
FAST="--epochs 2 --epoch-size 400 --probe 50 --seed 3"
# shellcheck disable=SC2086
expect_exit 0 "short run" -- "$NEUROTOP" train --headless $FAST --runs "$R/a" --log "$TMPD/log1.jsonl"
expect_contains "$OUT" "epoch    2" "one line per epoch on stdout"
run=$(ls -d "$R"/a/*-mlp)
[ -f "$run/run.json" ] && pass || fail "run.json missing"
expect_contains "$(cat "$run/run.json")" '"sizes":[784,100,100,10]' "run.json has the layer sizes"
lines=$(wc -l < "$run/metrics.jsonl")
[ "$lines" -eq 3 ] && pass || fail "metrics.jsonl has $lines lines, expected 3"
for key in '"epoch":2' '"test_acc":' '"train_loss":' '"seconds":' '"w_alpha_mean":'; do
    expect_contains "$(tail -n 1 "$run/metrics.jsonl")" "$key" "metrics line has $key"
done
cmp -s "$run/metrics.jsonl" "$TMPD/log1.jsonl" && pass || fail "--log differs from metrics.jsonl"
[ -f "$run/snapshots/epoch-000002.nts" ] && pass || fail "snapshot of epoch 2 missing"
ls "$run"/snapshots/*.tmp* >/dev/null 2>&1 && fail "temporary files left behind" || pass

# Determinism: the same seed gives identical metrics, timings aside.
# shellcheck disable=SC2086
expect_exit 0 "second run" -- "$NEUROTOP" train --headless $FAST --runs "$R/b"
run2=$(ls -d "$R"/b/*-mlp)
strip() { sed -e 's/"seconds":[^,}]*//' -e 's/"examples_per_sec":[^,}]*//' "$1"; }
[ "$(strip "$run/metrics.jsonl")" = "$(strip "$run2/metrics.jsonl")" ] && pass || fail "same seed, different metrics"
# shellcheck disable=SC2086
expect_exit 0 "other seed" -- "$NEUROTOP" train --headless --epochs 1 --epoch-size 400 --probe 50 --seed 4 --runs "$R/c"
run3=$(ls -d "$R"/c/*-mlp)
[ "$(strip "$run/metrics.jsonl" | sed -n 2p)" = "$(strip "$run3/metrics.jsonl" | sed -n 2p)" ] && fail "different seeds, same metrics" || pass

# A signal ends the run cleanly: the run directory is complete, exit 130.
"$NEUROTOP" train --headless --epochs 1000 --epoch-size 2000 --probe 50 --runs "$R/d" >/dev/null 2>&1 &
pid=$!
sleep 2
kill -TERM $pid
wait $pid
code=$?
[ "$code" -eq 130 ] && pass || fail "SIGTERM: exit $code, expected 130"
run4=$(ls -d "$R"/d/*-mlp)
last=$(tail -n 1 "$run4/metrics.jsonl")
case "$last" in
*'}') pass ;;
*) fail "metrics.jsonl ends in a partial line after SIGTERM" ;;
esac

# A DBN with a read-out (seed 0, the bundled digits): no accuracy while its
# two RBMs train (epochs 1-4), then the read-out's, at least 80% by epoch 12.
expect_exit 0 "dbn --readout" -- "$NEUROTOP" train --headless --model dbn --readout --epochs-per-layer 2 \
    --epochs 12 --qreps 0 --flexreps 0 --save-every 0 --runs "$R/ro"
expect_contains "$OUT" "epoch    4  test_recon" "the RBMs' epochs show the reconstruction error"
acc=$(printf '%s\n' "$OUT" | awk '$1 == "epoch" && $2 == 12 { print $4 }')
awk -v a="$acc" 'BEGIN { exit !(a != "" && a >= 0.80) }' && pass ||
    fail "dbn --readout: held-out accuracy $acc at epoch 12, expected >= 0.80"
run5=$(ls -d "$R"/ro/*-dbn)
grep -q '"readout_classes":10' "$run5/run.json" && pass || fail "run.json records the read-out's 10 classes"

finish
