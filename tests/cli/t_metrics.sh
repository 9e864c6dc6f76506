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

# Every key of a fresh run's metrics lines is in the table.
expect_exit 0 "a short run" -- "$NEUROTOP" train --headless --epochs 1 --epoch-size 200 --probe 100 --runs "$TMPD/runs"
run=$(ls -d "$TMPD"/runs/*/ | head -n 1)
keys=$(tr ',{}' '\n\n\n' < "$run/metrics.jsonl" | sed -n 's/^"\([a-z0-9_]*\)":.*/\1/p' | sort -u)
sed -n "s/^| \`\([A-Za-z0-9_]*\)\` |.*/\1/p" "$TMPD/table" > "$TMPD/templates"
for k in $keys; do
    found=0
    while read -r t; do
        pattern="^$(printf '%s' "$t" | sed 's/BLOCK/[a-z0-9][a-z0-9]*/; s/LAYER/[a-z0-9][a-z0-9]*/')\$"
        if printf '%s\n' "$k" | grep -q "$pattern"; then found=1; break; fi
    done < "$TMPD/templates"
    if [ "$found" = 1 ]; then pass; else fail "metrics.jsonl key '$k' is not in the table"; fi
done

finish
