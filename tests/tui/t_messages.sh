# Messages fit: the too-small message says the size it needs even at 30×8,
# a long status message wraps at spaces instead of being cut, titles and
# the status line drop whole parts; at 80×24 and at 200×60.
SUITE=tui-messages
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
cp -r sample-runs/mlp-mnist "$TMPD/run"
# Corrupt epoch 5's snapshot: its message is longer than 80 columns.
printf 'XXXXXXXX' | dd of="$TMPD/run/snapshots/epoch-000005.nts" bs=1 seek=200000 conv=notrunc 2>/dev/null

# bottom N: the last N rows joined with spaces.
bottom() { screen | tail -n "$1" | tr '\n' ' ' | tr -s ' '; }

start_tui 30 8 replay "$TMPD/run"
expect_screen "needs at least" "30x8: the too-small message is there"
screen | tr '\n' ' ' | tr -s ' ' | grep -q "terminal too small: 30x8, needs at least [0-9]*x[0-9]*" && pass \
    || fail "30x8: the message says the size it needs, whole: $(screen | head -3)"
tm resize-window -t t -x 14 -y 5 2>/dev/null || tm resize-pane -t t -x 14 -y 5
expect_screen "small: 14x5," "14x5: the message wraps to the width"
screen | tr '\n' ' ' | tr -s ' ' | grep -q "needs at least [0-9]*x[0-9]*" && pass || fail "14x5: the needed size is shown"
stop_tui

for size in "80 24" "200 60"; do
    set -- $size
    start_tui "$1" "$2" replay "$TMPD/run"
    expect_screen "REPLAY" "$1x$2: replay starts"
    keys : g o t o Space 5 Enter
    expect_screen "cannot be replayed" "$1x$2: the corrupted epoch is reported"
    msg=$(bottom 4)
    printf '%s' "$msg" | grep -Eq "epoch-000005.nts: section \"[a-z]+\" is corrupted \(CRC32 [0-9a-f]+, expected [0-9a-f]+\)" \
        && pass || fail "$1x$2: the whole message is on screen, wrapped at spaces: $msg"
    # The status line drops whole parts, never cuts one.
    status=$(screen | head -1)
    case "$status" in
    *"│ "*[!│]) last=$(printf '%s' "$status" | sed 's/.*│ //; s/ *$//')
        case "$last" in mlp*|mnist10k|"seed 1"|*/run) pass ;; *) fail "$1x$2: the status line ends in a whole part, not '$last'" ;; esac ;;
    *) pass ;;
    esac
    stop_tui
done

# At 80x24 the receptive-field title drops its last part instead of being cut.
start_tui 80 24 replay "$TMPD/run"
expect_screen "┌ Receptive fields · HL1 1–2 of 100 ─" "80x24: the fields title is shortened by rule"
screen | grep -q "half siz[^e]" && fail "80x24: a title was cut mid-word" || pass

finish
