# `neurotop experiment`: usage, bad options, and a quick mlp-phases run.
SUITE=cli-experiment
. tests/cli/lib.sh

R="$TMPD/runs"

expect_exit 0 "experiment --help" -- "$NEUROTOP" experiment --help
expect_contains "$OUT" "mlp-phases" "experiment --help lists mlp-phases"
expect_exit 0 "experiment mlp-phases --help" -- "$NEUROTOP" experiment mlp-phases --help
expect_contains "$OUT" "--epoch-size" "mlp-phases --help lists --epoch-size"
expect_contains "$OUT" "--perms" "mlp-phases --help lists --perms"

expect_exit 2 "experiment without a name" -- "$NEUROTOP" experiment
expect_exit 2 "unknown experiment" -- "$NEUROTOP" experiment nope
expect_one_line_error "unknown experiment"
for args in "--epochs 0" "--epochs x" "--lr -1" "--lr nan" "--reps 0" "--perms 0" "--seed -1" \
            "--probe 1" "--frobnicate" "--hidden 10" "--lr"; do
    # shellcheck disable=SC2086
    expect_exit 2 "mlp-phases $args" -- "$NEUROTOP" experiment mlp-phases $args --runs "$R"
    expect_one_line_error "mlp-phases $args"
done
expect_exit 2 "missing data" -- "$NEUROTOP" experiment mlp-phases --epochs 1 --data "$TMPD/none" --runs "$R"
expect_one_line_error "missing data"

# A quick run: 3 epochs of 500 examples, every epoch measured.
expect_exit 0 "quick mlp-phases run" -- "$NEUROTOP" experiment mlp-phases --epochs 3 --epoch-size 500 \
    --perms 200 --reps 3 --probe 200 --runs "$R/a"
for text in "r(Q, accuracy) in the middle phase  [paper 0.981]" "[paper: early 0.965" \
            "max r(ID, PC), all pixels" "min r(ID, MZ), live pixels" "[paper: HL1 falls, HL2 rises]" \
            "mlp-phases-series.csv" "live pixels  r"; do
    expect_contains "$OUT" "$text" "the report prints '$text'"
done
run=$(ls -d "$R"/a/*-mlp)
lines=$(wc -l < "$run/mlp-phases-series.csv")
[ "$lines" -eq 5 ] && pass || fail "series CSV has $lines lines, expected a header and 4 epochs"
head -1 "$run/mlp-phases-series.csv" | grep -q '^epoch,examples,test_acc,q_whole,q_hidden,r_id_pc' && pass ||
    fail "series CSV header"
lines=$(wc -l < "$run/mlp-phases-pixels.csv")
[ "$lines" -eq 785 ] && pass || fail "pixel CSV has $lines lines, expected 785"
grep -q '"edge_early":' "$run/mlp-phases-summary.json" && pass || fail "summary JSON has the early edge test"
ls "$run"/snapshots/epoch-000003.nts >/dev/null 2>&1 && pass || fail "measured epochs are saved as snapshots"
grep -q '"ih_hl2_mean":' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has IH"
grep -q '"q_whole":' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has the measured Q"

# The same seed gives the same measurements.
expect_exit 0 "second run" -- "$NEUROTOP" experiment mlp-phases --epochs 3 --epoch-size 500 \
    --perms 200 --reps 3 --probe 200 --runs "$R/b"
run2=$(ls -d "$R"/b/*-mlp)
cmp -s "$run/mlp-phases-series.csv" "$run2/mlp-phases-series.csv" && pass || fail "series differ between two runs of one seed"

finish
