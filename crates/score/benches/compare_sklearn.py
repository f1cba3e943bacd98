"""Side-by-side: per-pair tie features and a logistic-regression strength for every Higgs pair,
the way a data scientist would do it with NumPy and scikit-learn.

It computes a simpler model than rapport-score (count, decayed count and recency for each pair;
no shared connections, activity or intimacy tiers), so it is a lower bound on the work.
Run: bench/.venv/bin/python crates/score/benches/compare_sklearn.py [DATA_DIR]
"""
import gzip
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
with gzip.open(f"{data}/snap-higgs-twitter/higgs-activity_time.txt.gz", "rt") as f:
    rows = [line.split() for line in f]
src = np.array([int(r[0]) for r in rows], dtype=np.int64)
dst = np.array([int(r[1]) for r in rows], dtype=np.int64)
at = np.array([int(r[2]) for r in rows], dtype=np.int64)
as_of = at.max()


def features():
    low, high = np.minimum(src, dst), np.maximum(src, dst)
    keep = low != high
    key = (low[keep] << 32) | high[keep]
    pairs, inverse = np.unique(key, return_inverse=True)
    days = (as_of - at[keep]) / 86400.0
    count = np.bincount(inverse).astype(float)
    decayed = np.bincount(inverse, weights=0.955**days)
    last = np.full(len(pairs), np.inf)
    np.minimum.at(last, inverse, days)
    return pairs, np.column_stack([np.log1p(count), np.log1p(decayed), 0.955**last])


pairs, x = features()
labels = (x[:, 2] > 0.99).astype(int)  # Any labels will do: only the prediction is timed.
model = LogisticRegression().fit(x, labels)
times = []
for _ in range(5):
    start = time.perf_counter()
    pairs, x = features()
    strength = model.predict_proba(x)[:, 1]
    times.append(time.perf_counter() - start)
times.sort()
print(f"numpy+sklearn: strength for all {len(pairs)} pairs: min {times[0]*1000:.0f} ms, median {times[2]*1000:.0f} ms over 5 runs")
