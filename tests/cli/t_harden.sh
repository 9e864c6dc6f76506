# Regression checks of the hardening work that show on the command line:
# the build keeps ./neurotop the release binary, `train --epochs 0` trains
# until stopped, replay without a terminal releases what it opened, and
# `neurotop check` reads a run and says what is damaged.
SUITE=cli-harden
. tests/cli/lib.sh

# ---- make MODE=asan must not replace ./neurotop -----------------------------------
if command -v make >/dev/null 2>&1 && [ -f Makefile ]; then
    plan=$(make -n MODE=asan all 2>&1)
    case "$plan" in
    *"neurotop.tmp"*) fail "make MODE=asan would copy its binary over ./neurotop" ;;
    *) pass ;;
    esac
    plan=$(make -n MODE=asan neurotop 2>&1)
    expect_contains "$plan" "MODE=release" "make MODE=asan neurotop builds the release binary"
else
    skip "make or the Makefile is not here"
fi

# ---- train --headless --epochs 0: no limit, as the help says ------------------------
RUNS0="$TMPD/runs0"
"$NEUROTOP" train --headless --epochs 0 --hidden 4 --epoch-size 50 --probe 20 --qreps 0 --flexreps 0 \
    --fc-windows 2 --runs "$RUNS0" >"$TMPD/e0.out" 2>"$TMPD/e0.err" </dev/null &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q '^epoch   12 ' "$TMPD/e0.out" 2>/dev/null && kill -0 $pid 2>/dev/null; do
    sleep 0.1; i=$((i + 1))
done
kill -INT $pid 2>/dev/null
wait $pid
code=$?
if [ "$code" -eq 130 ] && grep -q '^epoch   12 ' "$TMPD/e0.out"; then pass; else
    fail "train --epochs 0: exit $code, stdout $(tail -n 2 "$TMPD/e0.out"), stderr $(cat "$TMPD/e0.err")"; fi
RUN0=$(ls -d "$RUNS0"/*/ 2>/dev/null | head -n 1)
expect_exit 0 "check the stopped run" -- "$NEUROTOP" check "$RUN0"
expect_contains "$OUT" "is sound" "check says the stopped run is sound"

# ---- replay without a terminal: exit 2, one line (ASan finds a leaked lesson) ---------
expect_exit 2 "replay --lesson without a terminal" -- "$NEUROTOP" replay sample-runs/mlp-mnist \
    --lesson sample-runs/mlp-mnist/phases.lesson
expect_one_line_error "replay --lesson without a terminal"
expect_contains "$ERR" "neurotop check" "replay without a terminal points to check"

# ---- neurotop check ------------------------------------------------------------------
expect_exit 0 "check the sample run" -- "$NEUROTOP" check sample-runs/mlp-mnist
expect_contains "$OUT" "is sound: 41 metrics lines, 9 snapshots loaded, last epoch 40" "check summary"
C="$TMPD/damaged"
cp -r sample-runs/mlp-mnist "$C"
printf 'XXXXXXXX' | dd of="$C/snapshots/epoch-000010.nts" bs=1 seek=2000 conv=notrunc 2>/dev/null
printf '{"epoch":41,"exam' >> "$C/metrics.jsonl"
: > "$C/snapshots/epoch-000015.nts.tmp.999999"
expect_exit 2 "check a damaged run" -- "$NEUROTOP" check "$C"
expect_contains "$OUT" "epoch 10 cannot be replayed" "check names the damaged snapshot"
expect_contains "$OUT" "line 42" "check names the cut metrics line"
expect_contains "$OUT" "is damaged: 2 problems" "check counts the problems"
expect_contains "$OUT" "removed 1 stale temporary file" "check removes a dead writer's temporary file"
[ ! -e "$C/snapshots/epoch-000015.nts.tmp.999999" ] && pass || fail "the stale temporary file is still there"
lines=$(printf '%s\n' "$OUT" | grep -c .)
[ "$lines" -eq 3 ] && pass || fail "check printed $lines lines for 2 problems, expected 3: $OUT"
# Escape sequences in a damaged line never reach the terminal raw.
E="$TMPD/escapes"
cp -r sample-runs/mlp-mnist "$E"
printf '{"epoch":41,"\033]0;pwned\007\033[2J":1}\n' >> "$E/metrics.jsonl"
printf 'not a snapshot \033[31m\n' > "$E/snapshots/epoch-000045.nts"
expect_exit 2 "check a run with escape sequences" -- "$NEUROTOP" check "$E"
if printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"; then
    fail "check printed a control character from the run: $(printf '%s' "$OUT" | od -c | head -5)"
else pass; fi
mkdir -p "$TMPD/empty"; cp sample-runs/mlp-mnist/run.json "$TMPD/empty/"
expect_exit 0 "check a run with run.json only" -- "$NEUROTOP" check "$TMPD/empty"
expect_contains "$OUT" "sound but empty" "check an empty run"
expect_exit 0 "check --help" -- "$NEUROTOP" check --help
expect_exit 2 "check without a folder" -- "$NEUROTOP" check
expect_one_line_error "check without a folder"

finish
