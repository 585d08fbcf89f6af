#!/usr/bin/env python3
"""pandas anchor for bench/features-bench.mjs: seed 000's feature_engineering applied per ticker, compute only.

Usage: /usr/bin/python3 bench/features_pandas.py bars.csv [runs]; prints the best compute time in seconds last.
"""
import os
import sys
import time

import pandas as pd

# The one copy of seed 000's feature_engineering (verbatim apart from the Flask logger lines) lives with the
# reference fixtures that tsml's features are tested against; the anchor times that same code.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "features"))
from make_reference import feature_engineering  # noqa: E402


def main():
    panel = pd.read_csv(sys.argv[1]).rename(columns={"close": "price"})
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    # One frame per ticker with a fresh RangeIndex, as the seed receives it from its database query.
    frames = [g.drop(columns=["ticker"]).reset_index(drop=True) for _, g in panel.groupby("ticker", sort=False)]
    best = float("inf")
    for _ in range(runs):
        copies = [f.copy() for f in frames]
        t0 = time.perf_counter()
        out = [feature_engineering(f) for f in copies]
        best = min(best, time.perf_counter() - t0)
    print(f"rows out: {sum(len(o) for o in out)}", file=sys.stderr)
    print(f"{best:.4f}")


if __name__ == "__main__":
    main()
