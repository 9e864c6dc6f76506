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
for args in "--epochs 0" "--epochs x" "--lr -1" "--lr nan" "--reps 0" "--reps 1" "--perms 0" "--seed -1" \
            "--probe 1" "--frobnicate" "--hidden 10" "--lr" "--alpha 0" "--alpha 0.5" "--alpha x"; do
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
expect_contains "$OUT" "--alpha A" "mlp-phases --help lists --alpha"
expect_contains "$OUT" "The defaults took" "mlp-phases --help states a measured time"

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
for text in "3 instances (1 of even seed, 2 of odd), epochs 0-6, 2 windows of 3 epochs" "[paper Fig. 4A]" \
            "functional Q (whole probe, raw correlations)  [key fcq]" \
            "weight-graph Q (whole graph): not in these runs (no q_whole column)" \
            "percentile bootstrap over instances (2000 resamples, seed 1)" \
            "[paper Fig. 4C] across instances r(Q, acc) < 0 late" \
            "mode I: 1, mode II: 1, neither: 1 of 3 instances; 1 reached 90% test accuracy; eta < 0 at the end in 2" \
            "$B/hebbff-modularity.csv" "$B/hebbff-across-epochs.csv"; do
    expect_contains "$OUT" "$text" "the cohort report prints '$text'"
done
expect_contains "$OUT" "(measured in earlier batches: while eta grows" "the report says what was measured"
# Three instances: every across r is +1 or -1 on a resample of 3 distinct
# instances and undefined on the others, so a verdict line names its result.
if printf '%s\n' "$OUT" | grep -Eq '^      fcq +late .*(reproduced|opposite sign|not resolved|no interval)$'; then pass; else
    fail "the late across verdict of fcq"
fi
# fcq: value and modules, 2 windows and 3 periods each, after a header.
if [ "$(grep -c . "$B/hebbff-modularity.csv")" -eq 11 ]; then pass; else fail "fcq table: a header and 10 rows"; fi
if [ "$(grep -c . "$B/hebbff-across-epochs.csv")" -eq 7 ]; then pass; else fail "per-epoch table: a header and 6 epochs"; fi
if grep -q '^1,6,II,2,1,0.6,0.9,3,3,4,0.05,0.01,0.86,0.1$' "$B/hebbff-modes.csv"; then pass; else
    fail "modes table row of instance 1: $(cat "$B/hebbff-modes.csv")"
fi
# The resamples are seeded: the same seed gives the same table, another seed another.
cp "$B/hebbff-modularity.csv" "$TMPD/hm1.csv"
expect_exit 0 "hebbff-modularity again" -- "$NEUROTOP" experiment hebbff-modularity --from "$B" --window 3
cmp -s "$B/hebbff-modularity.csv" "$TMPD/hm1.csv" && pass || fail "the same bootstrap seed gave another table"
expect_exit 0 "hebbff-modularity --boot-seed 2" -- "$NEUROTOP" experiment hebbff-modularity --from "$B" \
    --window 3 --boot-seed 2
cmp -s "$B/hebbff-modularity.csv" "$TMPD/hm1.csv" && fail "--boot-seed changed nothing" || pass
expect_exit 0 "hebbff-modularity --boot 0" -- "$NEUROTOP" experiment hebbff-modularity --from "$B" --boot 0
expect_contains "$OUT" "no interval" "without resamples the verdicts say there is no interval"
for args in "--boot x" "--boot -1" "--boot-seed x" "--boot"; do
    # shellcheck disable=SC2086
    expect_exit 2 "hebbff-modularity $args" -- "$NEUROTOP" experiment hebbff-modularity --from "$B" $args
    expect_one_line_error "hebbff-modularity $args"
done
expect_exit 0 "hebbff-modularity --help" -- "$NEUROTOP" experiment hebbff-modularity --help
expect_contains "$OUT" "--boot N" "hebbff-modularity --help lists --boot"
expect_contains "$OUT" "default 120" "hebbff-modularity --help gives 120 instances as the default"
rm "$B/summary.csv"
expect_exit 2 "hebbff-modularity --from without a summary" -- "$NEUROTOP" experiment hebbff-modularity --from "$B"
expect_one_line_error "hebbff-modularity --from without a summary"

