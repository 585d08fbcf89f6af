// Which metrics a table yields: classification from 0/1 predictions with labels, regression from forecasts
// with actuals, trading metrics from a backtest's test window; `last` keeps the most recent N scored rows.

import { DataError } from "../core/errors.js";
import type { Frame } from "../frame/frame.js";
import { tradingMetrics } from "../metrics/trading.js";
import {
  classificationMetrics,
  finiteRows,
  isBinary,
  LABEL_COLUMNS,
  type MetricSet,
  REGRESSION_ACTUAL_COLUMNS,
  regressionMetrics,
  tradingMetricSet,
} from "./metric-sets.js";

export type EvaluationKind = "classification" | "regression" | "trading";

export interface TableEvaluation {
  kind: EvaluationKind;
  metrics: MetricSet;
  /** First and last date of the rows scored (epoch ms), NaN when none. */
  from: number;
  to: number;
}

export interface EvaluateOptions {
  /** Score only the most recent N rows that can be scored (seed 003: 120 for the LSTM, 40 for the classifier). */
  last?: number;
  /** Only rows at or after this time (a backtest's test window). */
  from?: number;
}

function lastRows(rows: Uint32Array, last: number | undefined): Uint32Array {
  return last !== undefined && last < rows.length ? rows.subarray(rows.length - last) : rows;
}

function take(values: Float64Array, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

function firstPresent(frame: Frame, names: readonly (string | undefined)[]): string | null {
  for (const n of names) if (n && frame.has(n)) return n;
  return null;
}

/**
 * Predictions (`pred` or `prediction`, optional `proba`/`probability`) against the label column named in
 * `details.target` or `details.label`, else the first of label, actual, y_true, y, target, up_down_tm,
 * up_down_1wk. A non-0/1 prediction is a forecast (regression), scored against `actual`.
 */
export function evaluatePredictions(
  frame: Frame,
  details: Record<string, unknown>,
  label: string,
  options: EvaluateOptions = {},
): TableEvaluation {
  const predName = firstPresent(frame, ["pred", "prediction", "forecast", "yhat"]);
  if (!predName)
    throw new DataError(
      `${label}: no pred column (columns: ${frame.columnNames.join(", ")})`,
      "evaluate the output of tsml predict",
    );
  const pred = frame.get(predName);
  const detailLabel = [details.target, details.label].find((v): v is string => typeof v === "string");
  const task = details.task === "regression" || !isBinary(pred) ? "regression" : "classification";
  const candidates =
    task === "regression"
      ? // Not details.target: in a forecast table that column is the value the forecast was made after.
        [details.actual as string | undefined, ...REGRESSION_ACTUAL_COLUMNS]
      : [detailLabel, ...LABEL_COLUMNS];
  const actualName = firstPresent(frame, candidates);
  if (!actualName) {
    throw new DataError(
      `${label}: no ${task === "regression" ? "actual" : "label"} column to score ${predName} against (columns: ${frame.columnNames.join(", ")})`,
      "keep the label in the predictions (tsml predict does when the features have it)",
    );
  }
  const actual = frame.get(actualName);
  const probaName = task === "classification" ? firstPresent(frame, ["proba", "probability"]) : null;
  const proba = probaName ? frame.get(probaName) : null;
  let rows = finiteRows(proba ? [actual, pred, proba] : [actual, pred]);
  const from = options.from;
  if (from !== undefined) rows = rows.filter((i) => frame.time[i] >= from);
  rows = lastRows(rows, options.last);
  const metrics =
    task === "classification"
      ? classificationMetrics(take(actual, rows), take(pred, rows), proba ? take(proba, rows) : null)
      : regressionMetrics(take(actual, rows), take(pred, rows));
  return {
    kind: task,
    metrics,
    from: rows.length ? frame.time[rows[0]] : Number.NaN,
    to: rows.length ? frame.time[rows[rows.length - 1]] : Number.NaN,
  };
}

/**
 * Trading metrics of a backtest artifact's rows from `options.from` (its test window) or its last N scored
 * rows, against buy-and-hold; the window starts from the backtest's capital.
 */
export function evaluateBacktest(
  frame: Frame,
  label: string,
  options: EvaluateOptions = {},
): TableEvaluation {
  for (const name of ["profit", "position", "price", "equity"]) {
    if (!frame.has(name))
      throw new DataError(`${label}: not a backtest table (no ${name} column)`, "run tsml backtest first");
  }
  const profit = frame.get("profit");
  const equity = frame.get("equity");
  let start = 0;
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  while (start < frame.length && frame.time[start] < from) start++;
  let end = frame.length;
  if (options.last !== undefined) {
    // The last row has no next-day price change; the most recent N scored rows end before it.
    while (end > start && !Number.isFinite(profit[end - 1])) end--;
    start = Math.max(start, end - options.last);
  }
  // Every window starts from the backtest's capital, as tsml backtest's own train/test metrics do (and as
  // seed 000's test cumulative profit restarts from 0), so both commands report the same test numbers.
  const capitalAt = (series: Float64Array, p: Float64Array) => series[0] - (Number.isFinite(p[0]) ? p[0] : 0);
  const window = (values: Float64Array) => values.subarray(start, end);
  const report = tradingMetrics({
    profit: window(profit),
    position: window(frame.get("position")),
    price: window(frame.get("price")),
    capital: capitalAt(equity, profit),
  });
  let benchmark: ReturnType<typeof tradingMetrics> | undefined;
  if (frame.has("benchmark_equity")) {
    const bench = frame.get("benchmark_equity");
    const benchProfit = new Float64Array(frame.length);
    for (let i = 1; i < frame.length; i++) benchProfit[i] = bench[i] - bench[i - 1];
    // Row 0's benchmark P&L is recovered from the strategy's starting capital (both start from it).
    benchProfit[0] = bench[0] - (equity[0] - (Number.isFinite(profit[0]) ? profit[0] : 0));
    benchmark = tradingMetrics({
      profit: window(benchProfit),
      position: new Float64Array(end - start).fill(1),
      price: window(frame.get("price")),
      capital: capitalAt(bench, benchProfit),
    });
  }
  return {
    kind: "trading",
    metrics: tradingMetricSet(report, benchmark),
    from: end > start ? frame.time[start] : Number.NaN,
    to: end > start ? frame.time[end - 1] : Number.NaN,
  };
}
