# The bad-input table: every file neurotop reads and the command line,
# broken in the ways users and attackers break them. Each case must end with
# exit status 2, nothing on stdout, one line on stderr that names the file
# (and the line, where the format has lines), and no control character from
# the input (a terminal escape sequence) in that line. `make asan` runs it
# under AddressSanitizer. The files are made by tests/bad_input/mkfiles.sh.
SUITE=bad-input
. tests/cli/lib.sh

D="$TMPD/bad"
mkdir -p "$D"
BAD_DIR=$D
. tests/bad_input/mkfiles.sh
CASES=0

# bad DESCRIPTION NEEDLE -- command...: NEEDLE must appear in the message
# (the file's name, and ":N" or "line N" for a line); "" when there is no file.
bad() {
    desc=$1; needle=$2; shift 3
    CASES=$((CASES + 1))
    "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
    got=$?
    ERR=$(cat "$TMPD/err"); OUT=$(cat "$TMPD/out")
    lines=$(grep -c . "$TMPD/err")
    if [ "$got" -ne 2 ]; then
        fail "$desc: exit $got, expected 2; stderr: $(head -c 300 "$TMPD/err")"
    elif [ "$lines" -ne 1 ] || [ -n "$OUT" ]; then
        fail "$desc: expected one line on stderr and no stdout, got: $(head -c 300 "$TMPD/err")"
    elif [ -n "$needle" ] && ! grep -qF -- "$needle" "$TMPD/err"; then
        fail "$desc: the message does not name '$needle': $ERR"
    elif LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$TMPD/err"; then
        fail "$desc: a control character reached the terminal: $(od -c "$TMPD/err" | head -3)"
    else
        pass
    fi
}

N=$NEUROTOP
A="$N analyze"

# ---- CSV matrices ------------------------------------------------------------
bad "csv empty" "$D/empty.csv" -- $A louvain --matrix "$D/empty.csv"
bad "csv ragged rows" "$D/ragged.csv line 2" -- $A louvain --matrix "$D/ragged.csv"
bad "csv NaN" "$D/nan.csv line 2" -- $A louvain --matrix "$D/nan.csv"
bad "csv Inf" "$D/inf.csv line 2" -- $A degrees --matrix "$D/inf.csv"
bad "csv text token" "$D/token.csv line 3" -- $A louvain --matrix "$D/token.csv"
bad "csv not square" "$D/rect.csv" -- $A louvain --matrix "$D/rect.csv"
bad "csv BOM then a bad cell" "$D/bom_bad.csv line 2" -- $A louvain --matrix "$D/bom_bad.csv"
bad "csv escape sequence" "$D/escape.csv line 2" -- $A louvain --matrix "$D/escape.csv"
bad "csv UTF-8 garbage" "$D/garbage.csv line 2" -- $A louvain --matrix "$D/garbage.csv"
bad "csv binary NUL bytes" "$D/binary.csv" -- $A louvain --matrix "$D/binary.csv"
bad "csv is a folder" "$D/folder.csv" -- $A louvain --matrix "$D/folder.csv"
bad "csv is a FIFO" "$D/fifo.csv" -- $A louvain --matrix "$D/fifo.csv"
bad "csv symlink loop" "$D/loop1.csv" -- $A louvain --matrix "$D/loop1.csv"
bad "csv missing" "$D/missing.csv" -- $A louvain --matrix "$D/missing.csv"
if [ "$(id -u)" -ne 0 ]; then
    cp "$D/ok.csv" "$D/locked.csv"; chmod 000 "$D/locked.csv"
    bad "csv unreadable permissions" "$D/locked.csv" -- $A louvain --matrix "$D/locked.csv"
else
    # root reads any file: /proc/self/mem is a regular file no read succeeds on.
    bad "unreadable file" "/proc/self/mem" -- $A louvain --matrix /proc/self/mem
fi
bad "emd shapes differ" "$D/onerow.csv" -- $A emd --a "$D/onerow.csv" --b "$D/rect.csv"
bad "assign cost not square" "$D/rect.csv" -- $A assign --cost "$D/rect.csv"

# ---- .npy matrices --------------------------------------------------------------
bad "npy bad magic" "$D/badmagic.npy" -- $A louvain --matrix "$D/badmagic.npy"
bad "npy truncated header" "$D/truncated.npy" -- $A louvain --matrix "$D/truncated.npy"
bad "npy header without descr" "$D/cutheader.npy" -- $A louvain --matrix "$D/cutheader.npy"
bad "npy header cut after descr" "$D/cutdescr.npy" -- $A louvain --matrix "$D/cutdescr.npy"
bad "npy complex dtype" "$D/complex.npy" -- $A louvain --matrix "$D/complex.npy"
bad "npy 3-D" "$D/threed.npy" -- $A louvain --matrix "$D/threed.npy"
bad "npy claims terabytes" "$D/terabytes.npy" -- $A louvain --matrix "$D/terabytes.npy"
bad "npy NaN" "$D/nan.npy" -- $A moments --matrix "$D/nan.npy"
bad "npy version 9" "$D/version9.npy" -- $A louvain --matrix "$D/version9.npy"

