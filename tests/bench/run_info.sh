#!/bin/sh
# Reference timings for bench_info: SciPy's linear_sum_assignment on a
# 1000 × 1000 uniform cost matrix, SciPy linprog (HiGHS) on a 150 × 150
# EMD transport, and a NumPy permutation test (784 entries, 10,000
# permutations), 1 thread. Optional: prints a note and exits 0 without SciPy.
: "${PYTHON:=/usr/bin/python3}"
if ! "$PYTHON" -c "import numpy, scipy" 2>/dev/null; then
    echo "SKIP: run_info: NumPy/SciPy not installed for $PYTHON; no reference timings"
    exit 0
fi
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PYTHON" - <<'PY'
import time
import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment, linprog

rng = np.random.default_rng(0)
def best(f, reps=3):
    t = []
    for _ in range(reps):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
    return min(t)

c = rng.random((1000, 1000))
print("reference scipy assign_1000x1000          %8.4f s" % best(lambda: linear_sum_assignment(c)))

def emd_problem():
    ia, ib = rng.choice(784, 150, replace=False), rng.choice(784, 150, replace=False)
    p, q = rng.random(150), rng.random(150)
    p, q = p / p.sum(), q / q.sum()
    d = np.hypot(*(np.divmod(ia, 28)[k][:, None] - np.divmod(ib, 28)[k][None, :] for k in (0, 1)))
    m = n = 150
    rows = np.concatenate([np.repeat(np.arange(m), n), m + np.tile(np.arange(n), m)])
    cols = np.concatenate([np.arange(m * n), np.arange(m * n)])
    a = sp.csr_matrix((np.ones(2 * m * n), (rows, cols)), shape=(m + n, m * n))
    return d.ravel(), a, np.concatenate([p, q])
d, a, beq = emd_problem()
print("reference scipy linprog emd_150x150       %8.4f s" %
      best(lambda: linprog(d, A_eq=a, b_eq=beq, bounds=(0, None), method="highs")))

x, y = rng.random(784), rng.random(784)
def perm():
    xc, yc = x - x.mean(), y - y.mean()
    idx = np.argsort(rng.random((10000, 784)), axis=1)
    return np.abs(yc[idx] @ xc)
print("reference numpy permtest_784x10000        %8.4f s" % best(perm))
PY
