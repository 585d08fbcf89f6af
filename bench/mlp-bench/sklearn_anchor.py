#!/usr/bin/python3
# scikit-learn anchor for bench/mlp-bench: MLPClassifier(hidden_layer_sizes=(100,)) with its defaults (relu,
# adam, alpha 1e-4, batch 200) for exactly `epochs` epochs (n_iter_no_change above max_iter: no early stop) on
# the same table and split as tsml-fit.mjs. Prints one JSON line.
# Usage: /usr/bin/python3 bench/mlp-bench/sklearn_anchor.py PREFIX [epochs=50]
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

warnings.simplefilter("ignore", ConvergenceWarning)
prefix = sys.argv[1]
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
y = np.fromfile(prefix + ".y.f64", dtype="<f8")
X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(-1, len(y)).T.copy()
cut = int(len(y) * 0.75)
t = time.perf_counter()
model = MLPClassifier(hidden_layer_sizes=(100,), max_iter=epochs, n_iter_no_change=epochs + 1, random_state=0)
model.fit(X[:cut], y[:cut])
fit = time.perf_counter() - t
print(json.dumps({"sklearn": sklearn.__version__, "epochs": model.n_iter_, "fit_seconds": fit,
                  "test_accuracy": model.score(X[cut:], y[cut:])}))