bad "npz missing array" "$D/ok.npz has no array 'W9' (it has: W0, labels)" -- $A louvain --matrix "$D/ok.npz:W9"
bad "npz truncated" "$D/truncated.npz" -- $A louvain --matrix "$D/truncated.npz:W0"
bad "npz flipped byte" "$D/flipped.npz" -- $A moments --matrix "$D/flipped.npz:W0"
bad "npz not a zip" "$D/notzip.npz" -- $A louvain --matrix "$D/notzip.npz:W0"
bad "npz member not 2-D square" "$D/ok.npz:W0" -- $A louvain --matrix "$D/ok.npz:W0"

# ---- partitions -------------------------------------------------------------------
bad "partition empty" "$D/empty_part.txt" -- $A quality --matrix "$D/ok.csv" --partition "$D/empty_part.txt"
bad "partition fraction" "$D/frac_part.txt line 3" -- $A quality --matrix "$D/ok.csv" --partition "$D/frac_part.txt"
bad "partition wrong length" "$D/short_part.txt" -- $A quality --matrix "$D/ok.csv" --partition "$D/short_part.txt"
bad "partition NaN" "$D/nan_part.txt line 2" -- $A quality --matrix "$D/ok.csv" --partition "$D/nan_part.txt"
bad "partition escape sequence" "$D/escape_part.txt line 3" -- $A quality --matrix "$D/ok.csv" --partition "$D/escape_part.txt"
bad "partition is a FIFO" "$D/fifo.csv" -- $A quality --matrix "$D/ok.csv" --partition "$D/fifo.csv"
bad "multilayer partition fraction" "$D/frac_multi.csv" -- $A flexibility --partitions "$D/frac_multi.csv"
bad "multilayer partition ragged" "$D/ragged_multi.csv line 2" -- $A flexibility --partitions "$D/ragged_multi.csv"

# ---- IDX ---------------------------------------------------------------------------
bad "idx wrong magic" "$D/magic.idx" -- $A mi --images "$D/magic.idx" --labels "$D/labels.idx"
bad "idx truncated" "$D/truncated.idx" -- $A mi --images "$D/truncated.idx" --labels "$D/labels.idx"
bad "idx claims terabytes" "$D/terabytes.idx" -- $A mi --images "$D/terabytes.idx" --labels "$D/labels.idx"
bad "idx gzip bomb" "$D/bomb.idx.gz" -- $A mi --images "$D/bomb.idx.gz" --labels "$D/labels.idx"
bad "idx corrupt gzip" "$D/corrupt.idx.gz" -- $A mi --images "$D/corrupt.idx.gz" --labels "$D/labels.idx"
bad "idx label count differs" "$D/labels2.idx" -- $A mi --images "$D/images.idx" --labels "$D/labels2.idx"
bad "idx empty" "$D/empty.idx" -- $A mi --images "$D/empty.idx" --labels "$D/labels.idx"
bad "idx two dimensions" "$D/twodims.idx" -- $A mi --images "$D/twodims.idx" --labels "$D/labels.idx"
bad "idx is a folder" "$D/idxdir" -- $A mi --images "$D/idxdir" --labels "$D/labels.idx"
bad "train on a folder of broken IDX" "train-images-idx3-ubyte" -- $N train --headless --data "$D/idxdir" --runs "$TMPD/runs"
bad "train on a missing folder" "$D/nosuchdata" -- $N train --headless --data "$D/nosuchdata" --runs "$TMPD/runs"

# ---- run directories -----------------------------------------------------------------
R="$D/runs"; mkdir -p "$R"
mkdir -p "$R/norun"
mkdir -p "$R/badjson"; printf '{"model": "mlp",\n "sizes": [1,2,,3]}\n' > "$R/badjson/run.json"
mkdir -p "$R/array"; printf '[1,2]\n' > "$R/array/run.json"
mkdir -p "$R/escjson"; printf '{"model": "\033]0;x\007mlp"\n' > "$R/escjson/run.json"
mkdir -p "$R/fifo"; cp sample-runs/mlp-mnist/run.json "$R/fifo/"; mkfifo "$R/fifo/metrics.jsonl"
mkdir -p "$R/dirjson/run.json"
cp -r sample-runs/mlp-mnist "$R/snaps"
S="$R/snaps/snapshots"
printf 'XXXXXXXX' | dd of="$S/epoch-000010.nts" bs=1 seek=2000 conv=notrunc 2>/dev/null
head -c 3000 "$S/epoch-000020.nts" > "$S/cut" && mv "$S/cut" "$S/epoch-000020.nts"
printf 'not a snapshot\n' > "$S/epoch-000030.nts"
bad "replay without run.json" "$R/norun" -- $N replay "$R/norun"
bad "replay malformed run.json" "run.json line 2" -- $N replay "$R/badjson"
bad "replay run.json not an object" "run.json" -- $N replay "$R/array"
bad "replay run.json escape sequence" "run.json" -- $N replay "$R/escjson"
bad "replay metrics.jsonl is a FIFO" "metrics.jsonl" -- $N replay "$R/fifo"
bad "replay run.json is a folder" "run.json" -- $N replay "$R/dirjson"
bad "replay a file" "$D/ok.csv" -- $N replay "$D/ok.csv"
bad "snapshot bit flip" "epoch-000010.nts" -- $A louvain --run "$R/snaps" --epoch 10
bad "snapshot truncated" "epoch-000020.nts" -- $A louvain --run "$R/snaps" --epoch 20
bad "snapshot foreign file" "epoch-000030.nts" -- $A louvain --run "$R/snaps" --epoch 30
bad "epoch not in the run" "$R/snaps" -- $A louvain --run "$R/snaps" --epoch 99999
bad "check a missing folder" "$R/nosuch" -- $N check "$R/nosuch"

