# Flexibility over time in a replay: a run recorded before the MLP's slices
# were epochs (the shipped sample: flex_* from windows of its probe) is
# flagged as subsamples, and :flex on it uses the recorded epochs.
SUITE=tui-flex-time
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8

# A copy, so the analyses the test runs are not saved into the repository.
cp -r sample-runs/mlp-mnist "$TMPD/sample"
rm -f "$TMPD/sample/.read-only" # a writable copy, so :flex saves into it
export XDG_CACHE_HOME="$TMPD/cache"
start_tui 120 40 replay "$TMPD/sample"
expect_screen "epoch 0 of 40" "the sample replay opens"
keys End : z o o m Space f l e x i b i l i t y Enter
expect_screen "Flexibility · 20×25 items" "the old windows plan is in the title"
expect_screen "windows of i.i.d. probe items: subsamples, not time" "windows of an MLP's probe are flagged"
keys Escape : f l e x Enter
expect_screen "9 recorded epochs 0–40, 500 items each" ":flex uses the 9 recorded epochs (every 5th)" 60
expect_screen "communities per epoch" ":flex counts communities per epoch"
keys Escape q
wait_exit >/dev/null
grep -q '"epochs":\[0,5,10,15,20,25,30,35,40\]' "$TMPD"/sample/analyses/epoch-000040-flex-*.json && pass ||
    fail ":flex saves the epochs it used"

finish
