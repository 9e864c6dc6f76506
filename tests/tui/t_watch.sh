# The watch view at 80x24: an external run (tests/fixtures/external-mlp)
# shown in the replay view as it is recorded; a step renamed into the
# folder appears on the timeline within a second or two.
SUITE=tui-watch
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8

FX=tests/fixtures/external-mlp
W="$TMPD/live"
mkdir -p "$W"
cp "$FX/run.json" "$FX/metrics.jsonl" "$FX/step-000000.npz" "$FX/step-000010.npz" "$W/"
start_tui 80 24 watch "$W" --runs "$TMPD/runs"
expect_screen "REPLAY  epoch 0 of 10" "the converted run is replayed"
expect_screen "mlp 64-6-3" "the network's sizes"
expect_screen "Modularity Q" "the weight graph's Q pane"
cp "$FX/step-000020.npz" "$W/.tmp" && mv "$W/.tmp" "$W/step-000020.npz"
expect_screen "epoch 0 of 20" "a new step joins the timeline" 3
keys End
expect_screen "epoch 20 of 20" "End shows it"
expect_screen "acc 70.00%" "with the accuracy its trainer recorded"
printf 'PK not an archive' > "$W/step-000025.npz"
expect_screen "step 25 skipped" "a broken step is said on the message line" 6
expect_screen "epoch 20 of 20" "and the view goes on"
keys q
[ "$(wait_exit)" = "EXITED:0" ] && pass || fail "q quits with status 0"
stop_tui

# replay on the external folder itself converts it into the cache first.
XDG_CACHE_HOME="$TMPD/cache"
export XDG_CACHE_HOME
start_tui 80 24 replay "$FX"
expect_screen "REPLAY  epoch 0 of 20" "replay of an external folder"
keys q
[ "$(wait_exit)" = "EXITED:0" ] && pass || fail "replay of an external folder quits with 0"
[ "$(ls "$TMPD"/cache/neurotop/external/external-mlp-*/ | wc -l)" -eq 1 ] && pass ||
    fail "one converted run in the cache"
finish
