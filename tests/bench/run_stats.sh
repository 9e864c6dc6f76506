#!/bin/sh
# Reference timings for bench_stats: the same computations in NumPy (Debian
# python3-numpy, 1 thread) on random data of the same shapes, so the
# bench_stats figures can be read against a familiar baseline. Optional:
# prints a note and exits 0 when NumPy is missing.
: "${PYTHON:=/usr/bin/python3}"
if ! "$PYTHON" -c "import numpy" 2>/dev/null; then
    echo "SKIP: run_stats: NumPy not installed for $PYTHON; no reference timings"
    exit 0
fi
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PYTHON" - <<'PY'
import time
import numpy as np

rng = np.random.default_rng(0)
def best(f, reps=5):
    t = []
    for _ in range(reps):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
    return 1e3 * min(t)

h = 1 / (1 + np.exp(-rng.normal(size=(2500, 200)) @ rng.normal(size=(200, 200)) * 0.2))
allx = rng.random((1000, 994))
print("reference numpy fc_windows_50x50_200u        %8.2f ms" %
      best(lambda: [np.corrcoef(h[s*50:(s+1)*50].T) for s in range(50)]))
print("reference numpy fc_whole_2500x200            %8.2f ms" % best(lambda: np.corrcoef(h.T)))
print("reference numpy entropy_1000x200 (slogdet)   %8.2f ms" %
      best(lambda: np.linalg.slogdet(np.cov(h[:1000].T))))
def pca():
    z = (allx - allx.mean(0)) / allx.std(0, ddof=1)
    return np.linalg.eigvalsh(z.T @ z / 999)
print("reference numpy pca_explained_1000x994_std   %8.2f ms" % best(pca, 3))
PY
