# `neurotop train --headless --instances K --jobs J` and
# `neurotop experiment hebbff-modularity`: tiny familiarity tasks so the
# whole file runs in seconds.
SUITE=cli-instances
. tests/cli/lib.sh

R="$TMPD/runs"
TINY="--model hebbff --task-n 16 --task-train 100 --task-test 60 --hidden 8 --save-every 0"

# shellcheck disable=SC2086
expect_exit 0 "2 instances x 2 epochs" -- "$NEUROTOP" train --headless $TINY --epochs 2 --instances 2 --jobs 2 \
    --seed 5 --runs "$R/a"
expect_contains "$OUT" "2 of 2 instances finished" "final line"
expect_contains "$OUT" "i01 seed 6 epoch    2/2" "one line per instance-epoch"
B=$(ls -d "$R"/a/*-hebbff-x2)
S="$B/summary.csv"
if [ -f "$S" ]; then pass; else fail "summary.csv in the batch folder $B"; fi
expect_contains "$(head -1 "$S")" "instance,seed,epoch,test_acc,test_loss,tpr,fpr,lambda,eta,q_whole,q_hidden,fcq," \
    "summary header"
# 2 instances x epochs 0, 1, 2, sorted by instance then epoch.
rows=$(tail -n +2 "$S" | cut -d, -f1-3 | tr '\n' ' ')
if [ "$rows" = "0,5,0 0,5,1 0,5,2 1,6,0 1,6,1 1,6,2 " ]; then pass; else fail "summary rows: '$rows'"; fi
for i in 00 01; do
    d=$(ls -d "$B"/*-hebbff-i$i 2>/dev/null)
    if [ -n "$d" ] && [ -s "$d/run.json" ] && [ "$(grep -c . "$d/metrics.jsonl")" -eq 3 ]; then pass; else
        fail "run directory of instance $i"; fi
done
expect_contains "$(cat "$B"/*-hebbff-i01/run.json)" '"seed":6' "instance 1 has seed 6"
# Accuracy in the summary is the run's test_acc.
acc=$(awk -F, 'NR == 4 {print $4}' "$S")
OUT=$(sed -n 3p "$B"/*-hebbff-i00/metrics.jsonl)
expect_close "$acc" "$(json_num test_acc)" "summary test_acc matches metrics.jsonl"

# Deterministic per instance: one job at a time gives the same table, and a
# lone run of seed 6 gives instance 1's rows.
# shellcheck disable=SC2086
expect_exit 0 "same batch, one job" -- "$NEUROTOP" train --headless $TINY --epochs 2 --instances 2 --jobs 1 \
    --seed 5 --runs "$R/b"
if cmp -s "$S" "$(ls -d "$R"/b/*-hebbff-x2)/summary.csv"; then pass; else fail "summary differs with --jobs 1"; fi
# shellcheck disable=SC2086
expect_exit 0 "one instance of seed 6" -- "$NEUROTOP" train --headless $TINY --epochs 2 --instances 1 \
    --seed 6 --runs "$R/c"
one=$(tail -n +2 "$(ls -d "$R"/c/*-hebbff-x1)/summary.csv" | cut -d, -f2-)
two=$(grep '^1,' "$S" | cut -d, -f2-)
if [ -n "$one" ] && [ "$one" = "$two" ]; then pass; else fail "seed 6 alone differs from instance 1"; fi

# Bad options: exit 2 with one sentence.
for args in "--instances 0" "--instances x" "--instances 2 --jobs 0" "--jobs 2" \
            "--instances 2 --log $TMPD/log"; do
    # shellcheck disable=SC2086
    expect_exit 2 "train $args" -- "$NEUROTOP" train --headless $TINY --epochs 1 $args --runs "$R/bad"
    expect_one_line_error "train $args"
done
expect_exit 2 "tui --instances" -- "$NEUROTOP" tui --instances 2
expect_one_line_error "tui --instances"

# SIGINT stops every instance; the summary keeps the finished epochs.
"$NEUROTOP" train --headless --model hebbff --epochs 500 --instances 2 --jobs 2 --save-every 0 --qreps 0 \
    --flexreps 0 --runs "$R/int" >"$TMPD/int.out" 2>"$TMPD/int.err" &
pid=$!
n=0
while [ $n -lt 300 ] && ! grep -q "epoch    2/" "$TMPD/int.out" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
kill -INT $pid
wait $pid
code=$?
if [ $code -eq 130 ]; then pass; else fail "SIGINT: exit $code, expected 130"; fi
expect_contains "$(cat "$TMPD/int.err")" "stopped by a signal" "SIGINT message"
rows=$(tail -n +2 "$(ls -d "$R"/int/*-hebbff-x2)/summary.csv" | grep -c .)
if [ "$rows" -ge 4 ] && [ "$rows" -lt 1002 ]; then pass; else fail "SIGINT summary rows: $rows"; fi

# The experiment: help, bad options, and an analysis of a small batch.
expect_exit 0 "experiment --help" -- "$NEUROTOP" experiment --help
expect_contains "$OUT" "hebbff-modularity" "experiment --help lists hebbff-modularity"
expect_exit 0 "hebbff-modularity --help" -- "$NEUROTOP" experiment hebbff-modularity --help
for text in "--instances K" "--window W" "--from DIR" "--boot N"; do
    expect_contains "$OUT" "$text" "hebbff-modularity --help lists $text"
done
for args in "--instances 0" "--epochs 3" "--window 2" "--window" "--model mlp" "--frobnicate" "--lr -1"; do
    # shellcheck disable=SC2086
    expect_exit 2 "hebbff-modularity $args" -- "$NEUROTOP" experiment hebbff-modularity $args --runs "$R/bad"
    expect_one_line_error "hebbff-modularity $args"
done
expect_exit 2 "--from a missing folder" -- "$NEUROTOP" experiment hebbff-modularity --from "$TMPD/none"
expect_one_line_error "--from a missing folder"

# The experiment always trains HebbFF and refuses --model: the task options only.
# shellcheck disable=SC2086
expect_exit 0 "small experiment" -- "$NEUROTOP" experiment hebbff-modularity ${TINY#--model hebbff } --instances 3 --epochs 7 \
    --window 3 --runs "$R/e"
for text in "3 instances (2 of even seed, 1 of odd), epochs 0-7, 2 windows of 3 epochs" "[paper Fig. 4A]" \
            "[paper Fig. 4C]" "hebbff-across-epochs.csv" \
            "functional Q (mean activation regressed out)" "Learning modes" "hebbff-modularity.csv"; do
    expect_contains "$OUT" "$text" "experiment prints '$text'"
done
E=$(ls -d "$R"/e/*-hebbff-x3)
# 5 readouts and the module counts of 3 of them, each over 2 windows and 3
# thirds; one line per instance.
if [ "$(grep -c . "$E/hebbff-modularity.csv")" -eq 41 ]; then pass; else fail "window table rows"; fi
if [ "$(grep -c . "$E/hebbff-modes.csv")" -eq 4 ]; then pass; else fail "modes table rows"; fi
first=$(cat "$E/hebbff-modularity.csv")
expect_exit 0 "experiment --from" -- "$NEUROTOP" experiment hebbff-modularity --from "$E" --window 3
if [ "$first" = "$(cat "$E/hebbff-modularity.csv")" ]; then pass; else fail "--from gives another table"; fi

finish
