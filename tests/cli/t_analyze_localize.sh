# analyze localize --run DIR (docs/methods.md §29) on the sample MLP run: a
# 784-100-100-10 network is a dense chain, so every layer's neurons are 2
# apart and a neuron put in its own layer scores 0 or 2: no layer's RMS error
# exceeds 2 when the layers are found. The floor (dense layers) is printed.
SUITE=cli-analyze-localize
. tests/cli/lib.sh
S=sample-runs/mlp-mnist

expect_exit 0 "GAUSSIAN on the last epoch" -- "$NEUROTOP" analyze localize --run $S --n-images 400 --seed 3
expect_contains "$OUT" '"epoch":40,"stimulus":"GAUSSIAN","images":400' "context, set and size"
expect_contains "$OUT" '"paper":null' "the paper's LeNet figures are not LeNet's to print here"
expect_contains "$OUT" '"name":"HL1","neurons":100,"test":50' "HL1: half of 100 placed"
expect_contains "$OUT" '"test":497' "784/2 + 100/2 + 100/2 + 10/2 neurons placed"
for e in $(printf '%s\n' "$OUT" | tr ',' '\n' | sed -n 's/^"error":\([0-9.]*\)$/\1/p'); do
    awk -v e="$e" 'BEGIN { exit !(e <= 2.0000001) }' && pass || fail "a layer's error $e exceeds 2"
done
first="$OUT"
expect_exit 0 "the same seed again" -- "$NEUROTOP" analyze localize --run $S --n-images 400 --seed 3
[ "$(printf '%s\n' "$first" | sed 's/"seconds":.*//')" = "$(printf '%s\n' "$OUT" | sed 's/"seconds":.*//')" ] &&
    pass || fail "same seed, same placement"
expect_exit 0 "IMPULSE has two images per pixel" -- "$NEUROTOP" analyze localize --run $S --stimulus IMPULSE --seed 3
expect_contains "$OUT" '"stimulus":"IMPULSE","images":1568' "1,568 impulses"
expect_exit 0 "MNIST from the run's digits" -- "$NEUROTOP" analyze localize --run $S --stimulus MNIST --n-images 300
expect_contains "$OUT" '"stimulus":"MNIST","images":300' "300 digits"

bad() { d=$1; shift; expect_exit 2 "$d" "$@"; expect_one_line_error "$d"; }
bad "an unknown stimulus set" -- "$NEUROTOP" analyze localize --run $S --stimulus NOISE
expect_contains "$ERR" "'NOISE'" "names the word"
bad "one image" -- "$NEUROTOP" analyze localize --run $S --n-images 1
bad "on files" -- "$NEUROTOP" analyze localize --matrix tests/fixtures/karate.csv

finish
