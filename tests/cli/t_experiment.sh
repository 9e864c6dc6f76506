# `neurotop experiment`: usage, bad options, a quick mlp-phases run and a
# hebbff-modularity analysis of a hand-made batch.
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
# Refusals name the option, the range and the text given.
expect_exit 2 "mlp-phases --epochs x" -- "$NEUROTOP" experiment mlp-phases --epochs x
expect_contains "$ERR" "--epochs must be a whole number from 1 to 1000000, not 'x'" "--epochs refusal"
expect_exit 2 "mlp-phases --lr 0" -- "$NEUROTOP" experiment mlp-phases --lr 0
expect_contains "$ERR" "--lr" "--lr refusal names the option"
expect_contains "$ERR" "'0'" "--lr refusal shows the text"
expect_exit 0 "mlp-phases --help" -- "$NEUROTOP" experiment mlp-phases --help
expect_contains "$OUT" "measured: at lr 0.1 Q stays flat" "mlp-phases --help says what was measured"

# hebbff-modularity: options, and the analysis of a hand-made summary.csv
# (--from; no training): 3 instances, epochs 0-6, windows [1, 3] and [4, 6].
expect_exit 2 "hebbff-modularity --window x" -- "$NEUROTOP" experiment hebbff-modularity --window x
expect_one_line_error "hebbff-modularity --window x"
expect_contains "$ERR" "--window must be a whole number from 3 to 1000000, not 'x'" "--window refusal"
expect_exit 2 "hebbff-modularity --model hebbff" -- "$NEUROTOP" experiment hebbff-modularity --model hebbff
expect_one_line_error "hebbff-modularity --model hebbff"
expect_contains "$ERR" "always trains HebbFF" "--model refusal"
expect_exit 2 "hebbff-modularity --window" -- "$NEUROTOP" experiment hebbff-modularity --window
expect_one_line_error "hebbff-modularity --window without a value"
B="$TMPD/batch"
mkdir -p "$B"
# Instance 0 rises after a plateau (mode I), 1 rises then dips (mode II), 2 stays flat.
cat > "$B/summary.csv" <<'EOF'
instance,seed,epoch,test_acc,eta,fcq,fcq_modules,fcq_mean_r
0,5,0,0.5,,0,2,0.3
0,5,1,0.5,,0.1,2,0.3
0,5,2,0.5,,0.1,2,0.3
0,5,3,0.5,,0.1,2,0.3
0,5,4,0.6,,0.2,2,0.3
0,5,5,0.7,,0.3,2,0.3
0,5,6,0.8,-0.2,0.4,2,0.3
1,6,0,0.5,,0,2,0.3
1,6,1,0.6,,0.1,2,0.3
1,6,2,0.8,,0.3,2,0.3
1,6,3,0.9,,0.4,2,0.3
1,6,4,0.85,,0.3,2,0.3
1,6,5,0.88,,0.4,2,0.3
1,6,6,0.86,0.1,0.35,2,0.3
2,7,0,0.5,,0,2,0.3
2,7,1,0.7,,0.2,2,0.3
2,7,2,0.7,,0.2,2,0.3
2,7,3,0.7,,0.2,2,0.3
2,7,4,0.7,,0.2,2,0.3
2,7,5,0.7,,0.2,2,0.3
2,7,6,0.7,-0.1,0.2,2,0.3
EOF
expect_exit 0 "hebbff-modularity --from" -- "$NEUROTOP" experiment hebbff-modularity --from "$B/" --window 3
for text in "3 instances, epochs 0-6, 2 windows of 3 epochs" "[paper Fig. 4A]" \
            "functional Q (whole probe, raw correlations)  [key fcq]" \
            "weight-graph Q (whole graph): not in these runs (no q_whole column)" \
            "mode I: 1, mode II: 1, neither: 1 of 3 instances; 1 reached 90% test accuracy; eta < 0 at the end in 2" \
            "$B/hebbff-modularity.csv"; do
    expect_contains "$OUT" "$text" "the cohort report prints '$text'"
done
expect_contains "$OUT" "(measured in earlier batches: while eta grows" "the report says what was measured"
if [ "$(grep -c . "$B/hebbff-modularity.csv")" -eq 3 ]; then pass; else fail "fcq table: a header and 2 windows"; fi
if grep -q '^1,6,II,2,1,0.6,0.9,3,3,4,0.05,0.01,0.86,0.1$' "$B/hebbff-modes.csv"; then pass; else
    fail "modes table row of instance 1: $(cat "$B/hebbff-modes.csv")"
fi
rm "$B/summary.csv"
expect_exit 2 "hebbff-modularity --from without a summary" -- "$NEUROTOP" experiment hebbff-modularity --from "$B"
expect_one_line_error "hebbff-modularity --from without a summary"

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
grep -Eq '"hl2_trend":"(rises|falls|flat|n/a)"' "$run/mlp-phases-summary.json" && pass ||
    fail "summary JSON has the late IH trend of HL2"
expect_contains "$OUT" "[measured in earlier runs: 0.95-0.98]" "mlp-phases says what was measured"
ls "$run"/snapshots/epoch-000003.nts >/dev/null 2>&1 && pass || fail "measured epochs are saved as snapshots"
grep -q '"ih_hl2_mean":' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has IH"
grep -q '"q_whole":' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has the measured Q"

# The same seed gives the same measurements.
expect_exit 0 "second run" -- "$NEUROTOP" experiment mlp-phases --epochs 3 --epoch-size 500 \
    --perms 200 --reps 3 --probe 200 --runs "$R/b"
run2=$(ls -d "$R"/b/*-mlp)
cmp -s "$run/mlp-phases-series.csv" "$run2/mlp-phases-series.csv" && pass || fail "series differ between two runs of one seed"

finish
