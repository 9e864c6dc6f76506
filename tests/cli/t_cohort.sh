# neurotop cohort --headless: many runs compared. Three tiny hand-made runs
# give bands and within/across correlations computed by hand (the sign
# reverses between the two); a sweep folder groups by its swept option;
# bad input gets one line and exit 2. (The view: tests/tui/t_cohort.sh.)
SUITE=cli-cohort
. tests/cli/lib.sh

# mk DIR SEED LR "acc/q acc/q ...": a run directory with epochs 0, 1, ...
mk() {
    mkdir -p "$1"
    printf '{"model":"mlp","sizes":[4,2],"seed":%s,"lr":%s}\n' "$2" "$3" > "$1/run.json"
    : > "$1/metrics.jsonl"
    e=0
    for pair in $4; do
        printf '{"epoch":%d,"test_acc":%s,"q_whole":%s}\n' "$e" "${pair%/*}" "${pair#*/}" >> "$1/metrics.jsonl"
        e=$((e + 1))
    done
}
T="$TMPD/tiny"
# Two machines' runs copied into one folder, at different depths.
mk "$T/m1/A" 1 0.1 "0.1/0.5 0.2/0.6 0.3/0.7 0.4/0.8"
mk "$T/m2/B" 2 0.1 "0.1/0.5 0.3/0.4 0.5/0.3 0.7/0.2"
mk "$T/m2/sub/C" 3 0.3 "0.1/0.5 0.25/0.55 0.45/0.65 0.5/0.6"
expect_exit 0 "tiny" -- "$NEUROTOP" cohort "$T" --headless --window 3 --boot 0
expect_contains "$OUT" "cohort: 3 runs, epochs 0-3; options that vary: seed lr" "tiny: runs found, options that vary"
# within: r = +1 (A), −1 (B), 0.01/sqrt(0.035·0.005) = 0.755929 (C); mean 0.251976.
# across: r over the runs at epochs 1, 2, 3 = −0.960769, −0.771454, −1; mean −0.910741.
row=$(grep '^all,q_whole,test_acc,1,3,' "$T/cohort-corr.csv")
near() { awk -v g="$1" -v e="$2" 'BEGIN { d = g - e; if (d < 0) d = -d; exit !(g != "" && d < 2e-5) }'; }
near "$(printf '%s' "$row" | cut -d, -f6)" 0.251976 && pass || fail "tiny: within r: $row"
near "$(printf '%s' "$row" | cut -d, -f10)" -0.910741 && pass || fail "tiny: across r: $row"
[ "$(printf '%s' "$row" | cut -d, -f9)" = 3 ] && [ "$(printf '%s' "$row" | cut -d, -f13)" = 3 ] && pass ||
    fail "tiny: 3 runs within, 3 epochs across: $row"
# Bands of test_acc at epoch 1 (0.2, 0.25, 0.3): q10 0.21, q25 0.225, median 0.25, q75 0.275, q90 0.29.
grep -qx 'all,test_acc,1,3,0.21,0.225,0.25,0.275,0.29' "$T/cohort-bands.csv" && pass ||
    fail "tiny: bands at epoch 1: $(grep '^all,test_acc,1,' "$T/cohort-bands.csv")"
expect_exit 0 "tiny by lr" -- "$NEUROTOP" cohort "$T" --headless --group lr --boot 0 --out "$TMPD/tables"
grep -q '^lr=0.1,test_acc,3,2,' "$TMPD/tables/cohort-bands.csv" && grep -q '^lr=0.3,test_acc,3,1,0.5,' "$TMPD/tables/cohort-bands.csv" &&
    pass || fail "tiny by lr: a band per group: $(grep ',test_acc,3,' "$TMPD/tables/cohort-bands.csv")"
[ ! -e "$T/tables" ] && [ -f "$TMPD/tables/cohort.json" ] && pass || fail "tiny by lr: --out"
grep -q '"group_by":"lr"' "$TMPD/tables/cohort.json" && pass || fail "cohort.json names the grouping"

# A sweep's folder, grouped by the swept learning rate.
"$NEUROTOP" sweep sweeps/small.sweep --runs "$TMPD/sw" --jobs 2 >/dev/null 2>&1
expect_exit 0 "sweep" -- "$NEUROTOP" cohort "$TMPD/sw/small" --headless --group lr
expect_contains "$OUT" "cohort: 4 runs, epochs 0-2; options that vary: seed lr" "sweep: 4 runs"
expect_contains "$OUT" "lr=0.1                 2 runs" "sweep: group lr=0.1"
expect_contains "$OUT" "lr=0.3                 2 runs" "sweep: group lr=0.3"
[ "$(grep -c '^/' "$TMPD/sw/small/cohort-modes.csv")" -eq 4 ] && pass || fail "sweep: a mode line per run"

expect_exit 2 "no folder" -- "$NEUROTOP" cohort --headless
expect_one_line_error "no folder"
expect_exit 2 "missing folder" -- "$NEUROTOP" cohort "$TMPD/nonesuch" --headless
expect_one_line_error "missing folder"
mkdir -p "$TMPD/empty"
expect_exit 2 "no runs" -- "$NEUROTOP" cohort "$TMPD/empty" --headless
expect_contains "$ERR" "no run directory" "no runs: says so"
expect_exit 2 "unknown key" -- "$NEUROTOP" cohort "$T" --headless --group nonesuch
expect_contains "$ERR" "no run's run.json has the key 'nonesuch'" "unknown key: says so"
expect_exit 2 "bad window" -- "$NEUROTOP" cohort "$T" --headless --window 1
expect_one_line_error "bad window"
expect_exit 2 "view without a terminal" -- "$NEUROTOP" cohort "$T"
expect_one_line_error "view without a terminal"

finish
