# make install DESTDIR=... PREFIX=/usr builds a tree whose neurotop, run from
# another folder, finds its themes, digits and sample runs beside itself
# (../share/neurotop), checks and replays a sample run; the manual renders;
# make uninstall removes exactly what install put.
SUITE=cli-install
. tests/cli/lib.sh
REPO=$PWD
DEST="$TMPD/dest"
SHARE="$DEST/usr/share/neurotop"
BIN="$DEST/usr/bin/neurotop"
# A make of its own: not the MODE=test and jobserver of a `make test` around us.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$REPO" "$@"; }

if ! mk install DESTDIR="$DEST" PREFIX=/usr >"$TMPD/install.log" 2>&1; then
    fail "make install failed: $(tail -n 5 "$TMPD/install.log")"
    finish
    exit 1
fi
pass

# What the tree holds: every tracked shipped file, the manual, the docs and
# the completions, under the prefix (and nothing outside DESTDIR/usr).
for f in usr/bin/neurotop usr/share/man/man1/neurotop.1 usr/share/doc/neurotop/README.md \
         usr/share/doc/neurotop/docs/methods.md usr/share/bash-completion/completions/neurotop \
         usr/share/zsh/vendor-completions/_neurotop usr/share/neurotop/themes/gruvbox-dark.theme \
         usr/share/neurotop/data/mnist10k/train-images-idx3-ubyte.gz \
         usr/share/neurotop/sample-runs/mlp-mnist/phases.lesson \
         usr/share/neurotop/sample-runs/hebbff-familiarity/run.json; do
    [ -f "$DEST/$f" ] && pass || fail "make install did not put $f"
done
shipped=$(cd "$REPO" && git ls-files data themes sample-runs 2>/dev/null | grep -c .)
installed=$(find "$SHARE" -type f | grep -c .)
[ "$shipped" -gt 0 ] && [ "$installed" -eq "$shipped" ] && pass ||
    fail "$installed files under share/neurotop, $shipped tracked in data/ themes/ sample-runs/"
[ -z "$(ls -A "$DEST" | grep -vx usr)" ] && pass || fail "make install wrote outside DESTDIR/usr: $(ls -A "$DEST")"
# Shipped runs are read-only to users: no file writable but by its owner.
writable=$(find "$SHARE" -type f -perm /022 | head -n 3)
[ -z "$writable" ] && pass || fail "installed files writable by group or others: $writable"
[ -x "$BIN" ] && pass || fail "the installed binary is not executable"

# The manual renders from its installed place.
if command -v man >/dev/null 2>&1; then
    warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$DEST/usr/share/man/man1/neurotop.1" 2>&1 >"$TMPD/man.txt")
    [ -z "$warn" ] && pass || fail "man -l warns: $warn"
    expect_contains "$(cat "$TMPD/man.txt")" "neurotop replay" "the installed manual renders"
fi

# From a folder with no themes/ or data/ the binary finds its files beside
# itself: the DESTDIR tree is not at /usr yet.
mkdir -p "$TMPD/elsewhere" && cd "$TMPD/elsewhere" || exit 1
expect_exit 0 "installed --version" -- "$BIN" --version
expect_contains "$OUT" "/usr/share/neurotop" "the prefix is compiled in"
expect_exit 0 "installed check of a sample run" -- "$BIN" check "$SHARE/sample-runs/mlp-mnist"
expect_contains "$OUT" "sample-runs/mlp-mnist" "check's summary names the run"
expect_exit 0 "themes of the installed tree" -- "$BIN" --complete -- tui --theme
expect_contains "$OUT" "gruvbox-dark" "the installed themes are found"
expect_exit 0 "sample runs of the installed tree" -- "$BIN" --complete -- replay
expect_contains "$OUT" "$SHARE/sample-runs/mlp-mnist" "the installed sample runs are offered"
# The bundled digits come from the installed data/ (run.json names the source).
expect_exit 0 "installed train on the bundled digits" -- "$BIN" train --headless --epochs 1 \
    --epoch-size 50 --probe 40 --qreps 0 --flexreps 0 --runs "$TMPD/runs"
src=$(cat "$TMPD"/runs/*/run.json | tr ',' '\n' | sed -n 's/^"data_source":"\(.*\)"$/\1/p')
case "$src" in "$SHARE/data/mnist10k") pass ;; *) fail "data_source is '$src', not $SHARE/data/mnist10k" ;; esac

# A copy of the binary away from the tree finds nothing of it, unless
# NEUROTOP_DATADIR names the tree.
mkdir -p "$TMPD/bin" && cp "$BIN" "$TMPD/bin/neurotop"
expect_exit 0 "a lone binary" -- "$TMPD/bin/neurotop" --complete -- tui --theme
case "$OUT" in *gruvbox-dark*) fail "a lone binary should not find the installed themes" ;; *) pass ;; esac
expect_exit 0 "NEUROTOP_DATADIR" -- env NEUROTOP_DATADIR="$SHARE" "$TMPD/bin/neurotop" --complete -- tui --theme
expect_contains "$OUT" "gruvbox-dark" "NEUROTOP_DATADIR names the shipped files"
expect_exit 0 "NEUROTOP_DATADIR check" -- env NEUROTOP_DATADIR="$SHARE" "$TMPD/bin/neurotop" check \
    "$SHARE/sample-runs/hebbff-familiarity"

# The replay itself, in a terminal: the lesson and the digits load.
if command -v tmux >/dev/null 2>&1; then
    . "$REPO/tests/tui/lib.sh"
    NEUROTOP=$BIN
    start_tui 100 32 replay "$SHARE/sample-runs/mlp-mnist" --lesson "$SHARE/sample-runs/mlp-mnist/phases.lesson"
    expect_screen "Enter starts" "the installed replay shows the lesson box"
    keys Enter
    expect_screen "epoch 0 of 40" "the installed replay shows epoch 0 of the sample run"
    keys Escape q
    code=$(wait_exit)
    [ "$code" = "EXITED:0" ] && pass || fail "the installed replay exited with '$code'"
    tm kill-server >/dev/null 2>&1
else
    skip "tmux is not installed: the installed replay is not opened in a terminal"
fi
cd "$REPO" || exit 1

# make uninstall removes every file install put, and the folders of its own.
if mk uninstall DESTDIR="$DEST" PREFIX=/usr >"$TMPD/uninstall.log" 2>&1; then pass; else fail "make uninstall failed"; fi
left=$(find "$DEST" -type f | head -n 5)
[ -z "$left" ] && pass || fail "make uninstall left files: $left"
for d in usr/share/neurotop usr/share/doc/neurotop; do
    [ ! -e "$DEST/$d" ] && pass || fail "make uninstall left $d"
done

finish
