# A run that records weight trajectories, at 80x24 and 200x60: the Weight norms and
# Trajectories panes appear (Tab reaches them), :branches and
# :trajectories read the records, long result lines wrap beside the plot
# instead of being cut, and a replay of the run shows the same panes.
SUITE=tui-trajectory
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
export XDG_CACHE_HOME="$TMPD/cache"

for size in "80 24" "200 60"; do
    tm kill-session -t t 2>/dev/null
    rm -rf "$TMPD/runs"
    # shellcheck disable=SC2086
    start_tui $size --epochs 3 --epoch-size 2000 --hidden 40 --batch 50 --lr 0.05 --probe 100 --qreps 0 --flexreps 0 \
        --record-every 4 --runs "$TMPD/runs"
    expect_screen "epoch limit 3 reached" "the recording run trains to its limit" 60
    tab_to "Weight norms" "the Weight norms pane at $size"
    keys Tab
    expect_screen "Trajectories · " "the Trajectories pane follows"
    # 2,000 examples in mini-batches of 50: 40 steps an epoch, a record every 4
    # and the initial weights: 31 records.
    expect_screen "of 10 units × 31 records" "the pane counts the output layer's units and records"
    keys ":branches" Enter
    expect_screen "Branches of HL1's weight trajectories" ":branches reads the records"
    expect_screen "31 records: 40 at the start" ":branches counts HL1's records and branches"
    if [ "$size" = "80 24" ]; then
        # The title is longer than the text column beside the plot: wrapped, not cut.
        expect_screen "│  epoch 3  " "a long result line goes on on the next row"
        case "$(screen)" in *"up to epoch 3"*) fail "the wrapped line did not break"; screen | head -8 ;; *) pass ;; esac
    else
        expect_screen "up to epoch 3" "a wide terminal keeps the line whole"
    fi
    keys Escape
    keys ":trajectories 1" Enter
    expect_screen "principal components" ":trajectories projects HL1's records"
    keys Escape
    keys q
    expect_exit_file=$(wait_exit)
    case "$expect_exit_file" in EXITED:0) pass ;; *) fail "q did not exit 0: $expect_exit_file" ;; esac
    stop_tui
done

run=$(ls -d "$TMPD"/runs/*/ | head -n 1)
start_tui 80 24 replay "$run"
expect_screen "epoch 0 of 3" "the recorded run replays"
tab_to "Trajectories · " "the Trajectories pane in the replay"
keys q
stop_tui
finish
