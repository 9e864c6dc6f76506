# neurotop watch: a run recorded outside neurotop (tests/fixtures/external-mlp:
# a 64-6-3 network written by NumPy, out-by-in, steps 0, 10, 20 with probe
# activations and metrics) converted into neurotop's own run directory; a
# step that appears while watching is picked up, a broken one is reported
# and skipped, the watched folder is never written to.
SUITE=cli-watch
. tests/cli/lib.sh

FX=tests/fixtures/external-mlp
before=$(ls -la "$FX" | md5sum)
expect_exit 0 "once" -- "$NEUROTOP" watch "$FX" --headless --once --runs "$TMPD/r"
expect_contains "$OUT" "step 20: 3 layers, 20 probe items" "once: every step converted"
run=$(ls -d "$TMPD"/r/*-external 2>/dev/null | head -n 1)
[ -n "$run" ] && [ "$(wc -l < "$run/metrics.jsonl")" -eq 3 ] && pass || fail "once: three epochs in $run"
grep -q '"epoch":10,' "$run/metrics.jsonl" && grep -q '"test_acc":0.5' "$run/metrics.jsonl" && pass ||
    fail "once: step 10 is epoch 10, its accuracy kept"
grep -q '"q_whole":0' "$run/metrics.jsonl" && grep -q '"w_alpha_std":' "$run/metrics.jsonl" && grep -q '"act_mean":' "$run/metrics.jsonl" &&
    pass || fail "once: Q, weight moments and activity measures: $(head -c 300 "$run/metrics.jsonl")"
grep -q '"model":"mlp"' "$run/run.json" && grep -q '"sizes":\[64,6,3\]' "$run/run.json" && grep -q '"external":' "$run/run.json" &&
    pass || fail "once: run.json names the network and where it came from: $(cat "$run/run.json")"
expect_exit 0 "check" -- "$NEUROTOP" check "$run"
expect_contains "$OUT" "is sound: 3 metrics lines, 3 snapshots loaded, last epoch 20" "check: the converted run is sound"
# The : analyses work on a converted epoch.
expect_exit 0 "analyze on the converted run" -- "$NEUROTOP" analyze louvain --run "$run" --epoch 10
expect_contains "$OUT" '"epoch":10,"graph":"whole"' "analyze louvain on a converted epoch"
[ "$(ls -la "$FX" | md5sum)" = "$before" ] && pass || fail "the watched folder is unchanged"

# Watching: a step that appears is converted within a second; a broken one
# is skipped with a line; Ctrl-C ends with 130.
W="$TMPD/live"
mkdir -p "$W"
cp "$FX/run.json" "$FX/step-000000.npz" "$W/"
"$NEUROTOP" watch "$W" --headless --runs "$TMPD/r2" >"$TMPD/watch.out" 2>&1 &
pid=$!
i=0
while [ $i -lt 50 ] && ! grep -q "step 0:" "$TMPD/watch.out"; do sleep 0.1; i=$((i + 1)); done
grep -q "step 0:" "$TMPD/watch.out" && pass || fail "watch: the first step: $(cat "$TMPD/watch.out")"
cp "$FX/step-000010.npz" "$W/.step.tmp" && mv "$W/.step.tmp" "$W/step-000010.npz"
i=0
while [ $i -lt 10 ] && ! grep -q "step 10:" "$TMPD/watch.out"; do sleep 0.1; i=$((i + 1)); done
grep -q "step 10:" "$TMPD/watch.out" && pass || fail "watch: a renamed step within a second: $(cat "$TMPD/watch.out")"
printf 'PK broken' > "$W/step-000015.npz"
cp "$FX/step-000020.npz" "$W/step-000020.npz"
i=0
while [ $i -lt 30 ] && ! grep -q "step 20:" "$TMPD/watch.out"; do sleep 0.1; i=$((i + 1)); done
grep -q "step 15 skipped: .*step-000015.npz" "$TMPD/watch.out" && grep -q "step 20:" "$TMPD/watch.out" && pass ||
    fail "watch: a broken step is reported and skipped: $(cat "$TMPD/watch.out")"
kill -INT "$pid"
wait "$pid"
code=$?
[ "$code" -eq 130 ] && grep -q "^stopped: run directory" "$TMPD/watch.out" && pass || fail "watch: Ctrl-C ends with 130 ($code)"
run2=$(ls -d "$TMPD"/r2/*-external | head -n 1)
[ "$(wc -l < "$run2/metrics.jsonl")" -eq 3 ] && pass || fail "watch: steps 0, 10, 20 recorded"

# The PyTorch sketch of docs/external-runs.md, run for real when PyTorch is
# installed: a tiny MLP trained 3 steps, recorded, converted.
if /usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1; then
    T="$TMPD/torchrun"
    /usr/bin/python3 - "$T" <<'PY'
import json, os, sys, numpy as np, torch
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
json.dump({"layout": "out_by_in", "input_shape": [4, 4]}, open(f"{out}/run.json", "w"))
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(16, 8, bias=False), torch.nn.Sigmoid(), torch.nn.Linear(8, 3, bias=False))
x = torch.rand(64, 16); y = (x[:, :3].argmax(1))
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for step in range(3):
    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    arrays = {f"W{i}": l.weight.detach().numpy() for i, l in enumerate(layers)}
    tmp = f"{out}/.step.tmp.npz"; np.savez(tmp, **arrays); os.replace(tmp, f"{out}/step-{step:06d}.npz")
    loss = torch.nn.functional.cross_entropy(model(x), y); opt.zero_grad(); loss.backward(); opt.step()
PY
    expect_exit 0 "PyTorch run" -- "$NEUROTOP" watch "$T" --headless --once --runs "$TMPD/rt"
    expect_contains "$OUT" "step 2: 3 layers" "PyTorch run: three steps of a 16-8-3 network"
else
    skip "PyTorch is not installed (python3-torch): the PyTorch sketch is not run"
fi

# Bad input: one line, exit 2.
expect_exit 2 "no folder" -- "$NEUROTOP" watch --headless
expect_one_line_error "no folder"
expect_exit 2 "not an external run" -- "$NEUROTOP" watch "$TMPD" --headless --once
expect_contains "$ERR" "has no readable run.json" "not an external run: says so"
mkdir -p "$TMPD/empty"
printf '{"layout": "out_by_in"}' > "$TMPD/empty/run.json"
expect_exit 2 "no steps yet" -- "$NEUROTOP" watch "$TMPD/empty" --headless --once --runs "$TMPD/r3"
expect_contains "$ERR" "has no readable step-NNNNNN.npz yet" "no steps: says so"
printf '{"layout": "sideways"}' > "$TMPD/empty/run.json"
expect_exit 2 "bad layout" -- "$NEUROTOP" watch "$TMPD/empty" --headless --once
expect_one_line_error "bad layout"
expect_exit 2 "once without headless" -- "$NEUROTOP" watch "$FX" --once
expect_one_line_error "once without headless"
finish
