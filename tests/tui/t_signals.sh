# A dropped connection (SIGHUP), SIGINT and bad start-up input: the run
# directory stays complete and the terminal is restored.
SUITE=tui-signals
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
# Results of shipped runs go to a per-user cache: keep it in the test folder.
export XDG_CACHE_HOME="$TMPD/cache"

# SIGHUP: kill the tmux session the way a dropped SSH connection would.
start_tui 100 30 --epoch-size 2000 --probe 50 --runs "$TMPD/runs1"
expect_screen "epoch 2" "training runs"
tm kill-session -t t
i=0
while pgrep -f "runs $TMPD/runs1" >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
pgrep -f "runs $TMPD/runs1" >/dev/null 2>&1 && fail "neurotop still running after SIGHUP" || pass
run=$(ls -d "$TMPD"/runs1/*-mlp)
case "$(tail -n 1 "$run/metrics.jsonl")" in *'}') pass ;; *) fail "metrics.jsonl cut short after SIGHUP" ;; esac
ls "$run"/snapshots/*.tmp* >/dev/null 2>&1 && fail "temporary snapshot files left after SIGHUP" || pass
n=$(wc -l < "$run/metrics.jsonl")
[ -f "$run/snapshots/epoch-$(printf %06d $((n - 1))).nts" ] && pass || fail "the last epoch's snapshot is missing"

# SIGINT (Ctrl-C from outside the TUI): exit 130, terminal restored.
start_tui 80 24 --epoch-size 2000 --probe 50 --runs "$TMPD/runs2"
expect_screen "RUNNING" "running"
pkill -INT -f "^$NEUROTOP .*runs2"
code=$(wait_exit)
[ "$code" = "EXITED:130" ] && pass || fail "SIGINT: expected exit 130, got '$code'"
[ "$(tm display -p -t t '#{alternate_on}')" = 0 ] && pass || fail "terminal restored after SIGINT"
tm kill-session -t t

# :save writes a snapshot; NO_COLOR still gives a usable picture.
NO_COLOR=1 start_tui 80 24 --paused --epoch-size 300 --probe 20 --runs "$TMPD/runs3"
expect_screen "PAUSED" "NO_COLOR start"
keys n
expect_screen "epoch 1" "step under NO_COLOR"
keys : s a v e Space m i n e . n t s Enter
expect_screen "saved epoch 1" ":save reports the file"
run=$(ls -d "$TMPD"/runs3/*-mlp)
[ -f "$run/snapshots/mine.nts" ] && pass || fail ":save did not write snapshots/mine.nts"
keys : t h e m e Space n o p e Enter
expect_screen "nope" "unknown theme gives an error naming it"
keys q
wait_exit >/dev/null
tm kill-session -t t

# Bad input before the screen opens: one sentence, exit 2.
expect_exit 2 "unknown theme at start" -- sh -c "script -qec '$NEUROTOP --theme nope --runs $TMPD/runs4' /dev/null"
expect_exit 2 "no terminal" -- "$NEUROTOP" --runs "$TMPD/runs5"
expect_one_line_error "no terminal"

finish