# A quick run: 3 epochs of 500 examples, every epoch measured.
expect_exit 0 "quick mlp-phases run" -- "$NEUROTOP" experiment mlp-phases --epochs 3 --epoch-size 500 \
    --perms 200 --reps 3 --probe 200 --runs "$R/a"
for text in "r(Q, accuracy) in the middle phase  [paper 0.981]" "[paper: early 0.965" \
            "max r(ID, PC), all pixels" "min r(ID, MZ), live pixels" "[paper: HL1 falls, HL2 rises]" \
            "mlp-phases-series.csv" "live pixels  r" "partial, live r" "one-sided Welch tests at alpha 0.01" \
            "boundaries by alpha (middle from / late from):  0.001:" "while accuracy climbs" "search p"; do
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
grep -Eq '"hl2":\{[^}]*"trend":"(rises|falls|flat|n/a)"' "$run/mlp-phases-summary.json" && pass ||
    fail "summary JSON has the late IH trend of HL2"
grep -q '"partial_r_ip_given_intensity_live":' "$run/mlp-phases-summary.json" && pass ||
    fail "summary JSON has the partial r of the early edge change"
grep -q '"p_search":' "$run/mlp-phases-summary.json" && pass || fail "summary JSON has the search p"
grep -q '"sensitivity":\[{"alpha":0.001' "$run/mlp-phases-summary.json" && pass ||
    fail "summary JSON has the boundaries by alpha"
head -1 "$run/mlp-phases-series.csv" | grep -q 'q_whole_mean,q_whole_sd,q_whole_min,q_whole_max' && pass ||
    fail "series CSV has the spread of the Louvain runs"
ls "$run"/snapshots/epoch-000003.nts >/dev/null 2>&1 && pass || fail "measured epochs are saved as snapshots"
grep -q '"ih_hl2_mean":' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has IH"
grep -q '"q_whole":' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has the measured Q"
grep -q '"q_reps":3' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has the number of Louvain runs"
# `analyze phases` on the experiment's run reads the runs it recorded.
expect_exit 0 "analyze phases on the experiment run" -- "$NEUROTOP" analyze phases --run "$run" --epoch 3
expect_contains "$OUT" '"source":"recorded runs"' "analyze phases reads the recorded runs"

# Epochs off the schedule are trained only: 40 epochs give 31 metrics lines
# (0-30) and the last (40), and no more.
expect_exit 0 "mlp-phases past the dense part" -- "$NEUROTOP" experiment mlp-phases --epochs 40 --epoch-size 20 \
    --perms 20 --reps 2 --probe 50 --runs "$R/c"
