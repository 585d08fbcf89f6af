# scikit-learn anchor for `tsml train --model rf --tune`: seed 000's feature_engineering on the bundled S&P 500
# (vega-datasets sp500-2000.csv), rows before 2016-01-01, Pipeline(StandardScaler, RandomForestClassifier),
# seed 000's rf grid, GridSearchCV(cv=TimeSeriesSplit(5), n_jobs=2), target up_down_1wk, the 21 tsml features.
# Usage: /usr/bin/python3 bench/grid-anchor.py node_modules/vega-datasets/data/sp500-2000.csv
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")
t0 = time.time()
raw = pd.read_csv(sys.argv[1])
df = pd.DataFrame({"time": pd.to_datetime(raw["date"]), "price": raw["close"].astype(float),
                   "high": raw["high"].astype(float), "low": raw["low"].astype(float),
                   "volume": raw["volume"].astype(float)})
df["price_prev"] = df["price"].shift(1).bfill()
df["delta"] = df["price"] - df["price_prev"]
df["rt"] = df["delta"] / df["price_prev"]
for k in range(1, 6):
    df[f"rt{k}"] = df["rt"].shift(k)
df["price_1wk"] = df["price"].shift(-7)
df["up_down_1wk"] = np.where(df["price_1wk"] > df["price"], 1, 0)
m12 = df["price"].ewm(span=12, adjust=False).mean()
m26 = df["price"].ewm(span=26, adjust=False).mean()
df["macd"] = m12 - m26
df["macd_signal"] = df["macd"].ewm(span=9, adjust=False).mean()
df["macd_delta"] = df["macd"] - df["macd_signal"]
df["macd_change_dod"] = df["macd_delta"] - df["macd_delta"].shift(1)
df["macd_binary"] = np.where(df["macd"] > df["macd_signal"], 1, 0)
up = pd.Series(np.where(df["delta"] > 0, df["delta"], 0))
down = pd.Series(np.where(df["delta"] < 0, df["delta"], 0))
df["RSI"] = 100.0 - 100.0 / (1.0 + up.rolling(14, min_periods=1).mean() / down.abs().rolling(14, min_periods=1).mean())
df["CCI"] = (df["price"] - df["price"].rolling(3, min_periods=1).mean()) / (0.015 * df["price"].rolling(3, min_periods=1).std())
distance = (df["high"] + df["low"]) / 2 - (df["high"].shift(1).bfill() + df["low"].shift(1).bfill()) / 2
df["EMV"] = distance / ((df["volume"] / 100_000_000) / (df["high"] - df["low"]))
df["FI"] = df["delta"] * df["volume"]
features = ["price", "high", "low", "volume", "price_prev", "delta", "rt", "rt1", "rt2", "rt3", "rt4", "rt5",
            "macd", "macd_signal", "macd_delta", "macd_change_dod", "macd_binary", "RSI", "CCI", "EMV", "FI"]
df = df.replace([np.inf, -np.inf], np.nan).dropna(subset=features + ["price_1wk"])
train = df[df["time"] < "2016-01-01"]
grid = [{"rf__n_estimators": [100, 200], "rf__max_features": ["auto", "sqrt", "log2"], "rf__max_depth": [2, 4, 8]}]
pipe = Pipeline([("scale", StandardScaler()), ("rf", RandomForestClassifier())])
t1 = time.time()
gs = GridSearchCV(pipe, grid, scoring="accuracy", cv=TimeSeriesSplit(n_splits=5), n_jobs=2, return_train_score=True)
gs.fit(train[features].values, train["up_down_1wk"].values)
print(f"rows {len(train)}, best {gs.best_params_} cv accuracy {gs.best_score_:.4f}, grid search {time.time() - t1:.2f} s")
