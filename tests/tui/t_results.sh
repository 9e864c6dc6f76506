# Analysis results: the partition :roles and :modules use (and say they
# use), one saved file per setting with its arguments inside and reuse of a
# saved result, and shipped runs that are never written into.
SUITE=tui-results
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
export XDG_CACHE_HOME="$TMPD/cache"

"$NEUROTOP" train --headless --epochs 35 --epoch-size 100 --probe 60 --qreps 0 --flexreps 0 \
    --runs "$TMPD/runs" >/dev/null 2>&1
run=$(ls -d "$TMPD"/runs/*-mlp)

# run_cmd TEXT DONE: types :TEXT and waits for DONE on the screen.
# run_cmd CMD TEXT: runs :CMD and waits for TEXT. The last result's TEXT
# must be gone first: under load a capture taken just after Escape can
# still show the closed overlay, and the wait would end before the job.
run_cmd() {
    wait_gone "$2" || fail "before :$1, '$2' is still on the screen"
    keys ":$1" Enter
    expect_screen "$2" ":$1 finishes" 60
}

start_tui 200 60 replay "$run"
expect_screen "epoch 0 of 35" "the replay opens"
# A partition of epoch 20 is not the one of epoch 35.
keys ":goto 20" Enter
expect_screen "epoch 20 of 35" ":goto 20"
run_cmd "louvain" "Q best"
keys Escape End
expect_screen "epoch 35 of 35" "End shows the last epoch"
run_cmd "modules" "Modules · epoch 35"
expect_screen "partition: best of 10 Louvain runs, seed 0 · epoch 35 · whole graph" \
    ":modules at epoch 35 computes its own partition and says so"
expect_screen "(the latest partition, :louvain, is of epoch 20, not used)" ":modules says why the latest one was not used"
expect_screen "units of each module" ":modules lists the units of each module"
# The hidden consensus is not used for the whole graph's roles, and its
# own roles have no input row.
keys Escape
run_cmd "consensus 6 hidden" "consensus Q"
keys Escape
run_cmd "roles" "Node roles · epoch 35 · whole graph"
expect_screen "is of the hidden graph, not used" ":roles says the hidden consensus was not used"
case "$(screen)" in *nan*) fail ":roles prints nan after :consensus hidden"; screen | head -20 ;; *) pass ;; esac
keys Escape
run_cmd "roles hidden" "Node roles · epoch 35 · hidden graph"
expect_screen "partition: :consensus 6 hidden · epoch 35 · hidden graph" ":roles hidden uses the hidden consensus"
expect_screen "leaves out the input layer: no pixel maps" ":roles hidden says why there are no pixel maps"
case "$(screen)" in *nan*) fail ":roles hidden prints nan"; screen | head -20 ;; *) pass ;; esac
# Every setting keeps its own file, with its arguments inside.
keys Escape
run_cmd "consensus 6" "consensus Q"
keys Escape
run_cmd "degrees 0.5" "Degrees"
keys Escape
run_cmd "degrees" "Degrees"
keys Escape
n=$(ls "$run"/analyses/epoch-000035-consensus-*.json | wc -l)
[ "$n" -eq 2 ] && pass || fail ":consensus 6 and :consensus 6 hidden keep two files (found $n)"
n=$(ls "$run"/analyses/epoch-000035-degrees-*.json | wc -l)
[ "$n" -eq 2 ] && pass || fail ":degrees and :degrees 0.5 keep two files (found $n)"
grep -l '"args":{"reps":6,"hidden":true,"gamma":1,"signed":"asym","seed":0}}$' "$run"/analyses/epoch-000035-consensus-*.json \
    >/dev/null && pass || fail "the hidden consensus saves its arguments"
grep -l '"args":{"threshold":0.5}}$' "$run"/analyses/epoch-000035-degrees-*.json >/dev/null && pass ||
    fail ":degrees 0.5 saves its threshold"
# The same command on the same epoch shows the saved result.
before=$(ls -l --time-style=+%s.%N "$run"/analyses/epoch-000035-consensus-*.json | md5sum)
run_cmd "consensus 6 hidden" "saved result of epoch 35"
expect_screen "Consensus · hidden subgraph" "the saved result is shown again"
after=$(ls -l --time-style=+%s.%N "$run"/analyses/epoch-000035-consensus-*.json | md5sum)
[ "$before" = "$after" ] && pass || fail "a saved result is reused, not written again"
keys Escape q
wait_exit >/dev/null
finish || first_failed=1

# A shipped run: the lesson of `make run-sample`, walked to its end, writes
# nothing into the repository; its results go to the per-user cache.
SUITE=tui-results-shipped
PASSED=0
FAILED=0
tm kill-session -t t 2>/dev/null
sample=sample-runs/mlp-mnist
[ -f "$sample/.read-only" ] && pass || fail "the shipped run carries its read-only mark"
in_git=
if command -v git >/dev/null 2>&1 && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    in_git=1
    git_before=$(git status --porcelain --untracked-files=all -- sample-runs)
fi
start_tui 120 40 replay "$sample" --lesson "$sample/phases.lesson"
expect_screen "Enter starts" "the lesson opens"
for step in 1 2 3 4 5 6; do
    keys Enter
    expect_screen "step $step of 6" "lesson step $step"
    [ $step -eq 5 ] && expect_screen ":louvain done" "step 5's :louvain 20 finishes" 60
done
expect_screen ":roles done" "the last step's :roles finishes" 60
keys Escape
keys ":export" Enter
expect_screen "wrote" ":export of a shipped run"
keys q
wait_exit >/dev/null
[ ! -e "$sample/analyses" ] && [ ! -e "$sample/exports" ] && pass ||
    fail "the shipped run got analyses/ or exports/"
if [ -n "$in_git" ]; then
    git_after=$(git status --porcelain --untracked-files=all -- sample-runs)
    [ "$git_before" = "$git_after" ] && pass || fail "the lesson changed git status: $git_after"
fi
ls "$XDG_CACHE_HOME"/neurotop/analyses/mlp-mnist-????????/epoch-000040-louvain-*.json >/dev/null 2>&1 && pass ||
    fail "the lesson's :louvain 20 is saved in the per-user cache"
ls "$XDG_CACHE_HOME"/neurotop/exports/mlp-mnist-????????/ >/dev/null 2>&1 && pass ||
    fail ":export of a shipped run goes to the per-user cache"

finish && [ -z "$first_failed" ]
