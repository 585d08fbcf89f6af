// Derived series for the report: cumulative P&L (train, test, buy-and-hold) and predicted vs observed.

import type { Frame } from "../frame/frame.js";

/** Seed 000's profit_cumul_train / profit_cumul_test, plus buy-and-hold P&L from benchmark_equity. */
export function cumulativePnl(backtest: Frame, details: Record<string, unknown> | null) {
  const n = backtest.length;
  const cumul = (name: string): Float64Array => {
    if (backtest.has(name)) return backtest.get(name);
    return new Float64Array(n).fill(Number.NaN);
  };
  let buyAndHold: Float64Array | null = null;
  if (backtest.has("benchmark_equity")) {
    const bench = backtest.get("benchmark_equity");
    let capital = typeof details?.capital === "number" ? details.capital : Number.NaN;
    if (!Number.isFinite(capital) && backtest.has("equity") && backtest.has("profit")) {
      // equity = capital + cumulative profit, so capital is recoverable from any row.
      const equity = backtest.get("equity");
      const profit = backtest.get("profit");
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (Number.isFinite(profit[i])) sum += profit[i];
        if (Number.isFinite(equity[i])) {
          capital = equity[i] - sum;
          break;
        }
      }
    }
    if (!Number.isFinite(capital)) capital = bench.find((v) => Number.isFinite(v)) ?? 0;
    buyAndHold = new Float64Array(n);
    for (let i = 0; i < n; i++) buyAndHold[i] = bench[i] - capital;
  }
  return { train: cumul("profit_cumul_train"), test: cumul("profit_cumul_test"), buyAndHold };
}

const OBSERVED = ["observed", "actual", "y_true", "label", "target"];
const PREDICTED = ["pred", "prediction"];

/**
 * Predicted vs observed for sequence / regression models: only when the prediction holds non-class values
 * (for 0/1 classifiers the confusion matrix says more than a line chart). The observed series is the
 * predictions' own observed column, else the bars' close on the same dates.
 */
export function predictedVsObserved(predictions: Frame, bars: Frame | null) {
  const predictedName = PREDICTED.find((c) => predictions.has(c));
  if (!predictedName) return null;
  const predicted = predictions.get(predictedName);
  let continuous = false;
  for (let i = 0; i < predicted.length; i++) {
    const v = predicted[i];
    if (Number.isFinite(v) && v !== 0 && v !== 1 && v !== -1) {
      continuous = true;
      break;
    }
  }
  if (!continuous) return null;
  const observedName = OBSERVED.find((c) => predictions.has(c));
  if (observedName) return { time: predictions.time, predicted, observed: predictions.get(observedName) };
  const closeName = bars ? ["close", "adj_close", "price"].find((c) => bars.has(c)) : undefined;
  if (!bars || !closeName) return null;
  const close = bars.get(closeName);
  const observed = new Float64Array(predictions.length).fill(Number.NaN);
  // Both tables are sorted by time: one merge pass aligns them.
  let j = 0;
  for (let i = 0; i < predictions.length; i++) {
    const t = predictions.time[i];
    while (j < bars.length && bars.time[j] < t) j++;
    if (j < bars.length && bars.time[j] === t) observed[i] = close[j];
  }
  return { time: predictions.time, predicted, observed };
}
