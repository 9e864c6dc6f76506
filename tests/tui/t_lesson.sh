# Lessons: each step's command runs on that step's epoch, long texts scroll
# with a "more" marker, and a lesson file is checked when it is loaded.
SUITE=tui-lesson
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
export XDG_CACHE_HOME="$TMPD/cache"

"$NEUROTOP" train --headless --epochs 35 --epoch-size 100 --probe 60 --qreps 0 --flexreps 0 \
    --runs "$TMPD/runs" >/dev/null 2>&1
run=$(ls -d "$TMPD"/runs/*-mlp)

cat > "$TMPD/three.lesson" <<'L'
epoch: 0
The untrained network.

epoch: 35
command: :louvain 4
The modules at the end.

epoch: 10
command: :confusion
Back to epoch 10: its confusion matrix.
L

for size in "80 24" "200 60"; do
    tm kill-session -t t 2>/dev/null
    # shellcheck disable=SC2086
    start_tui $size replay "$run" --lesson "$TMPD/three.lesson"
    expect_screen "Enter starts" "the lesson opens at $size"
    keys Enter
    expect_screen "step 1 of 3" "step 1 at $size"
    keys Enter
    expect_screen ":louvain · epoch 35" "step 2's :louvain runs on step 2's epoch (35) at $size" 30
    keys Enter
    expect_screen ":confusion · epoch 10" "step 3's :confusion runs on step 3's epoch (10) at $size" 30
    keys q
    wait_exit >/dev/null
done

# A text longer than the box scrolls, with a marker that says so.
long="The first sentence opens the step."
i=1
while [ $i -le 100 ]; do long="$long Sentence number $i of a long explanation goes on."; i=$((i + 1)); done
long="$long The last words of the step."
printf 'epoch: 3\n%s\n\nepoch: 5\nShort.\n' "$long" > "$TMPD/long.lesson"
for size in "80 24" "200 60"; do
    tm kill-session -t t 2>/dev/null
    # shellcheck disable=SC2086
    start_tui $size replay "$run" --lesson "$TMPD/long.lesson"
    expect_screen "Enter starts" "the long lesson opens at $size"
    keys Enter
    expect_screen "The first sentence opens the step." "the long text starts at $size"
    expect_screen "▼ more: PgDn" "a long text says there is more at $size"
    case "$(screen)" in *"words of the step."*) fail "the whole long text fits at $size?" ;; *) pass ;; esac
    n=0
    while [ $n -lt 20 ]; do keys PPage; n=$((n + 1)); done
    n=0
    while [ $n -lt 20 ]; do keys NPage; n=$((n + 1)); done
    expect_screen "words of the step." "PgDn scrolls to the end of the text at $size"
    expect_screen "▲ PgUp" "a scrolled text says it goes on above at $size"
    case "$(screen)" in *"▼ more"*) fail "the end of the text still says more at $size" ;; *) pass ;; esac
    keys Enter
    expect_screen "step 2 of 2" "Enter still goes to the next step at $size"
    case "$(screen)" in *"▲ PgUp"*|*"▼ more"*) fail "a short step shows a scroll marker at $size" ;; *) pass ;; esac
    keys q
    wait_exit >/dev/null
done

# A lesson is checked when it is loaded: each error names its line.
bad() { # bad FILE-TEXT WANTED DESCRIPTION
    printf "$1" > "$TMPD/bad.lesson"
    expect_exit 2 "$3" -- "$NEUROTOP" replay "$run" --lesson "$TMPD/bad.lesson"
    expect_one_line_error "$3"
    expect_contains "$ERR" "$2" "$3"
}
bad 'epoch: 0\nText.\n\nepoch: 3\ncommand: :lovain\nText.\n' "bad.lesson:5: unknown command ':lovain'" \
    "an unknown command, on its line"
bad 'epoch: 0\nzoom: modularity\ncommand: :louvain many\n' "bad.lesson:3: R (Louvain runs" \
    "a bad analysis argument, on its line"
bad 'epoch: 0\ncommand: :step 3\n' "bad.lesson:2: ':step' trains, and a replay does not" "a training command"
bad 'epoch: 0\nText.\n\nepoch: 2\nzoom: modulrity\n' "bad.lesson:5: there is no pane called 'modulrity'" \
    "an unknown pane, on its zoom line"
bad 'epoch: 0\nText.\n\n\nepoch: 36\n' "bad.lesson:5: epoch 36 is past the run's last epoch 35" \
    "an epoch past the end"
# The shipped sample run keeps weights every 5 epochs: an analysis of epoch 6 has none.
printf 'epoch: 6\nzoom: modularity\ncommand: :louvain\n' > "$TMPD/bad.lesson"
expect_exit 2 "sparse snapshots" -- "$NEUROTOP" replay sample-runs/mlp-mnist --lesson "$TMPD/bad.lesson"
expect_contains "$ERR" "bad.lesson:1: the run kept no weights (snapshot file) for epoch 6" \
    "an analysis of an epoch without a snapshot in the sample run"

finish
