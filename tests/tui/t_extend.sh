# A finished live run can be extended: at its --epochs limit the run waits,
# and n, :step N, Space and :epochs N train on, each saying so; no key
# answers as if it acted when nothing happens.
SUITE=tui-extend
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
export XDG_CACHE_HOME="$TMPD/cache"

for size in "80 24" "200 60"; do
    tm kill-session -t t 2>/dev/null
    rm -rf "$TMPD/runs"
    # shellcheck disable=SC2086
    # Epochs of about a second, so each message stays long enough to be read
    # (the next epoch's "limit reached" replaces it; half a second was too
    # short for a 200×60 capture on a busy machine).
    start_tui $size --epochs 2 --epoch-size 8000 --hidden 200,200 --probe 40 --qreps 0 --flexreps 0 --runs "$TMPD/runs"
    expect_screen "epoch limit 2 reached" "the run says it reached its limit at $size" 60
    expect_screen "DONE" "the status line says DONE at $size"
    keys n
    expect_screen "the run had reached its limit of 2 epochs: training 1 more (limit now 3" "n past the limit at $size"
    expect_screen "epoch 3/3" "n trained epoch 3 at $size" 60
    keys ":step 2" Enter
    expect_screen "limit now 5" ":step 2 past the limit says so at $size"
    expect_screen "epoch 5/5" ":step 2 trained epochs 4 and 5 at $size" 60
    keys ":pause" Enter
    expect_screen "nothing is training: the run is at its limit of 5 epochs" ":pause at the limit says nothing trains at $size"
    keys ":lr 0.2" Enter
    expect_screen "learning rate 0.2 for the next epochs (the run is at its limit" ":lr at the limit at $size"
    keys ":epochs 4" Enter
    expect_screen "the run is at epoch 5: a limit must be larger" ":epochs below the last epoch is refused at $size"
    keys ":epochs 7" Enter
    expect_screen "epoch limit 7 (was 5); paused: Space or n trains on" ":epochs 7 at $size"
    keys Space
    expect_screen "running" "Space runs on at $size"
    expect_screen "epoch 7/7" "Space trained to the new limit at $size" 60
    expect_screen "epoch limit 7 reached" "and waits there at $size" 60
    keys Space
    expect_screen "running on past the limit of 7 epochs, with no limit now" "Space at the limit runs on at $size"
    expect_screen "epoch 8" "training goes on without a limit at $size" 60
    keys Space
    expect_screen "paused" "Space pauses at $size"
    keys q
    wait_exit >/dev/null
    run=$(ls -d "$TMPD"/runs/*-mlp)
    n=$(grep -c '"epoch"' "$run/metrics.jsonl")
    [ "$n" -ge 9 ] && pass || fail "metrics.jsonl holds epochs 0..8 at least ($n lines) at $size"
done

# tui --resume goes on with a recorded run, its curves from the start.
tm kill-session -t t 2>/dev/null
"$NEUROTOP" train --headless --epochs 3 --epoch-size 200 --probe 40 --runs "$TMPD/rec" >/dev/null 2>&1
rec=$(ls -d "$TMPD"/rec/*-mlp)
start_tui 120 40 --resume "$rec" --epochs 5 --paused
expect_screen "epoch 3/5" "the resumed run opens at its last epoch with the new limit"
keys n
expect_screen "epoch 4/5" "n trains the resumed run's next epoch" 60
keys q
wait_exit >/dev/null
n=$(grep -c '"epoch"' "$rec/metrics.jsonl")
[ "$n" -eq 5 ] && pass || fail "the resumed run appends to its own metrics.jsonl (epochs 0..4: $n lines)"
grep -q '^{"epoch":4,' "$rec/metrics.jsonl" && pass || fail "epoch 4's line is appended"

finish