run3=$(ls -d "$R"/c/*-mlp)
lines=$(wc -l < "$run3/metrics.jsonl")
[ "$lines" -eq 33 ] && pass || fail "metrics.jsonl has $lines lines, expected 33 (epochs 0-30, 35, 40)"
grep -q '"epoch":33,' "$run3/metrics.jsonl" && fail "epoch 33 is off the schedule but has a metrics line" || pass

# The same seed gives the same measurements.
expect_exit 0 "second run" -- "$NEUROTOP" experiment mlp-phases --epochs 3 --epoch-size 500 \
    --perms 200 --reps 3 --probe 200 --runs "$R/b"
run2=$(ls -d "$R"/b/*-mlp)
cmp -s "$run/mlp-phases-series.csv" "$run2/mlp-phases-series.csv" && pass || fail "series differ between two runs of one seed"

# What sample-runs/mlp-mnist's README and lesson say about its phases,
# from the runs it recorded (5 per epoch): early 0-5, middle 6-40, no late
# phase; Q rises over the accuracy climb (0-6) with an interval above 0; the
# middle starts at 13 / 6 / 3 for alpha 0.005 / 0.01 / 0.05; 28% of the rise
# came during the climb; the hidden subgraph is above epoch 0 from epoch 1.
cp -r sample-runs/mlp-mnist "$TMPD/sample"
expect_exit 0 "analyze phases on the MLP sample run" -- "$NEUROTOP" analyze phases --run "$TMPD/sample" --epoch 40
printf '%s\n' "$OUT" > "$TMPD/phases.json"
py_check() {
    if python3 -c "import json,sys; d=json.load(open('$TMPD/phases.json')); sys.exit(0 if ($1) else 1)"; then
        pass
    else
        fail "sample phases: $2"
    fi
}
if command -v python3 >/dev/null 2>&1; then
    py_check "d['whole']['early']==[0,5] and d['whole']['middle']==[6,40] and d['whole']['late'] is None" \
        "whole graph early 0-5, middle 6-40, no late phase"
    py_check "d['whole']['trend_climb']['to']==6 and d['whole']['trend_climb']['shape']=='rises' and abs(d['whole']['trend_climb']['slope']-0.0009)<0.00005 and 0.0003<d['whole']['trend_climb']['lo']<0.0005 and 0.0013<d['whole']['trend_climb']['hi']<0.0015" \
        "slope over the climb +0.0009 [+0.0004, +0.0014]"
    py_check "[x['middle'] for x in d['whole']['sensitivity']][1:4]==[13,6,3]" "middle starts 13/6/3 at alpha 0.005/0.01/0.05"
    py_check "round(d['whole']['climb_share'],2)==0.28" "28% of the rise during the climb"
    py_check "d['hidden']['middle']==[1,40] and d['hidden']['early'] is None" "hidden subgraph above epoch 0 from epoch 1"
fi

# dbn-degrees: bad options, then a tiny run (two RBMs, one epoch each).
expect_exit 2 "dbn-degrees --model mlp" -- "$NEUROTOP" experiment dbn-degrees --model mlp
expect_one_line_error "dbn-degrees --model mlp"
expect_exit 2 "dbn-degrees --theta -1" -- "$NEUROTOP" experiment dbn-degrees --theta -1
expect_one_line_error "dbn-degrees --theta -1"
expect_exit 2 "dbn-degrees --layers 784,0" -- "$NEUROTOP" experiment dbn-degrees --layers 784,0
expect_one_line_error "dbn-degrees --layers 784,0"
expect_exit 0 "dbn-degrees tiny" -- "$NEUROTOP" experiment dbn-degrees --layers 784,20,10 --epochs 2 \
    --epochs-per-layer 1 --clusters 3 --runs "$TMPD/dbn"
expect_contains "$OUT" "the weights' mean shifts negative" "dbn-degrees prints the paper's statements"
expect_contains "$OUT" "G1 (" "dbn-degrees prints the clusters"
D=$(ls -d "$TMPD"/dbn/*-dbn)
[ -s "$D/dbn-degrees.json" ] && [ -s "$D/dbn-clusters.json" ] && pass || fail "dbn-degrees writes its two JSON files"
grep -q '"clusters":3' "$D/dbn-clusters.json" && pass || fail "dbn-clusters.json has 3 groups"

# lenet-localization: bad options, then a tiny run on an MLP (LeNet is the
# default model; any kind localises, the paper's figures only beside LeNet).
expect_exit 2 "lenet-localization --sets NOISE" -- "$NEUROTOP" experiment lenet-localization --sets NOISE
expect_one_line_error "lenet-localization --sets NOISE"
expect_exit 2 "lenet-localization --sets CONCAT" -- "$NEUROTOP" experiment lenet-localization --sets CONCAT
expect_one_line_error "lenet-localization --sets CONCAT"
expect_exit 2 "lenet-localization --images 1" -- "$NEUROTOP" experiment lenet-localization --images 1
expect_one_line_error "lenet-localization --images 1"
expect_exit 0 "lenet-localization on a small MLP" -- "$NEUROTOP" experiment lenet-localization --model mlp \
    --hidden 20,20 --epochs 1 --images 300 --sets GAUSSIAN,IMPULSE,CONCAT --splits 2 --runs "$TMPD/loc"
expect_contains "$OUT" "localisation · IMPULSE · 1568 images" "IMPULSE: two images per pixel"
expect_contains "$OUT" "localisation · CONCAT · 1868 images" "CONCAT of the two sets"
expect_contains "$OUT" "over 2 random splits" "random splits beside the checkerboard"
expect_contains "$OUT" "floor" "the floor is printed"
case "$OUT" in *"paper 1.5"*) fail "the paper's LeNet figure beside an MLP" ;; *) pass ;; esac
D=$(ls -d "$TMPD"/loc/*-mlp)
grep -q '"stimulus":"CONCAT"' "$D/lenet-localization.json" && pass || fail "lenet-localization.json has the CONCAT set"
finish
