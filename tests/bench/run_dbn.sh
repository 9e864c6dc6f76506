#!/bin/sh
# RBM training speed (issue 14): neurotop (bench_dbn) against the same
# 784-500 RBM in PyTorch (Debian python3-torch, CPU, 1 thread): CD-1, batch
# 100, lr 0.1, momentum 0.5, weight decay 0.0004, one epoch of the 8,000
# bundled training digits. Prints the seconds per epoch and the ratio
# PyTorch/neurotop (> 1 means neurotop is faster); without PyTorch it says
# SKIP and prints no ratio.
: "${BENCH_DIR:=build/release/bench}"
: "${PYTHON:=/usr/bin/python3}"
BENCH="$BENCH_DIR/bench_dbn"
if [ ! -x "$BENCH" ]; then
    echo "run_dbn: $BENCH is not built (make bench builds it)"
    exit 1
fi
OUT=$("$BENCH" --reps 3) || exit 1
echo "$OUT"
if ! "$PYTHON" -c "import torch, numpy" 2>/dev/null; then
    echo "SKIP: run_dbn: PyTorch not installed for $PYTHON (Debian: python3-torch); no ratio"
    exit 0
fi
DATA=${NEUROTOP_DATA:-data}/mnist10k
REF=$(DATA="$DATA" OMP_NUM_THREADS=1 "$PYTHON" - <<'PY'
import gzip, os, time
import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(1)
path = os.path.join(os.environ["DATA"], "train-images-idx3-ubyte.gz")
if os.path.exists(path):
    with gzip.open(path) as f:
        raw = f.read()
    n = int.from_bytes(raw[4:8], "big")
    x = np.frombuffer(raw, np.uint8, offset=16).reshape(n, 784)[:8000] / np.float32(255)
else:
    rng = np.random.default_rng(7)
    x = (rng.random((8000, 784)) < 0.19) * rng.random((8000, 784))
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
