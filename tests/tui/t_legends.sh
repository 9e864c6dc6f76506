# Every stacked plot names its curves, and :pca and :ih name their classes
# and curves, at 80×24 and at 200×60.
SUITE=tui-legends
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
# A copy: the analyses write their JSON into the run directory.
cp -r sample-runs/mlp-mnist "$TMPD/run"

start_tui 200 60 replay "$TMPD/run"
expect_screen "━ acc" "200x60: the accuracy curve is named"
expect_screen "━ train loss" "200x60: the loss curve is named"
expect_screen "━ Q whole" "200x60: Q of the whole graph is named"
expect_screen "━ Q hidden" "200x60: Q of the hidden graph is named"
expect_screen "━ flexibility" "200x60: the flexibility curve is named"
expect_screen "━ multilayer Q" "200x60: multilayer Q is named"
keys End
keys : i h Enter
expect_screen "IH HL2" "200x60: :ih names its curves" 60
expect_screen "IH HL1" "200x60: :ih names HL1's curve"
keys Escape
keys : p c a Enter
expect_screen "class ●0 ●1 ●2 ●3 ●4 ●5 ●6 ●7 ●8 ●9" "200x60: the :pca scatter has a class legend" 60
stop_tui

start_tui 80 24 replay "$TMPD/run"
expect_screen "━ acc" "80x24: the accuracy curve is named"
expect_screen "━ train loss" "80x24: the loss curve is named"
expect_screen "━ Q whole" "80x24: Q whole is named"
expect_screen "━ Q hidden" "80x24: Q hidden is named"
keys : z o o m Space f l e x i b i l i t y Enter
expect_screen "━ multilayer Q" "80x24 zoomed: multilayer Q is named"
keys z
keys : p c a Enter
expect_screen "class" "80x24: the :pca result has a class legend" 60

finish
