#!/bin/sh
# MLP training speed: neurotop (bench_mlp) against the same network in
# PyTorch (Debian python3-torch, CPU, 1 thread): 784-100-100-10, sigmoid,
# softmax/cross-entropy, no biases, U(-1,1) init, plain SGD at lr 0.3, one
# epoch of the 8,000 bundled training digits at batch 1 and at batch 32.
# Prints the seconds per epoch and the ratios PyTorch/neurotop (> 1 means
# neurotop is faster). Targets: >= 2 at batch 1, >= 1 at batch 32.
. tests/bench/torch_lib.sh
torch_bench mlp
[ "$TORCH" = 1 ] || exit 0
REF=$("$PYTHON" - <<'EOF'
import time
import numpy as np
import torch
from torch_digits import load

x, y = load()
X = torch.tensor(x, dtype=torch.float32)
Y = torch.tensor(y)

def net():
    m = torch.nn.Sequential(torch.nn.Linear(784, 100, bias=False), torch.nn.Sigmoid(),
                            torch.nn.Linear(100, 100, bias=False), torch.nn.Sigmoid(),
                            torch.nn.Linear(100, 10, bias=False))
    with torch.no_grad():
        for p in m.parameters():
            p.uniform_(-1.0, 1.0)
    return m

loss_fn = torch.nn.CrossEntropyLoss()
for batch in (1, 32):
    best = float("inf")
    for rep in range(2):
        m = net()
        opt = torch.optim.SGD(m.parameters(), lr=0.3)
        t0 = time.perf_counter()
        for i in range(0, len(X), batch):
            opt.zero_grad()
            loss = loss_fn(m(X[i:i + batch]), Y[i:i + batch])
            loss.backward()
            opt.step()
        best = min(best, time.perf_counter() - t0)
    print(f"result pytorch batch {batch} seconds {best:.4f} examples_per_sec {len(X) / best:.0f}")
EOF
) || { echo "run_mlp: the PyTorch reference failed"; exit 0; }
echo "$REF"
printf '%s\n%s\n' "$OUT" "$REF" | awk '
    $1 == "result" && $2 == "neurotop" { nt[$4] = $6 }
    $1 == "result" && $2 == "pytorch" { pt[$4] = $6 }
    END {
        for (b in nt) if (b in pt)
            printf "ratio batch %s: PyTorch %.4f s / neurotop %.4f s = %.2fx (target %s)\n",
                   b, pt[b], nt[b], pt[b] / nt[b], b == 1 ? ">= 2" : ">= 1"
    }'
