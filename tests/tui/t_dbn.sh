# The deep belief network in a real terminal (tmux) at 80x24: the status line
# names the RBM training, the Accuracy pane shows the reconstruction error
# and the free-energy gap, the other panes draw; stepping past the first
# RBM's epochs moves the status line to the second; a bad --layers is one
# line on stderr and exit 2.
SUITE=tui-dbn
. tests/cli/lib.sh
. tests/tui/lib.sh

export LANG=C.UTF-8
export XDG_CACHE_HOME="$TMPD/cache"
start_tui 80 24 --model dbn --paused --epochs-per-layer 1 --epoch-size 500 --probe 50 --runs "$TMPD/runs"
expect_screen "PAUSED" "starts paused"
expect_screen "RBM 1/2 784-200" "the status line names the first RBM"
expect_screen "recon " "the Accuracy pane shows the reconstruction error"
expect_screen "FE gap" "the Accuracy pane shows the free-energy gap"
expect_screen "Weights" "weights pane at 80x24"
expect_screen "Receptive" "receptive-field pane at 80x24"
expect_screen "Modularity" "modularity pane at 80x24"
case "$(screen)" in *"acc "*) fail "no accuracy for a DBN" ;; *) pass ;; esac

keys n
expect_screen "epoch 1" "n trains one epoch"
expect_screen "RBM 2/2 200-200" "after the first RBM's epoch the second trains"
keys n
expect_screen "epoch 2" "a second n"
expect_screen "RBM 2" "the Accuracy pane names the RBM that trained"
keys l
expect_screen "HL2" "l shows the receptive fields of the top layer (weight products)"
keys : d r e a m Space 2 0 Enter
expect_screen "Dreams · epoch 2" ":dream shows the generated digits" 60
expect_screen "dream 1" ":dream draws them as images"
keys Escape
keys q
code=$(wait_exit)
[ "$code" = "EXITED:0" ] && pass || fail "q exits with status 0 (got '$code')"
stop_tui

expect_exit 2 "a zero layer" -- "$NEUROTOP" train --headless --model dbn --layers 784,0 --runs "$TMPD/runs"
expect_one_line_error "--layers 784,0"
expect_exit 2 "CD-0" -- "$NEUROTOP" train --headless --model dbn --cd 0 --runs "$TMPD/runs"
expect_one_line_error "--cd 0"
expect_exit 2 "wrong input size" -- "$NEUROTOP" train --headless --model dbn --layers 100,20 --runs "$TMPD/runs"
expect_one_line_error "--layers 100,20"
expect_exit 2 "absurd sizes" -- "$NEUROTOP" train --headless --model dbn --layers 784,100000,100000,100000 --runs "$TMPD/runs"
expect_one_line_error "absurd --layers"

# Headless: two epochs, the metrics line carries the DBN's numbers.
expect_exit 0 "headless dbn" -- "$NEUROTOP" train --headless --model dbn --layers 784,50,20 --epochs 2 --epoch-size 300 --probe 20 --runs "$TMPD/hl"
expect_contains "$OUT" "test_recon" "headless lines show the reconstruction error"
line=$(tail -n 1 "$TMPD"/hl/*-dbn/metrics.jsonl)
expect_contains "$line" '"fe_gap":' "metrics.jsonl has the free-energy gap"
expect_contains "$line" '"rbm":' "metrics.jsonl names the RBM"
run=$(ls -d "$TMPD"/hl/*-dbn)
expect_exit 0 "analyze dream" -- "$NEUROTOP" analyze dream --run "$run" --steps 20 --seed 5
first=$OUT
expect_exit 0 "analyze dream again" -- "$NEUROTOP" analyze dream --run "$run" --steps 20 --seed 5
[ "$OUT" = "$first" ] && pass || fail "the same seed dreams the same digits"
expect_contains "$OUT" '"samples":[[' "dream JSON holds the samples"
expect_exit 0 "analyze rfclusters" -- "$NEUROTOP" analyze rfclusters --run "$run" --layer 1 --clusters 5
expect_contains "$OUT" '"clusters":5' "rfclusters cuts into 5 groups"
expect_contains "$OUT" '"units":50' "rfclusters clusters the 50 fields of HL1"
expect_exit 2 "dream on an MLP" -- "$NEUROTOP" analyze dream --run sample-runs/mlp-mnist
expect_one_line_error "dream on an MLP"
# --resume across the switch to the second RBM trains what an uninterrupted
# run trains (the momentum is saved, the hidden samples reseeded per epoch).
small="--model dbn --layers 784,30,10 --epochs-per-layer 2 --epoch-size 300 --probe 10 --seed 4"
expect_exit 0 "uninterrupted" -- "$NEUROTOP" train --headless $small --epochs 4 --runs "$TMPD/whole"
expect_exit 0 "first part" -- "$NEUROTOP" train --headless $small --epochs 3 --runs "$TMPD/part"
part=$(ls -d "$TMPD"/part/*-dbn)
expect_exit 0 "resumed" -- "$NEUROTOP" train --headless --resume "$part" --epochs 4
a=$(grep '"epoch":4,' "$TMPD"/whole/*-dbn/metrics.jsonl | tr ',' '\n' | grep -E '"(test_recon|fe_gap|rbm)"')
b=$(grep '"epoch":4,' "$part"/metrics.jsonl | tr ',' '\n' | grep -E '"(test_recon|fe_gap|rbm)"')
[ -n "$a" ] && [ "$a" = "$b" ] && pass || fail "a resumed DBN equals the uninterrupted one at epoch 4: '$a' vs '$b'"
finish
