// Flat, snake_case metric sets (the names gates and the history use) from classification, regression and
// trading reports, plus the column conventions evaluate reads them from.

import { classificationMetricSet, classificationReport } from "../metrics/classification.js";
import { regressionMetricSet, regressionReport } from "../metrics/regression.js";
import type { TradingReport } from "../metrics/trading.js";

/** Metric name -> value; NaN is undefined (zero rows, one class): JSON writes null, tables "n/a". */
export type MetricSet = Record<string, number>;

export const CLASSIFICATION_METRICS = [
  "accuracy",
  "precision",
  "recall",
  "f1",
  "positive_accuracy",
  "negative_accuracy",
  "roc_auc",
  "roc_auc_hard",
  "log_loss",
  "overall_score",
  "true_negatives",
  "false_positives",
  "false_negatives",
  "true_positives",
] as const;

export const REGRESSION_METRICS = [
  "mse",
  "rmse",
  "mae",
  "mape",
  "smape",
  "r2",
  "directional_accuracy",
] as const;

export const TRADING_METRICS = [
  "total_pnl",
  "total_return",
  "cagr",
  "volatility",
  "sharpe",
  "sortino",
  "max_drawdown",
  "max_drawdown_duration",
  "calmar",
  "hit_rate",
  "profit_factor",
  "exposure",
  "turnover",
  "trades",
  "average_holding_period",
  "benchmark_total_return",
  "excess_return",
] as const;

/** Every metric name a gate may use. */
export const KNOWN_METRICS: ReadonlySet<string> = new Set<string>([
  ...CLASSIFICATION_METRICS,
  ...REGRESSION_METRICS,
  ...TRADING_METRICS,
  "rows",
]);

/** Column names evaluate recognises, in order of preference. */
export const LABEL_COLUMNS = ["label", "actual", "y_true", "y", "target", "up_down_tm", "up_down_1wk"];
/** A forecast's realised value; a row's own price is not one (it is the value before the forecast step). */
export const REGRESSION_ACTUAL_COLUMNS = ["actual", "y_true", "y"];

/** Rows where every given column is finite (metrics skip warm-up and the unlabelled last rows). */
export function finiteRows(columns: readonly Float64Array[]): Uint32Array {
  const n = columns[0]?.length ?? 0;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (columns.every((c) => Number.isFinite(c[i]))) keep.push(i);
  return Uint32Array.from(keep);
}

function pick(values: Float64Array, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

/**
 * Classification metrics on rows with a label and a prediction (and a probability when given).
 * @example classificationMetrics(label, pred, proba).roc_auc
 */
export function classificationMetrics(
  label: Float64Array,
  pred: Float64Array,
  proba: Float64Array | null,
): MetricSet {
  const rows = finiteRows(proba ? [label, pred, proba] : [label, pred]);
  const r = classificationReport(pick(label, rows), pick(pred, rows), proba ? pick(proba, rows) : undefined);
  return { ...classificationMetricSet(r) };
}

/** Regression metrics (sMAPE as seed 003 defines it) on rows where both are finite. */
export function regressionMetrics(actual: Float64Array, pred: Float64Array): MetricSet {
  const rows = finiteRows([actual, pred]);
  return { ...regressionMetricSet(regressionReport(pick(actual, rows), pick(pred, rows))) };
}

/** TradingReport's fields in the snake_case every output uses (`bars` is the shared `rows`). */
const TRADING_NAMES: readonly [keyof TradingReport, string][] = [
  ["bars", "rows"],
  ["totalPnl", "total_pnl"],
  ["totalReturn", "total_return"],
  ["cagr", "cagr"],
  ["volatility", "volatility"],
  ["sharpe", "sharpe"],
  ["sortino", "sortino"],
  ["maxDrawdown", "max_drawdown"],
  ["maxDrawdownDuration", "max_drawdown_duration"],
  ["calmar", "calmar"],
  ["hitRate", "hit_rate"],
  ["profitFactor", "profit_factor"],
  ["exposure", "exposure"],
  ["turnover", "turnover"],
  ["trades", "trades"],
  ["averageHoldingPeriod", "average_holding_period"],
];

/**
 * A trading report (or the part of one a combined line has) in snake_case, with the buy-and-hold comparison
 * when given. A window of zero bars has no return, drawdown or trade count: every metric but `rows` is NaN.
 * @example tradingMetricSet(result.test.strategy, result.test.buyAndHold).total_return
 */
export function tradingMetricSet(
  report: Partial<TradingReport>,
  benchmark?: Partial<TradingReport>,
): MetricSet {
  const empty = report.bars === 0;
  const out: MetricSet = {};
  for (const [key, name] of TRADING_NAMES) {
    const value = report[key];
    if (typeof value === "number") out[name] = empty && key !== "bars" ? Number.NaN : value;
  }
  if (benchmark && typeof report.totalReturn === "number" && typeof benchmark.totalReturn === "number") {
    out.benchmark_total_return = empty ? Number.NaN : benchmark.totalReturn;
    out.excess_return = empty ? Number.NaN : report.totalReturn - benchmark.totalReturn;
  }
  return out;
}

/** True when every finite value is 0 or 1 (a class prediction rather than a forecast). */
export function isBinary(values: Float64Array): boolean {
  for (const v of values) if (Number.isFinite(v) && v !== 0 && v !== 1) return false;
  return true;
}
