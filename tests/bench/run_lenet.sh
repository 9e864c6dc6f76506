#!/bin/sh
# LeNet training speed (issue 16): neurotop (bench_lenet) against the same
# network in PyTorch (Debian python3-torch, CPU, 1 thread): 20@5x5 conv,
# ReLU, 2x2 max pool, 50@5x5 conv, ReLU, pool, 500 ReLU, 10 softmax, with
# biases; cross-entropy, Adam lr 0.001, batch 32, one epoch of the 8,000
# bundled training digits in order. Prints the seconds per epoch and the
# ratio PyTorch/neurotop (> 1 means neurotop is faster); without PyTorch it
# says SKIP and prints no ratio.
. tests/bench/torch_lib.sh
torch_bench lenet
[ "$TORCH" = 1 ] || exit 0
REF=$("$PYTHON" - <<'PY'
import time
import torch
import torch.nn as nn
from torch_digits import load

x, y = load()
x = torch.tensor(x, dtype=torch.float32).reshape(-1, 1, 28, 28)
y = torch.tensor(y)
net = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(20, 50, 5), nn.ReLU(),
                    nn.MaxPool2d(2), nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))
opt = torch.optim.Adam(net.parameters(), lr=0.001)
loss_fn = nn.CrossEntropyLoss()
B = 32
best = 1e300
for rep in range(3):
    t0 = time.perf_counter()
    for i in range(0, x.shape[0], B):
        opt.zero_grad()
        loss = loss_fn(net(x[i:i + B]), y[i:i + B])
        loss.backward()
        opt.step()
    best = min(best, time.perf_counter() - t0)
print("%.4f" % best)
PY
) || { echo "run_lenet: the PyTorch reference failed"; exit 1; }
OURS=$(printf '%s\n' "$OUT" | awk '$1 == "result" && $2 == "lenet_epoch_s" {print $3}')
echo "pytorch LeNet epoch: ${REF} s"
awk -v p="$REF" -v n="$OURS" 'BEGIN { if (n > 0) printf "ratio pytorch/neurotop: %.2f\n", p / n }'
