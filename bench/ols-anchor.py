# scikit-learn anchor for bench/ols-bench.js: LogisticRegression() (lbfgs, C=1) on the same table and split.
# Usage: /usr/bin/python3 bench/ols-anchor.py PREFIX
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

prefix = sys.argv[1]
y = np.fromfile(prefix + ".y.f64", dtype="<f8")
X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(-1, len(y)).T.copy()
cut = int(len(y) * 0.75)
t = time.time()
model = LogisticRegression().fit(X[:cut], y[:cut])
fit = time.time() - t
print(f"sklearn fit {fit:.3f} s, test accuracy {model.score(X[cut:], y[cut:]):.4f}")
