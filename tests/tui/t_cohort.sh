# The cohort view at 80x24 and 120x40: a sweep's runs with their median and
# band, grouping by the swept option, a run that appears while the view is
# open, Enter into the replay view of the selected run and back.
SUITE=tui-cohort
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8

"$NEUROTOP" sweep sweeps/small.sweep --runs "$TMPD/sw" --jobs 2 >/dev/null 2>&1
S="$TMPD/sw/small"
# Task 3 starts later, while the view is open.
mv "$S/task-0003" "$TMPD/task-0003"

start_tui 80 24 cohort "$S"
expect_screen "test_acc · 3 runs · no groups · epochs 0-2" "80x24: the title names metric, runs, grouping, epochs"
expect_screen "task-0002" "80x24: the runs are listed"
expect_screen "━ all" "80x24: the median of all runs has a legend"
expect_screen "←→ metric  ↑↓ run  g group" "80x24: the keys are shown"
keys g g
expect_screen "test_acc · 3 runs · lr · epochs 0-2" "g g: grouped by lr (seed first)"
expect_screen "lr=0.1 · 2" "grouped: the learning rates side by side"
expect_screen "lr=0.3 · 1" "grouped: a panel per learning rate (task 3 not there yet)"
mv "$TMPD/task-0003" "$S/task-0003"
expect_screen "lr=0.3 · 2" "a run that appears is read in" 10
keys s
expect_screen "━ lr=0.1  ━ lr=0.3" "s: the groups overlaid, a median each"
keys Right
expect_screen "test_loss · 4 runs" "Right: the next metric"
keys Left Down Enter
expect_screen "REPLAY  epoch 0 of 2" "Enter: the selected run in the replay view"
expect_screen "seed 1" "the second run (seed 1) is the one replayed"
keys q
expect_screen "test_acc · 4 runs · lr" "q in the replay: back to the cohort"
keys q
[ "$(wait_exit)" = "EXITED:0" ] && pass || fail "q quits with status 0"
stop_tui

start_tui 120 40 cohort "$S" --group lr
expect_screen "test_acc · 4 runs · lr · epochs 0-2" "120x40: --group lr"
expect_screen "lr=0.1" "120x40: the list names each run's group"
expect_screen "lr=0.1 · 2" "120x40: side by side"
keys s Tab
expect_screen "━ lr=0.1  ━ lr=0.3" "overlaid, Tab moves the band to the other group"
keys q
stop_tui

# A batch of instances: runs named by the end of their folder, with their
# learning mode; constant options give an undefined correlation, not NaN.
B="$TMPD/batch"
"$NEUROTOP" train --headless --model mlp --hidden 20 --epoch-size 2000 --qreps 2 --epochs 4 --instances 3 --jobs 2 \
    --runs "$B" >/dev/null 2>&1
start_tui 80 24 cohort "$B"
expect_screen "test_acc · 3 runs" "instances: three runs"
expect_screen "-i02 " "instances: named by the end of their folder"
keys Right
expect_screen "(3) · across" "the next metric has a correlation over the 3 runs"
keys q
stop_tui

start_tui 30 8 cohort "$S"
expect_screen "small (40x10 at least)" "a tiny terminal gets a sentence"
keys q
finish
