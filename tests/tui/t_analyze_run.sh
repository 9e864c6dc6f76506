# One implementation per analysis: `analyze KIND --run DIR --epoch E`
# prints byte for byte the JSON that the TUI's :command saves for that
# epoch of the replayed run.
SUITE=tui-analyze-run
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
# Results of shipped runs go to a per-user cache: keep it in the test folder.
export XDG_CACHE_HOME="$TMPD/cache"

"$NEUROTOP" train --headless --epochs 3 --epoch-size 600 --probe 200 --runs "$TMPD/runs" >/dev/null 2>&1
run=$(ls -d "$TMPD"/runs/*-mlp)

start_tui 120 40 replay "$run"
expect_screen "epoch 0 of 3" "the replay opens"
keys End
expect_screen "epoch 3 of 3" "End shows the last epoch"
# command | analyze arguments | text that shows the job has finished
while IFS='|' read -r cmd args done_text; do
    name=$(printf '%s' "$cmd" | cut -d' ' -f1)
    keys ":$cmd" Enter
    expect_screen "$done_text" ":$cmd finishes" 60
    keys Escape
    sleep 0.3
    # The file is named by the epoch, the command and a hash of its arguments.
    # The newest: one command with other arguments (flex, then flex --slices)
    # leaves two files.
    saved=$(ls -t "$run"/analyses/epoch-000003-"$name"-????????.json 2>/dev/null | head -n 1)
    # shellcheck disable=SC2086
    expect_exit 0 "analyze $args --run" -- "$NEUROTOP" analyze $args --run "$run" --epoch 3
    printf '%s' "$OUT" > "$TMPD/analyze.json"
    # :degrees adds the means per group of the latest partition (here the
    # :consensus above), which analyze has no way to know: the rest must agree.
    if [ -f "$saved" ] && [ "$name" = degrees ]; then
        grep -q '"groups":{"source":' "$saved" && pass || fail ":degrees saves no groups of the latest partition"
        sed 's/,"groups":{[^}]*}//' "$saved" > "$TMPD/saved.json"
        saved=$TMPD/saved.json
    fi
    if [ -f "$saved" ] && cmp -s "$saved" "$TMPD/analyze.json"; then pass; else
        fail ":$cmd and analyze $args --run give different JSON"
        head -c 300 "$saved"; echo; head -c 300 "$TMPD/analyze.json"; echo
    fi
done <<'LIST'
roles|roles|participation coefficient
louvain 4 1 asym hidden|louvain --reps 4 --hidden|Q best
consensus 6|consensus --reps 6|consensus Q
degrees 0.5|degrees --threshold 0.5|Degrees
flex 1 4|flexibility --layer 1 --windows 4|system flexibility
flex 1 5 --slices probe|flexibility --layer 1 --windows 5 --slices probe|subsamples
fc 2|fc --layer 2|mean r
moments|moments|kurt
pca|pca|n80
corr ip edges 300|permtest --map1 ip --map2 edges --perms 300|permutations
info|mi|r(IP, ID)
edges 1|edges --from 1|alpha
phases|phases|phase
confusion 3|confusion --class 3|class 3
LIST
keys q
wait_exit >/dev/null

finish
