# Writes the synthetic 50,000 x 20 benchmark table for bench/trees-bench.js and the Python anchors.
# Usage: /usr/bin/python3 bench/trees-make-data.py PREFIX  ->  PREFIX.X.f64 (column-major float64), PREFIX.y.f64
import sys

import numpy as np

rng = np.random.default_rng(7)
n, p = 50000, 20
X = rng.standard_normal((n, p))
# A known nonlinear signal in 8 of the 20 columns; the rest are noise.
logit = (
    1.2 * X[:, 0]
    - 0.8 * X[:, 1]
    + 0.9 * X[:, 2] * X[:, 3]
    + np.sin(2 * X[:, 4])
    + 0.6 * (X[:, 5] > 0.5)
    - 0.5 * np.abs(X[:, 6])
    + 0.4 * X[:, 7] ** 2
    - 0.3
)
y = (rng.random(n) < 1 / (1 + np.exp(-2 * logit))).astype(np.float64)
prefix = sys.argv[1]
X.T.astype("<f8").tofile(prefix + ".X.f64")
y.astype("<f8").tofile(prefix + ".y.f64")
