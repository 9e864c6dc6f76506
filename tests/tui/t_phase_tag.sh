# The Modularity pane's title names the learning phase of the epoch on
# screen, not of the last epoch recorded, and nothing where that epoch is in
# no phase; at 80x24 and at 200x60, on copies of the shipped sample runs.
# The phases of the sample runs (docs/methods.md 23, alpha 0.01): MLP whole
# graph early 0-5, middle 6-40; HebbFF whole graph early 0-8, then none.
SUITE=tui-phase-tag
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8

cp -r sample-runs/mlp-mnist "$TMPD/mlp"
cp -r sample-runs/hebbff-familiarity "$TMPD/hebbff"

# not_on_screen TEXT WHAT: TEXT is absent once the screen has settled.
not_on_screen() {
    sleep 0.5
    case "$(screen)" in
    *"$1"*) fail "$2: '$1' is on the screen:"; screen | head -5 ;;
    *) pass ;;
    esac
}

for size in "80 24" "200 60"; do
    w=${size% *}
    h=${size#* }
    tm kill-session -t t 2>/dev/null
    start_tui "$w" "$h" replay "$TMPD/mlp"
    expect_screen "epoch 0 of 40" "MLP sample opens at epoch 0 (${w}x$h)"
    keys : z o o m Space m o d u l a r i t y Enter
    expect_screen "best of 5 · early" "epoch 0 of the MLP sample is early (${w}x$h)"
    keys : g o t o Space 5 Enter
    expect_screen "epoch 5 of 40" ":goto 5 (${w}x$h)"
    expect_screen "best of 5 · early" "epoch 5 is still early (${w}x$h)"
    keys : g o t o Space 6 Enter
    expect_screen "best of 5 · middle" "epoch 6 starts the middle phase (${w}x$h)"
    keys Home
    expect_screen "best of 5 · early" "back at epoch 0 the tag is early again (${w}x$h)"
    keys q
    wait_exit >/dev/null

    tm kill-session -t t 2>/dev/null
    start_tui "$w" "$h" replay "$TMPD/hebbff"
    expect_screen "epoch 0 of 60" "HebbFF sample opens at epoch 0 (${w}x$h)"
    keys : z o o m Space m o d u l a r i t y Enter
    expect_screen "best of 3 · early" "epoch 0 of the HebbFF sample is early (${w}x$h)"
    keys : g o t o Space 4 0 Enter
    expect_screen "epoch 40 of 60" ":goto 40 (${w}x$h)"
    expect_screen "Modularity Q · best of 3 " "the title is drawn at epoch 40 (${w}x$h)"
    not_on_screen "best of 3 ·" "epoch 40 of the HebbFF sample is in no phase: no tag (${w}x$h)"
    keys q
    wait_exit >/dev/null
done

finish
