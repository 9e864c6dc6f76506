# Replaying a run that is still being written follows it, like tail -f:
# new metrics lines and snapshots appear, with a marker on the message line.
# The "live run" is the sample run written out in two steps.
SUITE=tui-follow
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8

live="$TMPD/live"
mkdir -p "$live/snapshots"
cp sample-runs/mlp-mnist/run.json "$live/"
head -n 11 sample-runs/mlp-mnist/metrics.jsonl > "$live/metrics.jsonl"
for e in 000000 000005 000010; do cp "sample-runs/mlp-mnist/snapshots/epoch-$e.nts" "$live/snapshots/"; done

start_tui 110 30 replay "$live"
expect_screen "epoch 0 of 10" "the run is shown as far as it is written"
# The trainer writes on: ten more metrics lines, then their snapshots (a line
# cut in two writes on the way, as a live writer may leave it for a moment).
sed -n 12,20p sample-runs/mlp-mnist/metrics.jsonl >> "$live/metrics.jsonl"
line21=$(sed -n 21p sample-runs/mlp-mnist/metrics.jsonl)
printf '%s' "$(printf '%s' "$line21" | cut -c1-20)" >> "$live/metrics.jsonl"
sleep 1
printf '%s\n' "$(printf '%s' "$line21" | cut -c21-)" >> "$live/metrics.jsonl"
for e in 000015 000020; do cp "sample-runs/mlp-mnist/snapshots/epoch-$e.nts" "$live/snapshots/"; done
expect_screen "following the run: epoch 20 was written" "the marker says a new epoch arrived" 10
expect_screen "epoch 0 of 20" "the timeline grew to epoch 20" 5
keys End
expect_screen "epoch 20 of 20" "End goes to the newest epoch"
keys q
finish
