# The README's table of metrics.jsonl keys is the one METRIC_LIST prints,
# and a recorded run writes only keys of that table.
SUITE=cli-metrics
. tests/cli/lib.sh

expect_exit 0 "neurotop metrics" -- "$NEUROTOP" metrics
printf '%s\n' "$OUT" > "$TMPD/table"
sed -n '/^<!-- metrics-table/,/^<!-- end of metrics-table/p' README.md | sed '1d;$d' > "$TMPD/readme"
if cmp -s "$TMPD/table" "$TMPD/readme"; then pass; else
    fail "the README's key table differs from 'neurotop metrics' (regenerate it):"
    diff "$TMPD/readme" "$TMPD/table" | head -10
fi
expect_exit 2 "metrics with an argument" -- "$NEUROTOP" metrics extra
expect_one_line_error "metrics with an argument"

# Every key of a fresh run's metrics lines is in the table: the default
# run (the MLP's flexibility over epochs, defined from the second epoch with
# --fc-windows 2) and one with --flex-slices probe (windows of i.i.d. items
# under flex_sub_*).
sed -n "s/^| \`\([A-Za-z0-9_]*\)\` |.*/\1/p" "$TMPD/table" > "$TMPD/templates"
for slices in epochs probe; do
    expect_exit 0 "a short run, --flex-slices $slices" -- "$NEUROTOP" train --headless --epochs 1 --epoch-size 200 \
        --probe 100 --fc-windows 2 --flex-slices $slices --runs "$TMPD/runs-$slices"
    run=$(ls -d "$TMPD"/runs-$slices/*/ | head -n 1)
    keys=$(tr ',{}' '\n\n\n' < "$run/metrics.jsonl" | sed -n 's/^"\([a-z0-9_]*\)":.*/\1/p' | sort -u)
    for k in $keys; do
        found=0
        while read -r t; do
            pattern="^$(printf '%s' "$t" | sed 's/BLOCK/[a-z0-9][a-z0-9]*/; s/LAYER/[a-z0-9][a-z0-9]*/')\$"
            if printf '%s\n' "$k" | grep -q "$pattern"; then found=1; break; fi
        done < "$TMPD/templates"
        if [ "$found" = 1 ]; then pass; else fail "metrics.jsonl key '$k' is not in the table"; fi
    done
    grep -q "\"flex_slices\": *\"$slices\"" "$run/run.json" && pass || fail "run.json records flex_slices $slices"
done
last() { tail -n 1 "$1" | tr ',{}' '\n\n\n' | sed -n "s/^\"$2\":\(.*\)/\1/p"; }
run=$(ls -d "$TMPD"/runs-epochs/*/ | head -n 1)
[ "$(last "$run/metrics.jsonl" flex_epochs_held)" = 2 ] && pass || fail "epoch 1 holds 2 epochs"
case "$(last "$run/metrics.jsonl" flex_system)" in null | "") fail "flex_system is defined at epoch 1 with L = 2" ;; *) pass ;; esac
[ -z "$(last "$run/metrics.jsonl" flex_sub_system)" ] && pass || fail "the default MLP run writes no flex_sub_*"
run=$(ls -d "$TMPD"/runs-probe/*/ | head -n 1)
case "$(last "$run/metrics.jsonl" flex_sub_system)" in null | "") fail "--flex-slices probe writes flex_sub_system" ;; *) pass ;; esac
[ -z "$(last "$run/metrics.jsonl" flex_system)" ] && pass || fail "--flex-slices probe on an MLP writes no flex_system"
expect_exit 2 "--flex-slices with a bad word" -- "$NEUROTOP" train --headless --epochs 1 --flex-slices time \
    --runs "$TMPD/runs-bad"
expect_one_line_error "--flex-slices with a bad word"

finish
