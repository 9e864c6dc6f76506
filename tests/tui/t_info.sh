# The information, PCA, phase and confusion analyses, in a real terminal.
SUITE=tui-info
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
# Results of shipped runs go to a per-user cache: keep it in the test folder.
export XDG_CACHE_HOME="$TMPD/cache"

start_tui 120 40 --paused --epoch-size 1000 --probe 100 --runs "$TMPD/runs"
expect_screen "Modularity Q" "the dashboard is up"
keys : s t e p Space 3 Enter
expect_screen "epoch 3" "three epochs trained" 30

keys : i n f o Enter
expect_screen "r(IP, ID)" ":info shows r(IP, ID)"
expect_screen "IP, bits (max" ":info draws the IP map"
expect_screen "ID, bits (max" ":info draws the ID map beside it"
keys Escape
keys : i h Enter
expect_screen "change +" ":ih tabulates the per-layer means"
expect_screen "IH per HL1 unit" ":ih maps the units of the shown epoch"
keys Escape
keys : e d g e s Space 1 Enter
expect_screen "epochs 1 → 3" ":edges FROM compares two epochs"
expect_screen "mean intensity" ":edges relates the map to the pixels"
keys Escape
keys : c o r r Space e d g e s Space i p Space 5 0 0 Enter
expect_screen "live " ":corr reports the live-pixel row"
expect_screen "500 permutations" ":corr echoes the permutation count"
keys Escape
keys : c o r r Space i p Space x y Enter
expect_screen "MAP2 (second pixel map) must be one of" "a bad map name is one line"
keys : p c a Enter
expect_screen "n80 =" ":pca reports n80" 30
expect_screen "PC1-3 in 3-D" ":pca draws the projection as a rotatable cloud"
keys Escape
keys : d i s t a n c e s Enter
expect_screen "between" ":distances shows the table" 30
keys Escape
keys : p h a s e s Enter
expect_screen "r(Q, accuracy) in the middle phase" ":phases reports r(Q, acc)"
# The rule is below the fold: j scrolls one line at a time.
i=0
until screen | grep -q "Rule:" || [ $i -ge 80 ]; do
    keys j
    sleep 0.1
    i=$((i + 1))
done
expect_screen "Rule:" ":phases states its rule (j scrolls down to it)"
keys Escape
keys : c o n f u s i o n Space 9 Enter
expect_screen "most confused" ":confusion lists the largest confusions"
expect_screen "Class 9 over" ":confusion CLASS shows the class's history"
keys Escape
keys : c o n f u s i o n Space 1 2 Enter
expect_screen "class must be from 0 to 9" "a class out of range is refused"
keys q
code=$(wait_exit)
[ "$code" = "EXITED:0" ] && pass || fail "q exits 0 (got '$code')"
run=$(ls -d "$TMPD"/runs/*-mlp)
for job in info ih edges corr pca distances phases confusion; do
    ls "$run"/analyses/epoch-000003-$job-*.json >/dev/null 2>&1 && pass || fail "the :$job result is saved under analyses/"
done
grep -q '"ih_hl1_mean":' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has ih_hl1_mean"

finish
