# Results and small answers in a real terminal: :degrees keeps its r column
# beside the maps at 120 columns, :export-all prints a gnuplot command that
# works from where neurotop was started, HebbFF shows its own numbers and
# :info says it does not apply, Tab lists candidates, and :zoom, :goto and
# :speed say what they cannot do.
SUITE=tui-answers
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
case "$NEUROTOP" in /*) ;; *) NEUROTOP="$PWD/$NEUROTOP" ;; esac
# Copies (the analyses write into the run directory), started from TMPD
# with relative paths, as a user in their own folder would.
mkdir -p "$TMPD/work"
cp -r sample-runs/mlp-mnist "$TMPD/work/mlp"
cp -r sample-runs/hebbff-familiarity "$TMPD/work/hebbff"
rm -f "$TMPD/work/mlp/.read-only" "$TMPD/work/hebbff/.read-only" # writable copies
export XDG_CACHE_HOME="$TMPD/cache"
repo=$PWD
cd "$TMPD/work"

start_tui 120 40 replay mlp
expect_screen "REPLAY" "replay of the MLP sample"
keys End
keys : d e g r e e s Enter
expect_screen "r(str,deg)" "120x40: :degrees shows the r column" 60
screen | grep "^│input  " | grep -q "r(str,deg)" && fail "r(str,deg) header on an input row" || pass
screen | grep -q "strength over the input pixels" && pass || fail "120x40: the maps are beside the table"
# The r column's values are whole on the screen (a number or nan ends each row).
n=$(screen | grep -cE "^│(input|HL1|HL2|output) +-?[0-9]+\.[0-9]{3} +[0-9.]+ +(-?[0-9]+\.[0-9]{3}|nan) ")
[ "$n" -eq 4 ] && pass || fail "120x40: four rows with strength, knn and r (got $n)"
keys Escape
keys : e x p o r t - a l l Enter
expect_screen "draws" ":export-all reports what it wrote"
cmd=$(screen | tail -4 | tr -d '\n' | sed 's/.*`\(gnuplot [^`]*\)`.*/\1/')
case "$cmd" in "gnuplot mlp/exports/series.gp") pass ;; *) fail "the printed command is relative to where neurotop started: '$cmd'" ;; esac
if command -v gnuplot >/dev/null 2>&1; then
    sh -c "$cmd" 2>"$TMPD/gp.err" && pass || fail "the printed command runs: $(cat "$TMPD/gp.err")"
    ls mlp/exports/series-accuracy.svg mlp/exports/series-modularity.svg >/dev/null 2>&1 && pass \
        || fail "one figure per group: $(ls mlp/exports)"
    grep -q "x1y2" mlp/exports/series.gp && pass || fail "accuracy and loss on two axes"
else
    skip "gnuplot is not installed: the printed command is not run"
fi

# Small answers.
keys : z o o m Space n o p e Enter
expect_screen "panes: accuracy, modularity, weights, fields, flexibility, entropy" "an unknown pane lists the valid ones"
keys : g o t o Space 9 9 9 Enter
expect_screen "past the end: the last recorded epoch is 40" ":goto past the end says so"
keys : z o o m Space Tab
expect_screen "accuracy  entropy  fields  flexibility  modularity  weights" ":zoom Tab lists the pane names"
keys Escape
keys : s Tab
expect_screen "save  set  speed  step" "Tab on an ambiguous prefix lists the candidates at once"
keys Escape
stop_tui

start_tui 100 30 replay hebbff
keys End
expect_screen "TPR 0.934" "HebbFF: TPR in the Accuracy pane"
expect_screen "FPR 0.010" "HebbFF: FPR in the Accuracy pane"
expect_screen "λ +0.918" "HebbFF: λ in the Accuracy pane"
keys : i n f o Enter
expect_screen "is about images" "HebbFF: :info says it does not apply"
stop_tui

start_tui 80 24 --paused --epoch-size 200 --probe 20 --runs runs
expect_screen "PAUSED" "a live run"
keys : s p e e d Space 5 Enter
expect_screen "a replay plays" ":speed in a live run says it is for replays"
keys q
wait_exit >/dev/null
cd "$repo"

# analyze KIND --help lists that kind's options.
expect_exit 0 "analyze louvain --help" -- "$NEUROTOP" analyze louvain --help
expect_contains "$OUT" "--gamma GAMMA" "analyze louvain --help lists its options"
expect_contains "$OUT" "--hidden" "analyze louvain --help lists the options on a run"
expect_exit 0 "analyze confusion --help" -- "$NEUROTOP" analyze confusion --help
expect_contains "$OUT" "--class CLASS" "analyze confusion --help lists --class"

finish
