#!/bin/sh
# MLP training speed: neurotop (bench_mlp) against the same network in
# PyTorch (Debian python3-torch, CPU, 1 thread): 784-100-100-10, sigmoid,
# softmax/cross-entropy, no biases, U(-1,1) init, plain SGD at lr 0.3, one
# epoch of the 8,000 bundled training digits at batch 1 and at batch 32.
# Prints the seconds per epoch and the ratios PyTorch/neurotop (> 1 means
# neurotop is faster). Targets: >= 2 at batch 1, >= 1 at batch 32.
: "${BENCH_DIR:=build/release/bench}"
: "${PYTHON:=/usr/bin/python3}"
BENCH="$BENCH_DIR/bench_mlp"
if [ ! -x "$BENCH" ]; then
    echo "run_mlp: $BENCH is not built (make bench builds it)"
    exit 1
fi
OUT=$("$BENCH" --reps 3) || exit 1
echo "$OUT"
if ! "$PYTHON" -c "import torch, numpy" 2>/dev/null; then
    echo "SKIP: run_mlp: PyTorch not installed for $PYTHON (Debian: python3-torch); no ratio"
    exit 0
fi
DATA=${NEUROTOP_DATA:-data}/mnist10k
REF=$(DATA="$DATA" OMP_NUM_THREADS=1 "$PYTHON" - <<'EOF'
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
    with gzip.open(os.path.join(os.environ["DATA"], "train-labels-idx1-ubyte.gz")) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)[:8000].astype(np.int64)
else:
    rng = np.random.default_rng(7)
    x = (rng.random((8000, 784)) < 0.19) * rng.random((8000, 784))
    y = rng.integers(0, 10, 8000)
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
