#!/bin/sh
# RBM training speed (issue 14): neurotop (bench_dbn) against the same
# 784-500 RBM in PyTorch (Debian python3-torch, CPU, 1 thread): CD-1, batch
# 100, lr 0.1, momentum 0.5, weight decay 0.0004, one epoch of the 8,000
# bundled training digits. Prints the seconds per epoch and the ratio
# PyTorch/neurotop (> 1 means neurotop is faster); without PyTorch it says
# SKIP and prints no ratio.
. tests/bench/torch_lib.sh
torch_bench dbn
[ "$TORCH" = 1 ] || exit 0
REF=$("$PYTHON" - <<'PY'
import time
import numpy as np
import torch
from torch_digits import load

x, y = load()
x = torch.tensor(x, dtype=torch.float32)
V, H, B, lr, wd, mom = 784, 500, 100, 0.1, 0.0004, 0.5
W = torch.randn(V, H) * 0.01
bv = torch.zeros(V)
bh = torch.zeros(H)
dW = torch.zeros(V, H); dbv = torch.zeros(V); dbh = torch.zeros(H)
best = 1e300
with torch.no_grad():
    for rep in range(3):
        t0 = time.perf_counter()
        for i in range(0, x.shape[0], B):
            v0 = x[i:i + B]
            p0 = torch.sigmoid(v0 @ W + bh)
            h0 = (torch.rand_like(p0) < p0).float()
            v1 = torch.sigmoid(h0 @ W.t() + bv)
            p1 = torch.sigmoid(v1 @ W + bh)
            g = (v0.t() @ p0 - v1.t() @ p1) / v0.shape[0]
            dW = mom * dW + lr * (g - wd * W)
            dbv = mom * dbv + lr * (v0 - v1).mean(0)
            dbh = mom * dbh + lr * (p0 - p1).mean(0)
            W += dW; bv += dbv; bh += dbh
        best = min(best, time.perf_counter() - t0)
print("%.4f" % best)
PY
) || { echo "run_dbn: the PyTorch reference failed"; exit 1; }
OURS=$(printf '%s\n' "$OUT" | awk '$1 == "result" && $2 == "dbn_epoch_s" {print $3}')
echo "pytorch 784-500 RBM epoch: ${REF} s"
awk -v p="$REF" -v n="$OURS" 'BEGIN { if (n > 0) printf "ratio pytorch/neurotop: %.2f\n", p / n }'
