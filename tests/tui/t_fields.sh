# The receptive-field pane in a real terminal: shades on a 256-colour
# terminal (capture-pane -e shows the colours), glyphs without colour, a
# dozen fields at 200×60, full-resolution fields at 80×24, sorting.
SUITE=tui-fields
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
run=sample-runs/mlp-mnist

# The terminal type is the test's choice, not tmux's default.
cat > "$TMPD/nt.sh" <<SH
#!/bin/sh
TERM=\$NT_TERM exec "$PWD/$NEUROTOP" "\$@"
SH
case "$NEUROTOP" in /*) sed -i "s|\"$PWD/$NEUROTOP\"|\"$NEUROTOP\"|" "$TMPD/nt.sh" ;; esac
chmod +x "$TMPD/nt.sh"
REAL=$NEUROTOP
NEUROTOP="$TMPD/nt.sh"

# Distinct 256-colour codes (38;5;N and 48;5;N) on the rows that hold '▀'.
shades() {
    tm capture-pane -e -p -t t | grep '▀' | grep -o '[34]8;5;[0-9]*' | sed 's/^[34]8;5;//' | sort -u | wc -l
}

export NT_TERM=tmux-256color
unset NO_COLOR
start_tui 200 60 replay "$run"
expect_screen "Receptive fields · HL1 1–12 of 100 · half size" "200x60: a dozen fields in the grid pane"
keys End
expect_screen "epoch 40 of 40" "End shows the trained epoch"
n=$(shades)
[ "$n" -ge 12 ] && pass || fail "200x60 at 256 colours: at least 12 distinct shades on the field rows (got $n)"
expect_screen "one scale for HL1" "a legend with the scale"
screen | grep -q '#11' && pass || fail "each field is labelled with its unit"
keys : f i e l d s Space s o r t Space n o r m Enter
expect_screen "by norm" ":fields sort norm"
expect_screen "|w|" "labels give the norm"
keys : z o o m Space f i e l d s Enter
expect_screen "HL1 1–18 of 100" "zoomed at 200x60: 18 fields at full resolution"
wait_gone "half size" && pass || fail "zoomed at 200x60 the fields are full size"
stop_tui

start_tui 80 24 replay "$run"
expect_screen "Receptive fields" "80x24 shows the pane"
keys : z o o m Space f i e l d s Enter
expect_screen "HL1 1–2 of 100" "80x24 zoomed: two fields at full resolution, not ten small ones"
screen | grep -q "half size" && fail "80x24 zoomed fields are full size" || pass
n=$(shades)
[ "$n" -ge 12 ] && pass || fail "80x24 at 256 colours: at least 12 distinct shades (got $n)"
stop_tui

# 8 colours (xterm), and NO_COLOR: glyphs, and the legend says which.
export NT_TERM=xterm
start_tui 80 24 replay "$run"
keys : z o o m Space f i e l d s Enter
expect_screen "%=- .+#" "8 colours: the glyph legend"
screen | grep -q '▀' && fail "8 colours: no half blocks" || pass
stop_tui

export NT_TERM=tmux-256color NO_COLOR=1
start_tui 80 24 replay "$run"
keys : z o o m Space f i e l d s Enter
expect_screen "%=- .+#" "NO_COLOR: the glyph legend"
screen | grep -q '▀' && fail "NO_COLOR: no half blocks" || pass
unset NO_COLOR
NEUROTOP=$REAL

finish
