#!/bin/sh
# The fault campaign, as a test: kill -9 training at random moments, kill
# an analysis job, fill a small disk, and check after each that the run
# directory is sound and replays up to its last complete epoch
# (`neurotop check`). FAULT_KILLS (default 20) sets the number of kills and
# FAULT_SEED the random moments. Run from the repository root:
#   NEUROTOP=build/test/neurotop sh tests/fault/run.sh      (or make fault)
# The full disk is a 512 KB tmpfs when this shell may mount one (root in a
# sandbox that allows it), else a file-size limit (ulimit -f 16), which the
# program meets as EFBIG, the same path as ENOSPC; the output says which
# (FAULT_NO_TMPFS=1 asks for the limit).
SUITE=fault
. tests/cli/lib.sh
KILLS=${FAULT_KILLS:-20}
SEED=${FAULT_SEED:-13}
MNT=""
cleanup_fault() {
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    rm -rf "$TMPD"
}
trap cleanup_fault EXIT

# A small, fast run: an epoch takes a few milliseconds, a snapshot ~30 KB.
TRAIN="--hidden 8 --epoch-size 400 --probe 40 --qreps 1 --flexreps 1 --fc-windows 2"

# last_line_epoch FILE: the epoch of the last complete line of metrics.jsonl.
last_line_epoch() {
    tail -n 1 "$1" | sed -n 's/^{"epoch":\([0-9]*\),.*}$/\1/p'
}

# sound RUN WHAT: check exits 0, the file ends with a whole line, and the
# last epoch check reports is the last complete metrics line.
sound() {
    "$NEUROTOP" check "$1" >"$TMPD/check.out" 2>&1
    code=$?
    if [ "$code" -ne 0 ]; then
        fail "$2: check exit $code: $(head -c 400 "$TMPD/check.out")"
        return
    fi
    if [ -s "$1/metrics.jsonl" ]; then
        if [ "$(tail -c 1 "$1/metrics.jsonl" | od -An -c | tr -d ' ')" != '\n' ]; then
            fail "$2: metrics.jsonl ends in half a line"
            return
        fi
        want=$(last_line_epoch "$1/metrics.jsonl")
        grep -Eq "last epoch $want(\$|;)" "$TMPD/check.out" && pass ||
            fail "$2: check does not replay up to epoch $want: $(cat "$TMPD/check.out")"
    else
        grep -q "sound" "$TMPD/check.out" && pass || fail "$2: $(cat "$TMPD/check.out")"
    fi
}

# no_bare_folders ROOT WHAT: every run folder there has its run.json.
no_bare_folders() {
    for d in "$1"/*/; do
        [ -d "$d" ] || continue
        [ -f "$d/run.json" ] || { fail "$2: $d has no run.json"; return; }
    done
    pass
}

# Deterministic "random" moments from FAULT_SEED: 30..900 ms.
moment() {
    awk -v s="$SEED" -v i="$1" 'BEGIN { srand(s * 1000 + i); printf "%.3f", 0.03 + 0.87 * rand() }'
}

# ---- kill -9 during training -----------------------------------------------------
RUNS="$TMPD/runs"
i=1
while [ "$i" -le "$KILLS" ]; do
    t=$(moment "$i")
    "$NEUROTOP" train --headless --epochs 0 $TRAIN --seed "$i" --runs "$RUNS/$i" >/dev/null 2>&1 </dev/null &
    pid=$!
    sleep "$t"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    run=$(ls -d "$RUNS/$i"/*/ 2>/dev/null | head -n 1)
    no_bare_folders "$RUNS/$i" "kill $i at ${t}s"
    if [ -n "$run" ]; then
        sound "${run%/}" "kill $i at ${t}s"
    else
        pass # killed before the run folder was complete: nothing to replay, nothing half made
    fi
    i=$((i + 1))
done
echo "fault: $KILLS kills during training at moments from seed $SEED"

# ---- kill -9 during an analysis job --------------------------------------------
run=$(ls -d "$RUNS"/*/*/ | tail -n 1)
run=${run%/}
"$NEUROTOP" analyze consensus --run "$run" --reps 100000 >/dev/null 2>&1 </dev/null &
pid=$!
sleep 0.5
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
sound "$run" "kill during an analysis job"
if command -v tmux >/dev/null 2>&1; then
    # The same in the TUI, whose jobs save their result under analyses/.
    SOCK="neurotop-fault-$$"
    cat > "$TMPD/tui.sh" <<SH
cd "$PWD"
exec "$NEUROTOP" replay "$run"
SH
    tmux -L "$SOCK" new-session -d -s f -x 100 -y 30 sh "$TMPD/tui.sh"
    sleep 1.5
    tmux -L "$SOCK" send-keys -t f End ':' 'consensus 200000' Enter
    sleep 1
    tpid=$(tmux -L "$SOCK" list-panes -t f -F '#{pane_pid}' 2>/dev/null)
    [ -n "$tpid" ] && kill -9 "$tpid" 2>/dev/null
    tmux -L "$SOCK" kill-server >/dev/null 2>&1
    sound "$run" "kill during a TUI analysis job"
else
    skip "tmux is not installed: no kill during a TUI job"
fi

# ---- a full disk -----------------------------------------------------------------
FULL="$TMPD/full"
mkdir -p "$FULL"
if [ -z "${FAULT_NO_TMPFS:-}" ] && [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=512k tmpfs "$FULL" 2>/dev/null; then
    MNT=$FULL
    echo "fault: the full disk is a 512 KB tmpfs"
    "$NEUROTOP" train --headless --epochs 40 $TRAIN --runs "$FULL/runs" >"$TMPD/full.out" 2>"$TMPD/full.err" </dev/null
    code=$?
else
    echo "fault: no tmpfs here (not root, or mounting is not allowed): the full disk is a file-size limit, ulimit -f 16 blocks (8 or 16 KB: no snapshot fits)"
    code=$( (ulimit -f 16; "$NEUROTOP" train --headless --epochs 40 $TRAIN --runs "$FULL/runs" \
        >"$TMPD/full.out" 2>"$TMPD/full.err" </dev/null; echo $?) )
fi
[ "$code" -eq 0 ] && pass || fail "training on a full disk exit $code: $(head -c 300 "$TMPD/full.err")"
grep -q '^epoch   40 ' "$TMPD/full.out" && pass || fail "training stopped on a full disk: $(tail -n 1 "$TMPD/full.out")"
grep -q 'disk full' "$TMPD/full.err" && pass || fail "no clear message about the full disk: $(cat "$TMPD/full.err")"
run=$(ls -d "$FULL"/runs/*/ 2>/dev/null | head -n 1)
if [ -n "$run" ]; then sound "${run%/}" "run on a full disk"; else fail "no run folder on the small disk"; fi
no_bare_folders "$FULL/runs" "full disk"

# A disk already full when a run starts: a clear error, and no run folder
# without run.json.
if [ -n "$MNT" ]; then
    rm -rf "$FULL/runs"
    mkdir -p "$FULL/runs"
    dd if=/dev/zero of="$FULL/filler" bs=1k count=2048 2>/dev/null
    "$NEUROTOP" train --headless --epochs 2 $TRAIN --runs "$FULL/runs" >/dev/null 2>"$TMPD/start.err" </dev/null
    code=$?
    [ "$code" -eq 2 ] && pass || fail "a run on a full disk: exit $code, expected 2: $(cat "$TMPD/start.err")"
    no_bare_folders "$FULL/runs" "run started on a full disk"
fi
finish
