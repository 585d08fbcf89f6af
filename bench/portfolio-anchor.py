#!/usr/bin/python3
"""Anchor for bench/portfolio-bench.mjs: the same panel (float64, ticker-major, written by the bench) backtested
the vectorised numpy way: every `rebalance` days the top k by score (argpartition), equal weights, held from the
next open to the open after the next rebalance; fractional units, no costs, no lots, no cash (the shortcuts a
vectorised backtest takes and tsml's engine does not). Prints JSON: seconds reading and computing, final growth.
Usage: /usr/bin/python3 bench/portfolio-anchor.py DIR TICKERS DAYS K REBALANCE
"""
import json
import sys
import time

import numpy as np

folder, tickers, days, k, rebalance = sys.argv[1], *map(int, sys.argv[2:6])
started = time.perf_counter()
score, close, open_ = (np.fromfile(f"{folder}/{name}.bin", dtype="<f8").reshape(tickers, days) for name in ("score", "close", "open"))
read = time.perf_counter() - started

started = time.perf_counter()
decisions = np.arange(0, days - 1, rebalance)
# Open-to-open growth of each ticker over each holding period (decision d holds from open d+1 to the next fill).
fills = decisions + 1
ends = np.r_[fills[1:], days - 1]
growth = open_[:, ends] / open_[:, fills]
masked = np.where(np.isfinite(score[:, decisions]), score[:, decisions], -np.inf)
top = np.argpartition(-masked, k - 1, axis=0)[:k]
period = np.take_along_axis(growth, top, axis=0).mean(axis=0)
equity = np.cumprod(np.nan_to_num(period, nan=1.0))
compute = time.perf_counter() - started
print(json.dumps({"readSeconds": read, "computeSeconds": compute, "growth": float(equity[-1])}))
