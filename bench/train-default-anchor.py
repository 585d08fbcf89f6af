# Anchors for bench/train-default-bench.sh that bench/trees-anchor.py and bench/ols-anchor.py do not cover:
# scikit-learn's MLPClassifier (hidden (100,), 50 epochs) and, where xgboost is not installed,
# HistGradientBoostingClassifier (200 rounds, depth 6, lr 0.1) in its place. Fit on the first 75%, score the rest.
# Usage: /usr/bin/python3 bench/train-default-anchor.py mlp|hgb PREFIX   (whole process timed by the caller)
import sys
import time
import warnings

import numpy as np

t0 = time.time()
model, prefix = sys.argv[1], sys.argv[2]
y = np.fromfile(prefix + ".y.f64", dtype="<f8")
X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(-1, y.size).T.copy()
cut = int(0.75 * y.size)
if model == "mlp":
    from sklearn.neural_network import MLPClassifier

    # 50 epochs do not converge; the warning says so and is not what is timed.
    warnings.filterwarnings("ignore")
    clf = MLPClassifier(hidden_layer_sizes=(100,), max_iter=50, random_state=0)
elif model == "hgb":
    from sklearn.ensemble import HistGradientBoostingClassifier

    clf = HistGradientBoostingClassifier(
        max_iter=200, max_depth=6, learning_rate=0.1, early_stopping=False, random_state=0
    )
else:
    raise SystemExit("model must be mlp or hgb")
t1 = time.time()
c1 = time.process_time()
clf.fit(X[:cut], y[:cut])
t2 = time.time()
c2 = time.process_time()
acc = float((clf.predict(X[cut:]) == y[cut:]).mean())
print(f"{model} fit {t2 - t1:.3f}s (cpu {c2 - c1:.3f}s) accuracy {acc:.4f} (load+import {t1 - t0:.3f}s)")
