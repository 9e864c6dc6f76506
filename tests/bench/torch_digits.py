"""The first 8,000 bundled training digits for the PyTorch references of
make bench (tests/bench/run_*.sh), or random stand-ins of the same shape
when the data folder is missing. One thread, seed 1, as neurotop's side."""
import gzip
import os

import numpy as np
import torch


def load(n=8000):
    torch.set_num_threads(1)
    torch.manual_seed(1)
    data = os.environ["DATA"]
    path = os.path.join(data, "train-images-idx3-ubyte.gz")
    if os.path.exists(path):
        with gzip.open(path) as f:
            raw = f.read()
        count = int.from_bytes(raw[4:8], "big")
        x = np.frombuffer(raw, np.uint8, offset=16).reshape(count, 784)[:n] / np.float32(255)
        with gzip.open(os.path.join(data, "train-labels-idx1-ubyte.gz")) as f:
            y = np.frombuffer(f.read(), np.uint8, offset=8)[:n].astype(np.int64)
    else:
        rng = np.random.default_rng(7)
        x = (rng.random((n, 784)) < 0.19) * rng.random((n, 784))
        y = rng.integers(0, 10, n)
    return x, y