# ---- themes ---------------------------------------------------------------------------
bad "theme unknown colour" "colour.theme:3" -- $N replay sample-runs/mlp-mnist --theme "$D/colour.theme"
bad "theme unknown role" "role.theme:1" -- $N replay sample-runs/mlp-mnist --theme "$D/role.theme"
bad "theme escape sequence" "escape.theme:1" -- $N replay sample-runs/mlp-mnist --theme "$D/escape.theme"
bad "theme binary" "binary.theme" -- $N replay sample-runs/mlp-mnist --theme "$D/binary.theme"
bad "theme is a folder" "folder.theme" -- $N replay sample-runs/mlp-mnist --theme "$D/folder.theme"
bad "theme unknown name" "nosuchtheme" -- $N replay sample-runs/mlp-mnist --theme nosuchtheme

# ---- lessons ---------------------------------------------------------------------------
L="$N replay sample-runs/mlp-mnist --lesson"
bad "lesson bad epoch" "badepoch.lesson:4" -- $L "$D/badepoch.lesson"
bad "lesson unknown directive" "directive.lesson:2" -- $L "$D/directive.lesson"
bad "lesson epoch beyond the run" "beyond.lesson:4" -- $L "$D/beyond.lesson"
bad "lesson unknown pane" "zoom.lesson:2" -- $L "$D/zoom.lesson"
bad "lesson empty" "empty.lesson" -- $L "$D/empty.lesson"
bad "lesson invalid UTF-8" "utf8.lesson" -- $L "$D/utf8.lesson"
bad "lesson NUL byte" "nul.lesson" -- $L "$D/nul.lesson"
bad "lesson is a FIFO" "fifo.lesson" -- $L "$D/fifo.lesson"

# ---- sweep files and cohorts ---------------------------------------------------------------
S="$N sweep"
bad "sweep syntax" "$D/syntax.sweep:2" -- $S "$D/syntax.sweep" --list
bad "sweep bad value" "$D/badvalue.sweep:2" -- $S "$D/badvalue.sweep" --list
bad "sweep reserved key" "$D/reserved.sweep:2" -- $S "$D/reserved.sweep" --list
bad "sweep of 100 million tasks" "$D/huge.sweep" -- $S "$D/huge.sweep" --list
bad "sweep escape sequence" "$D/escape.sweep:2" -- $S "$D/escape.sweep" --list
bad "sweep UTF-8 garbage" "$D/garbage.sweep:2" -- $S "$D/garbage.sweep" --list
bad "sweep NUL byte" "$D/nul.sweep" -- $S "$D/nul.sweep" --list
bad "sweep empty" "$D/empty.sweep" -- $S "$D/empty.sweep" --list
bad "sweep is a folder" "$D/folder.sweep" -- $S "$D/folder.sweep" --list
bad "sweep is a FIFO" "$D/fifo.sweep" -- $S "$D/fifo.sweep" --list
bad "sweep task out of range" "--task 99" -- $S sweeps/small.sweep --task 99 --runs "$TMPD/sweeps"
bad "sweep absurd jobs" "--jobs" -- $S sweeps/small.sweep --jobs 100000 --runs "$TMPD/sweeps"
bad "cohort of a missing folder" "$D/nosuchruns" -- $N cohort "$D/nosuchruns" --headless
bad "cohort of a folder without runs" "$D/idxdir" -- $N cohort "$D/idxdir" --headless

# ---- the command line -------------------------------------------------------------------
bad "train --epochs negative" "" -- $N train --headless --epochs -1
bad "train --lr NaN" "" -- $N train --headless --lr nan
bad "train --hidden 0" "" -- $N train --headless --hidden 0
bad "train --seed escape" "" -- $N train --headless --seed "$(printf '1\033[2J')"
bad "train --instances with --epochs 0" "" -- $N train --headless --instances 2 --epochs 0
bad "analyze --reps text" "" -- $A louvain --matrix "$D/ok.csv" --reps abc
bad "analyze --gamma Inf" "" -- $A louvain --matrix "$D/ok.csv" --gamma inf
bad "analyze unknown option" "" -- $A louvain --matrix "$D/ok.csv" --frobnicate 1
bad "replay unknown option" "" -- $N replay sample-runs/mlp-mnist --frobnicate
bad "check two folders" "" -- $N check sample-runs/mlp-mnist sample-runs/mlp-mnist

[ "$CASES" -ge 60 ] && pass || fail "the table has $CASES cases, fewer than 60"
finish
