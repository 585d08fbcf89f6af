#!/usr/bin/env python3
"""pandas anchor for bench/features-bench.mjs: seed 000's feature_engineering applied per ticker, compute only.

Usage: /usr/bin/python3 bench/features_pandas.py bars.csv [runs]; prints the best compute time in seconds last.
"""
import sys
import time

import numpy as np
import pandas as pd


def feature_engineering(df):
    """seed 000, verbatim apart from the Flask logger lines."""
    df["price"] = pd.to_numeric(df["price"])
    df["high"] = pd.to_numeric(df["high"])
    df["low"] = pd.to_numeric(df["low"])
    df["volume"] = pd.to_numeric(df["volume"])
    df["price_prev"] = df["price"].shift(1).bfill()
    df["delta"] = df["price"] - df["price_prev"]
    df["delta_tm"] = df["delta"].shift(-1)
    df["rt"] = df["delta"] / df["price_prev"]
    df["rt1"] = df["rt"].shift(1)
    df["rt2"] = df["rt"].shift(2)
    df["rt3"] = df["rt"].shift(3)
    df["rt4"] = df["rt"].shift(4)
    df["rt5"] = df["rt"].shift(5)
    df["rt_tm"] = df["rt"].shift(-1)
    df["up_down_tm"] = np.where(df["rt_tm"] > 0, 1, 0)
    df["price_1wk"] = df["price"].shift(-7)
    df["up_down_1wk"] = np.where(df["price_1wk"] > df["price"], 1, 0)
    macd_12 = df["price"].ewm(span=12, adjust=False).mean()
    macd_26 = df["price"].ewm(span=26, adjust=False).mean()
    df["macd"] = macd_12 - macd_26
    df["macd_signal"] = df["macd"].ewm(span=9, adjust=False).mean()
    df["macd_delta"] = df["macd"] - df["macd_signal"]
    df["macd_change_dod"] = df["macd_delta"] - df["macd_delta"].shift(1)
    df["macd_binary"] = np.where(df["macd"] > df["macd_signal"], 1, 0)
    window_length = 14
    up = pd.Series(np.where(df["delta"] > 0, df["delta"], 0))
    down = pd.Series(np.where(df["delta"] < 0, df["delta"], 0))
    roll_up = up.rolling(window=window_length, min_periods=1).mean()
    roll_down = down.abs().rolling(window=window_length, min_periods=1).mean()
    df["RSI"] = 100.0 - (100.0 / (1.0 + (roll_up / roll_down)))
    df["CCI"] = (df["price"] - df["price"].rolling(3, min_periods=1).mean()) / (
        0.015 * df["price"].rolling(3, min_periods=1).std()
    )
    distance_moved = (df["high"] + df["low"]) / 2 - (df["high"].shift(1).bfill() + df["low"].shift(1).bfill()) / 2
    box_ratio = (df["volume"] / 100_000_000) / (df["high"] - df["low"])
    df["EMV"] = distance_moved / box_ratio
    df["FI"] = df["delta"] * df["volume"]
    df = df.replace([np.inf, -np.inf], np.nan)
    df = df.dropna()
    return df


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
