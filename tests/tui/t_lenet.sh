# LeNet in a real terminal (tmux) at 120x40 and 80x24: the weight
# histograms of its two convolutions and dense layers, its kernels, the
# feature maps of a probe digit and the receptive fields of deeper units in
# the fields pane (l cycles, d picks the next digit), Q of its family graph,
# an export; the run it recorded replays. Absurd sizes are one line and exit 2.
SUITE=tui-lenet
. tests/cli/lib.sh
. tests/tui/lib.sh

export LANG=C.UTF-8
export XDG_CACHE_HOME="$TMPD/cache"
TINY="--model lenet --conv1 4 --conv2 6 --dense 16 --epoch-size 300 --probe 20"
start_tui 120 40 $TINY --paused --runs "$TMPD/runs"
expect_screen "PAUSED" "starts paused"
expect_screen "lenet 784-2304-576-384-96-16-10" "the status line names the shaped layers"
expect_screen "Kernels into HL1 · 1–4 of 4, 5×5" "the fields pane starts with the first kernels"
expect_screen "conv1 in→HL1" "a weight histogram of the first convolution"
expect_screen "conv2 HL2→HL3" "a weight histogram of the second convolution"
expect_screen "Q " "Q of the family graph"
keys n
expect_screen "epoch 1" "n trains one epoch"
expect_screen "acc " "the accuracy of epoch 1"
keys l
expect_screen "Kernels into HL3 · 1–6 of 6" "l: the second convolution's kernels"
keys l
expect_screen "Maps HL1 · probe 1" "l: the feature maps of the first probe digit"
expect_screen "activation" "the maps' legend"
keys d
expect_screen "Maps HL1 · probe 2" "d: the next probe digit"
keys l l l
expect_screen "Maps HL4" "the maps of the last pooling layer"
keys l
expect_screen "Receptive fields · HL2" "then the receptive fields of deeper units"
keys : e x p o r t Enter
expect_screen "wrote" ":export of a LeNet run"
keys q
code=$(wait_exit)
[ "$code" = "EXITED:0" ] && pass || fail "q exits with status 0 (got '$code')"
stop_tui

run=$(ls -d "$TMPD"/runs/*-lenet | head -1)
start_tui 80 24 replay "$run"
expect_screen "REPLAY" "the LeNet run replays at 80x24"
keys End
expect_screen "epoch 1 of 1" "End shows the trained epoch"
expect_screen "Kernels into HL1" "its kernels at 80x24"
keys l l
expect_screen "Maps HL1" "its feature maps at 80x24"
keys q
wait_exit >/dev/null
stop_tui

bad() { d=$1; shift; expect_exit 2 "$d" "$@"; expect_one_line_error "$d"; }
bad "a kernel larger than the image" -- "$NEUROTOP" train --headless --model lenet --kernel 40 --runs "$TMPD/bad"
expect_contains "$ERR" "does not fit" "names the misfit"
bad "a kernel that leaves nothing to pool" -- "$NEUROTOP" train --headless --model lenet --kernel 10 --runs "$TMPD/bad"
bad "no families" -- "$NEUROTOP" train --headless --model lenet --conv1 0 --runs "$TMPD/bad"
bad "a dense layer of a billion" -- "$NEUROTOP" train --headless --model lenet --dense 1000000000 --runs "$TMPD/bad"
bad "too many parameters" -- "$NEUROTOP" train --headless --model lenet --conv2 1024 --dense 100000 --runs "$TMPD/bad"
bad "--hidden for a lenet" -- "$NEUROTOP" train --headless --model lenet --hidden 20,30 --runs "$TMPD/bad"
finish
