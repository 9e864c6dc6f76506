# :localize on a replayed run at 100x30: the neurons of the sample MLP put
# back in their layers from their responses to Gaussian images, one bar per
# layer against the random baseline; Esc cancels a long run.
SUITE=tui-localize
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
export XDG_CACHE_HOME="$TMPD/cache"

start_tui 100 30 replay sample-runs/mlp-mnist
expect_screen "epoch 0 of" "the replay opens"
keys End
keys ":localize GAUSSIAN 300" Enter
expect_screen "localisation · GAUSSIAN · 300 images · 497 of 994 neurons placed" ":localize runs and says what it placed"
expect_screen "HL1         100@1x1" ":localize draws a line per layer"
expect_screen "floor" ":localize prints the floor beside the score"
case "$(screen)" in *nan*) fail ":localize prints nan"; screen ;; *) pass ;; esac
keys Escape
keys ":localize NOISE" Enter
expect_screen "'NOISE'" ":localize refuses an unknown stimulus set in one sentence"
keys Escape
# 60,000 images take long enough to be cancelled
keys ":localize GAUSSIAN 60000" Enter
expect_screen "localize" ":localize starts a long run"
keys Escape
expect_screen "cancel" "Esc cancels it"
keys q
finish
