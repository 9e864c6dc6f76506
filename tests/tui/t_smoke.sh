# TUI smoke test in a real terminal (tmux): start paused, step with n, use the
# command line, help, resize, quit with q and check the terminal is restored.
SUITE=tui-smoke
. tests/cli/lib.sh
. tests/tui/lib.sh

export LANG=C.UTF-8
# Results of shipped runs go to a per-user cache: keep it in the test folder.
export XDG_CACHE_HOME="$TMPD/cache"
start_tui 80 24 --paused --epoch-size 500 --probe 50 --runs "$TMPD/runs"
expect_screen "PAUSED" "starts paused"
expect_screen "epoch 0" "shows epoch 0"
expect_screen "Accuracy" "accuracy pane at 80x24"
expect_screen "Weights" "weights pane at 80x24"
expect_screen "Receptive" "receptive-field pane at 80x24"
[ "$(tm display -p -t t '#{alternate_on}')" = 1 ] && pass || fail "the TUI uses the alternate screen"

keys n
expect_screen "epoch 1" "n steps one epoch"
keys n
expect_screen "epoch 2" "a second n steps again"
expect_screen "PAUSED" "paused after the steps"

keys : s t e p Space 2 Enter
expect_screen "epoch 4" ":step 2 runs two epochs"

keys Left
expect_screen "PAST: epoch 3" "← browses back to epoch 3 while live is at 4"
keys Home
expect_screen "PAST: epoch 0" "Home jumps to epoch 0"
keys Right
expect_screen "PAST: epoch 1" "→ moves forward in the past"
keys End
expect_screen "live" "End returns to live"
keys : f r o b Enter
expect_screen "unknown command ':frob'" "unknown command gives a one-line error"
keys : l r Space x y z Enter
expect_screen "learning rate must be" "bad :lr argument gives a one-line error"
keys : l r Space 0 . 1 Enter
expect_screen "lr 0.1" ":lr changes the learning rate"

keys '?'
expect_screen "Keys (live run)" "? opens the help overlay"
keys Escape
keys ']'
expect_screen "#2" "] pages the receptive fields"
keys l
expect_screen "HL2" "l switches the receptive-field layer"

tm resize-window -t t -x 120 -y 40 2>/dev/null || tm resize-pane -t t -x 120 -y 40
expect_screen "Receptive" "redraws after a resize to 120x40"
tm resize-window -t t -x 20 -y 5 2>/dev/null || tm resize-pane -t t -x 20 -y 5
expect_screen "too small" "a tiny terminal gets a one-line message"
tm resize-window -t t -x 80 -y 24 2>/dev/null || tm resize-pane -t t -x 80 -y 24
expect_screen "Accuracy" "back to 80x24"

keys q
code=$(wait_exit)
[ "$code" = "EXITED:0" ] && pass || fail "q exits with status 0 (got '$code')"
[ "$(tm display -p -t t '#{alternate_on}')" = 0 ] && pass || fail "the terminal is restored after q"
run=$(ls -d "$TMPD"/runs/*-mlp)
[ "$(wc -l < "$run/metrics.jsonl")" -ge 5 ] && pass || fail "metrics.jsonl has the stepped epochs"

finish
