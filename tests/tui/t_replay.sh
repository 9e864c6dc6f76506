# Replay of a recorded run: the same numbers as the live run, stepping both
# ways, playing, and a corrupted snapshot reported for its epoch only.
SUITE=tui-replay
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
# Results of shipped runs go to a per-user cache: keep it in the test folder.
export XDG_CACHE_HOME="$TMPD/cache"

"$NEUROTOP" train --headless --epochs 3 --epoch-size 600 --probe 60 --runs "$TMPD/runs" >/dev/null 2>&1
run=$(ls -d "$TMPD"/runs/*-mlp)
acc3=$(sed -n 4p "$run/metrics.jsonl" | tr ',' '\n' | awk -F: '$1=="\"test_acc\"" {printf "%.2f%%", 100 * $2}')

expect_exit 2 "replay of a missing folder" -- "$NEUROTOP" replay "$TMPD/nothing"
expect_one_line_error "replay of a missing folder"
expect_exit 2 "replay without a folder" -- "$NEUROTOP" replay
expect_one_line_error "replay without a folder"
expect_exit 0 "replay --help" -- "$NEUROTOP" replay --help

# Corrupt epoch 2's snapshot (flip bytes in the middle of the weights).
printf 'XXXXXXXX' | dd of="$run/snapshots/epoch-000002.nts" bs=1 seek=200000 conv=notrunc 2>/dev/null

start_tui 100 30 replay "$run"
expect_screen "REPLAY" "replay mode in the status line"
expect_screen "epoch 0 of 3" "replay starts at epoch 0"
keys End
expect_screen "epoch 3 of 3" "End jumps to the last epoch"
expect_screen "acc $acc3" "the accuracy at epoch 3 is the live run's ($acc3)"
keys Left
expect_screen "epoch 2 of 3" "← steps back"
expect_screen "epoch-000002.nts" "the corrupted snapshot is reported by name"
keys p
expect_screen "epoch 1 of 3" "p steps back"
keys n
expect_screen "epoch 2 of 3" "n steps forward"
keys : g o t o Space 0 Enter
expect_screen "epoch 0 of 3" ":goto 0"
keys : s p e e d Space 2 0 Enter
keys Space
expect_screen "end of the run" "Space plays to the end"
keys : e x p o r t Enter
expect_screen "wrote" ":export writes the focused pane's data"
keys : e x p o r t - a l l Enter
expect_screen "series.gp" ":export-all writes every series and a gnuplot script"
keys Tab Tab Tab : e x p o r t Enter
expect_screen ".pgm" ":export of the receptive fields writes a PGM"
keys : s t e p Enter
expect_screen "a replay does not" ":step is refused in a replay"
keys : l o u v a i n Space 4 Enter
expect_screen "Q best" ":louvain runs on a replayed epoch"
keys Escape q
code=$(wait_exit)
[ "$code" = "EXITED:0" ] && pass || fail "q exits 0 (got '$code')"
ls "$run"/analyses/epoch-000003-louvain-*.json >/dev/null 2>&1 && pass || fail "replay analyses are saved in the run"
head -c 2 "$run"/exports/*fields-layer1.pgm | grep -q P5 && pass || fail "the PGM export is a binary PGM"
head -n 1 "$run/exports/series.csv" | grep -q '^epoch,' && pass || fail "the series CSV starts with the epoch column"

finish || first_failed=1

# The shipped sample run and its lesson.
SUITE=tui-replay-lesson
PASSED=0
FAILED=0
tm kill-session -t t 2>/dev/null
# A copy, so the analyses the test runs are not saved into the repository.
cp -r sample-runs/mlp-mnist "$TMPD/sample"
start_tui 100 32 replay "$TMPD/sample" --lesson "$TMPD/sample/phases.lesson"
expect_screen "Enter starts" "the lesson box invites Enter"
keys Enter
expect_screen "step 1 of 6" "Enter shows step 1"
expect_screen "epoch 0 of 40" "step 1 shows epoch 0"
keys Enter
expect_screen "Is there a silent first phase?" "step 2's text"
expect_screen "epoch 6 of 40" "step 2 jumps to epoch 6"
expect_screen "best of 5 · middle" "the detected learning phase is named in the zoomed Q pane (and tinted on the plots)"
expect_screen "no snapshot was saved for epoch 6" "sparse snapshots: the nearest earlier weights are shown and named"
keys BSpace
expect_screen "step 1 of 6" "Backspace goes back a step"
keys Escape End : p c a Enter
expect_screen "a/d w/s rotate" ":pca shows the top-3 projection as a rotatable cloud"
keys d w
expect_screen "yaw 15°, pitch 15°" "d and w rotate the 3-D view"
keys Escape q
wait_exit >/dev/null

printf 'epoch: twelve\nsome text\n' > "$TMPD/bad.lesson"
expect_exit 2 "a bad lesson" -- "$NEUROTOP" replay "$TMPD/sample" --lesson "$TMPD/bad.lesson"
expect_contains "$ERR" "bad.lesson:1" "the bad lesson's line is named"
printf 'epoch: 400\nbeyond the run\n' > "$TMPD/late.lesson"
expect_exit 2 "a lesson past the run's end" -- "$NEUROTOP" replay "$TMPD/sample" --lesson "$TMPD/late.lesson"
finish && [ -z "${first_failed:-}" ]
