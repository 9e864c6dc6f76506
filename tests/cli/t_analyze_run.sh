# analyze KIND --run DIR [--epoch E]: an epoch of a recorded run as the input.
SUITE=cli-analyze-run
. tests/cli/lib.sh
S=sample-runs/mlp-mnist
F=tests/fixtures

expect_exit 0 "louvain on the sample run's last epoch" -- "$NEUROTOP" analyze louvain --run $S --reps 3
expect_contains "$OUT" '"epoch":40,"graph":"whole","gamma":1,"signed":"asym","reps":3' "the last snapshot, signed asym by default"
expect_exit 0 "louvain on epoch 20 of the hidden subgraph" -- "$NEUROTOP" analyze louvain --run $S --epoch 20 --hidden --reps 3
expect_contains "$OUT" '"epoch":20,"graph":"hidden"' "epoch and part named"
expect_exit 0 "the same again" -- "$NEUROTOP" analyze louvain --run $S --epoch 20 --hidden --reps 3
first="$OUT"
expect_exit 0 "the run's seed is the default seed" -- "$NEUROTOP" analyze louvain --run $S --epoch 20 --hidden --reps 3 --seed 1
[ "$first" = "$OUT" ] && pass || fail "the sample run's seed (1) is the default"
expect_exit 0 "ih needs the run's data, regenerated" -- "$NEUROTOP" analyze ih --run $S --epoch 10
expect_contains "$OUT" '"ih_hl1_mean"' "ih series"
expect_exit 0 "a HebbFF run: its task is regenerated" -- "$NEUROTOP" analyze fc --run sample-runs/hebbff-familiarity --epoch 60
expect_contains "$OUT" '"epoch":60,"layer":"HL1"' "fc of the HebbFF hidden layer"

bad() { d=$1; shift; expect_exit 2 "$d" "$@"; expect_one_line_error "$d"; }
bad "--epoch without --run" -- "$NEUROTOP" analyze louvain --epoch 3 --matrix $F/karate.csv
bad "a files-only kind with --run" -- "$NEUROTOP" analyze quality --run $S
bad "a run-only kind without --run" -- "$NEUROTOP" analyze phases
bad "a run option on files" -- "$NEUROTOP" analyze flexibility --partitions $F/stats_partitions.csv --windows 5
expect_contains "$ERR" "applies to an epoch of a run" "says where the option applies"
bad "a files option on a run" -- "$NEUROTOP" analyze pca --run $S --standardize
bad "a file input on a run" -- "$NEUROTOP" analyze louvain --run $S --matrix $F/karate.csv
bad "a missing run" -- "$NEUROTOP" analyze louvain --run "$TMPD/none"
bad "an epoch without a snapshot" -- "$NEUROTOP" analyze louvain --run $S --epoch 999
bad "a bad epoch" -- "$NEUROTOP" analyze louvain --run $S --epoch x
bad "corr without its maps" -- "$NEUROTOP" analyze permtest --run $S
expect_contains "$ERR" "--map1" "names the missing map"

finish
