#!/bin/sh
# `analyze mapper` against KeplerMapper on one point cloud: 10 units × 5,000
# steps in 100-D (each unit drifts from the origin along its own direction
# with a random walk on top, as bench_mapper's), filter = L2 norm, 15
# intervals, overlap 0.4, single linkage at eps = 5% of the largest norm
# (KeplerMapper: scikit-learn's DBSCAN with min_samples=1, which is single
# linkage). Prints both wall times (neurotop's includes reading the .npy and
# writing the JSON) and both graphs' counts. KeplerMapper defines overlap
# differently (perc_overlap of the cube width added on each side), so the
# counts may differ by a few vertices. Needs NumPy; KeplerMapper is not a
# Debian package (pip install kmapper), and the comparison is skipped
# without it.
: "${NEUROTOP:=./neurotop}"
: "${PYTHON:=/usr/bin/python3}"
if ! "$PYTHON" -c "import numpy" 2>/dev/null; then
    echo "SKIP: run_mapper: NumPy not installed for $PYTHON (Debian: python3-numpy)"
    exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
EPS=$("$PYTHON" - "$T/cloud.npy" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(15)
units, steps, dim = 10, 5000, 100
pts = []
for u in range(units):
    d = rng.standard_normal(dim)
    d /= np.linalg.norm(d)
    walk = np.cumsum(0.003 * rng.standard_normal((steps, dim)), axis=0)
    pts.append(walk + (5.0 * np.arange(steps) / steps)[:, None] * d)
x = np.concatenate(pts)
np.save(sys.argv[1], x)
print(0.05 * np.linalg.norm(x, axis=1).max())
PY
) || exit 1
s=$(date +%s.%N)
"$NEUROTOP" analyze mapper --points "$T/cloud.npy" --filter norm --intervals 15 --overlap 0.4 --eps "$EPS" \
    >"$T/mapper.json" || exit 1
e=$(date +%s.%N)
ours=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')
counts=$("$PYTHON" -c "
import json, sys
g = json.load(open(sys.argv[1]))
print(g['n_vertices'], 'vertices,', g['n_edges'], 'edges,', g['leaves'], 'leaves')" "$T/mapper.json")
echo "result analyze mapper on 10 x 5000 points in 100-D: $ours s wall ($counts)"
if ! "$PYTHON" -c "import kmapper, sklearn" 2>/dev/null; then
    echo "SKIP: run_mapper: KeplerMapper not installed for $PYTHON (pip install kmapper); no comparison"
    exit 0
fi
"$PYTHON" - "$T/cloud.npy" "$EPS" "$ours" <<'PY'
import sys, time, warnings
import numpy as np
import kmapper as km
from sklearn.cluster import DBSCAN
warnings.filterwarnings("ignore")
x = np.load(sys.argv[1]); eps = float(sys.argv[2]); ours = float(sys.argv[3])
t0 = time.perf_counter()
mapper = km.KeplerMapper(verbose=0)
lens = np.linalg.norm(x, axis=1).reshape(-1, 1)
g = mapper.map(lens, x, cover=km.Cover(n_cubes=15, perc_overlap=0.4), clusterer=DBSCAN(eps=eps, min_samples=1))
dt = time.perf_counter() - t0
edges = sum(len(v) for v in g["links"].values())
print("result KeplerMapper on the same cloud: %.3f s (%d vertices, %d edges)" % (dt, len(g["nodes"]), edges))
print("ratio KeplerMapper / neurotop wall time: %.2f" % (dt / ours))
PY
