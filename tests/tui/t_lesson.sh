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

finish
