# The ? overlay: keys from the one key table (a replay shows replay keys),
# the browse keys, every command's syntax uncut, a box that widens with the
# terminal; at 80×24 and at 200×60.
SUITE=tui-help
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
run=sample-runs/mlp-mnist

# help_text: the overlay scrolled through to the end, one page at a time.
help_text() {
    : > "$TMPD/help"
    i=0
    while [ $i -lt 12 ]; do
        screen >> "$TMPD/help"
        for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18; do keys Down; done
        sleep 0.2
        i=$((i + 1))
    done
}

start_tui 80 24 replay "$run"
expect_screen "Space play" "the replay hint names the replay keys"
keys '?'
expect_screen "Keys (replay)" "80x24: ? opens the replay's help"
help_text
grep -q "play / stop the replay" "$TMPD/help" && pass || fail "80x24 replay help: Space plays"
grep -q "previous / next recorded epoch" "$TMPD/help" && pass || fail "80x24 replay help: ← → p n"
grep -q "← →  p n" "$TMPD/help" && pass || fail "80x24 replay help lists ← → p n"
grep -q "Home End" "$TMPD/help" && pass || fail "80x24 replay help lists Home End"
grep -q "train one more epoch" "$TMPD/help" && fail "80x24 replay help offers to train" || pass
grep -q ":louvain \[R\] \[GAMMA\] \[asym|sym|none\] \[hidden\] \[consensus\]" "$TMPD/help" && pass \
    || fail "80x24: the longest syntax is shown whole"
grep -q ":fields sort|ramp|size VALUE" "$TMPD/help" && pass || fail "80x24: pane commands are listed"
stop_tui

start_tui 80 24 --paused --epoch-size 200 --probe 20 --runs "$TMPD/runs"
expect_screen "Space run/pause" "the live hint names the live keys"
keys '?'
expect_screen "Keys (live run)" "80x24: ? opens the live help"
help_text
grep -q "train one more epoch, then pause" "$TMPD/help" && pass || fail "80x24 live help: n trains"
grep -q "browse the recorded epochs" "$TMPD/help" && pass || fail "80x24 live help: ← → browse"
grep -q "back to the live one" "$TMPD/help" && pass || fail "80x24 live help: Home End"
keys Escape
keys q
wait_exit >/dev/null
stop_tui

start_tui 200 60 replay "$run"
keys '?'
expect_screen "Keys (replay)" "200x60: ? opens the help"
# The box is wider than the old 110 columns: the longest help line fits on
# its syntax's row (on the second page since the DBN's commands joined).
keys NPage
wait_for ":fields sort|ramp|size VALUE" 10
screen | grep -q ":fields sort|ramp|size VALUE  *receptive fields: sort norm|selectivity|unit (learned first), ramp diverging|grey, size auto|1|2|3" \
    && pass || fail "200x60: a long description stays on its syntax's row"
w=$(screen | grep "Help ·" | sed 's/^[^┌]*┌//; s/┐.*//' | wc -m)
[ "$w" -gt 150 ] && pass || fail "200x60: the help box widens (got $w columns)"

finish
