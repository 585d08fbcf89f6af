#!/usr/bin/env python3
"""Anchor for bench/backtest-bench: seed 000's pandas backtest block run per ticker, compute only.

Reads the CSV from make-data.mjs (not timed), then times, for every ticker, exactly the seed's block:
positions, buy/sell flags, profit = position x delta_tm, cumulative profit split at date_test.
Usage: /usr/bin/python3 bench/backtest-bench/seed-backtest.py DATA_DIR/features.csv [date_test]
"""
import sys
import time

import numpy as np
import pandas as pd

df_all = pd.read_csv(sys.argv[1], parse_dates=["date"]).rename(columns={"date": "time"})
date_test = sys.argv[2] if len(sys.argv) > 2 else "2010-01-01"
groups = [g.copy() for _, g in df_all.groupby("ticker", sort=False)]
n_shares = 100

start = time.perf_counter()
for df in groups:
    df["pred"] = df["macd_binary"]
    df["position"] = np.where(df["pred"] == 1, n_shares, 0)
    df["buy"] = np.where((df["position"] == n_shares) & (df["position"].shift(1) != n_shares), 1, 0)
    df["sell"] = np.where((df["position"] != n_shares) & (df["position"].shift(1) == n_shares), 1, 0)
    df["profit"] = df["position"] * df["delta_tm"]
    df["profit_cumul_train"] = df.loc[df["time"] < date_test, "profit"].cumsum()
    df["profit_cumul_test"] = df.loc[df["time"] >= date_test, "profit"].cumsum()
elapsed = time.perf_counter() - start
print(f"pandas seed backtest, {len(groups)} tickers, {len(df_all)} rows, compute only: {elapsed:.3f} s")
print(f"ANCHOR_SECONDS={elapsed:.4f}")
