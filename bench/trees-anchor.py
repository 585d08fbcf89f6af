# Python anchors for bench/trees-bench.js: scikit-learn RandomForest and xgboost hist on the same table.
# Usage: /usr/bin/python3 bench/trees-anchor.py rf|et|gbdt|dtab PREFIX  (whole process timed by the caller)
import sys
import time

import numpy as np

t0 = time.time()
model, prefix = sys.argv[1], sys.argv[2]
y = np.fromfile(prefix + ".y.f64", dtype="<f8")
X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(-1, y.size).T.copy()
cut = int(0.75 * y.size)
if model == "rf":
    from sklearn.ensemble import RandomForestClassifier

    clf = RandomForestClassifier(n_estimators=100, max_depth=8, max_features=0.3, n_jobs=2, random_state=0)
elif model == "et":
    from sklearn.ensemble import ExtraTreesClassifier

    clf = ExtraTreesClassifier(n_estimators=100, max_depth=8, max_features=0.3, n_jobs=2, random_state=0)
elif model == "gbdt":
    import xgboost as xgb

    clf = xgb.XGBClassifier(
        n_estimators=200, max_depth=6, learning_rate=0.1, tree_method="hist", max_bin=256, n_jobs=2
    )
elif model == "dtab":
    from sklearn.ensemble import AdaBoostClassifier

    clf = AdaBoostClassifier(n_estimators=50, learning_rate=1.0, algorithm="SAMME", random_state=0)
else:
    raise SystemExit("model must be rf, et, gbdt or dtab")
t1 = time.time()
c1 = time.process_time()
clf.fit(X[:cut], y[:cut])
t2 = time.time()
c2 = time.process_time()
acc = float((clf.predict(X[cut:]) == y[cut:]).mean())
print(f"{model} fit {t2 - t1:.3f}s (cpu {c2 - c1:.3f}s) accuracy {acc:.4f} (load+import {t1 - t0:.3f}s)")
