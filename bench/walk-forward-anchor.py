# Anchor for bench/walk-forward-bench.mjs: scikit-learn's RandomForestClassifier (100 trees, max_features
# "sqrt", bootstrap: the defaults tsml's rf mirrors) refitted on the very windows tsml's walk-forward used, each
# predicting the probability of class 1 for its block, as tsml's refits do.
# Input (written by the bench): PREFIX.X.f64 (features, column-major), PREFIX.y.f64 (label, NaN = unknown),
# PREFIX.refits.i32 (trainStart, trainEnd, predictStart, predictEnd per refit, rows end-exclusive).
# Usage: /usr/bin/python3 bench/walk-forward-anchor.py PREFIX [n_jobs]
# Prints one JSON line: wall and CPU seconds of the refit loop (threads included), refits, out-of-sample accuracy.
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier

prefix = sys.argv[1]
jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
y = np.fromfile(prefix + ".y.f64", dtype="<f8")
X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(-1, y.size).T.copy()
refits = np.fromfile(prefix + ".refits.i32", dtype="<i4").reshape(-1, 4)
complete = np.isfinite(X).all(axis=1)
labelled = complete & np.isfinite(y)

wall = time.perf_counter()
cpu = time.process_time()
hits = 0
scored = 0
for train_start, train_end, predict_start, predict_end in refits:
    train = np.flatnonzero(labelled[train_start:train_end]) + train_start
    rows = np.flatnonzero(complete[predict_start:predict_end]) + predict_start
    clf = RandomForestClassifier(n_estimators=100, n_jobs=jobs, random_state=0)
    clf.fit(X[train], y[train])
    if rows.size == 0:
        continue
    proba = clf.predict_proba(X[rows])
    one = list(clf.classes_).index(1.0) if 1.0 in clf.classes_ else -1
    p1 = proba[:, one] if one >= 0 else np.zeros(rows.size)
    known = np.isfinite(y[rows])
    hits += int(((p1[known] > 0.5) == (y[rows][known] == 1)).sum())
    scored += int(known.sum())
print(
    json.dumps(
        {
            "seconds": time.perf_counter() - wall,
            "cpuSeconds": time.process_time() - cpu,
            "refits": int(refits.shape[0]),
            "accuracy": hits / scored if scored else None,
            "jobs": jobs,
        }
    )
)
