// Which metrics a table yields: classification from 0/1 predictions with labels, regression from forecasts
// with actuals, per-horizon metrics of sequence forecasts, trading metrics from a backtest's test window;
// `last` keeps the most recent N scored rows.

import { DataError } from "../core/errors.js";
import type { Frame } from "../frame/frame.js";
import { artifactWindow, type RecordedBacktest } from "../metrics/recorded-backtest.js";
import { tradingMetrics } from "../metrics/trading.js";
import type { SequenceModelName } from "../models/sequence/sequence-names.js";
import {
  type ForecastRows,
  flattenHorizons,
  type HorizonEvaluation,
  scoreForecastHorizons,
  testWindowRows,
} from "./forecast-horizons.js";
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
  /** Sequence forecasts: the column they forecast and the metrics per horizon (also flattened into `metrics`). */
  forecast?: ForecastSummary;
}

export interface ForecastSummary {
  /** The target column the forecasts were scored against. */
  target: string;
  /** False when the predictions' metadata did not record it and it was taken from the table's price column. */
  targetRecorded: boolean;
  /** Where the realised values came from: the table's own target column, or the workspace bars by date. */
  actuals: "table" | "bars";
  horizons: HorizonEvaluation[];
}

/** A ticker's target series by date (finite rows only), for forecast tables that do not carry it. */
export interface TargetSeries {
  time: Float64Array;
  values: Float64Array;
}

/**
 * What a predictions table recorded that scoring needs: its PredictionsDetails (artifacts/kinds), or the part of
 * them a caller knows (`-m` scores with the model's target only).
 */
export interface PredictionFacts {
  model?: string | null;
  task?: string | null;
  /** The label column (tabular), the forecast series (sequence). */
  target?: string | null;
  /** Sequence classifiers: the label column; null when the model derived its up/down label. */
  label?: string | null;
  horizon?: number | null;
  recursive?: number | null;
}

export interface EvaluateOptions {
  /** Score only the most recent N rows that can be scored (seed 003: 120 for the LSTM, 40 for the classifier). */
  last?: number;
  /** Only rows at or after this time (a backtest's test window). */
  from?: number;
  /** Backtests: the window rules the artifact recorded (recordedBacktest); absent for older artifacts. */
  backtest?: RecordedBacktest | null;
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
  details: PredictionFacts,
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
  const detailLabel = details.target ?? details.label ?? undefined;
  const task = details.task === "regression" || !isBinary(pred) ? "regression" : "classification";
  const candidates =
    task === "regression"
      ? // Not details.target: in a forecast table that column is the value the forecast was made after.
        REGRESSION_ACTUAL_COLUMNS
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

// Keyed by the model names so a new sequence model is a type error here until evaluate knows it (evaluate may
// import only types from the models stage).
const SEQUENCE_MODEL: Record<SequenceModelName, true> = {
  lstm: true,
  "lstm-clf": true,
  "dense-window": true,
};
const PRICE_COLUMNS = ["close", "price", "adj_close", "adjclose"];
const FORECAST_COLUMNS = ["prediction", "pred", "forecast", "yhat"];

/**
 * True for `tsml predict`'s sequence tables (its metadata names a sequence model) and for forecasts without a
 * realised-value column (`prediction_1..H`, or a non-0/1 `prediction`/`pred`): their outcome is the target
 * price h bars later.
 */
export function isSequenceTable(frame: Frame, details: PredictionFacts): boolean {
  if (typeof details.model === "string" && details.model in SEQUENCE_MODEL) return true;
  if (details.task === "classification" || REGRESSION_ACTUAL_COLUMNS.some((n) => frame.has(n))) return false;
  if (frame.has("prediction_1")) return true;
  const pred = firstPresent(frame, FORECAST_COLUMNS);
  return pred !== null && !isBinary(frame.get(pred));
}

/**
 * The column a sequence table forecasts: `details.target` as tsml predict records it, else (tables written
 * before it did, or by other tools) the table's close/price column, else close.
 */
export function sequenceTarget(frame: Frame, details: PredictionFacts): { name: string; recorded: boolean } {
  if (details.target) return { name: details.target, recorded: true };
  return { name: PRICE_COLUMNS.find((n) => frame.has(n)) ?? "close", recorded: false };
}

/**
 * The target series around each forecast row: the table's own target column when it has one (tsml predict
 * writes one row per consecutive bar of the series the model reads, so the value h rows later is the one h
 * bars later), else the bars joined by date.
 */
function targetContext(frame: Frame, target: string, bars: TargetSeries | null, label: string) {
  const n = frame.length;
  if (frame.has(target)) {
    const origin = frame.get(target);
    const later = (h: number) =>
      Float64Array.from(origin, (_, i) => (i + h < n ? origin[i + h] : Number.NaN));
    const nextTime = Float64Array.from(frame.time, (_, i) => (i + 1 < n ? frame.time[i + 1] : Number.NaN));
    return { origin, nextTime, later, source: "table" as const };
  }
  if (!bars)
    throw new DataError(
      `${label}: no "${target}" column and no bars for this ticker to take the realised values from`,
      `score forecasts next to their target column (tsml predict writes it), or ingest the bars into the workspace`,
    );
  const rowOf = new Map<number, number>();
  for (let i = 0; i < bars.time.length; i++) rowOf.set(bars.time[i], i);
  const rows = Float64Array.from(frame.time, (t) => rowOf.get(t) ?? Number.NaN);
  const at = (series: Float64Array, h: number) =>
    Float64Array.from(rows, (r) => (r + h < series.length ? series[r + h] : Number.NaN));
  return {
    origin: at(bars.values, 0),
    nextTime: at(bars.time, 1),
    later: (h: number) => at(bars.values, h),
    source: "bars" as const,
  };
}

/** The forecast columns: `prediction_1..H`, else one `prediction` (or `pred`, `forecast`, `yhat`). */
function forecastColumns(frame: Frame, details: PredictionFacts, label: string): Float64Array[] {
  const columns: Float64Array[] = [];
  if (frame.has("prediction_1")) {
    for (let h = 1; frame.has(`prediction_${h}`); h++) columns.push(frame.get(`prediction_${h}`));
  } else {
    const single = firstPresent(frame, FORECAST_COLUMNS);
    if (single) columns.push(frame.get(single));
  }
  if (columns.length === 0)
    throw new DataError(
      `${label}: no prediction column (columns: ${frame.columnNames.join(", ")})`,
      "evaluate the output of tsml predict",
    );
  const recorded = details.horizon;
  if (typeof recorded === "number" && recorded !== columns.length)
    throw new DataError(
      `${label}: the metadata records horizon ${recorded} but the table has ${columns.length} prediction column(s)`,
      "evaluate the table tsml predict wrote, unedited",
    );
  return columns;
}

/**
 * Sequence predictions scored against what they forecast. Forecasts (`lstm`): every horizon h = 1..H against the
 * recorded target h bars after the close the forecast was made at, on the test window of `testWindowRows`.
 * Up/down classifiers (`lstm-clf`, two-class `dense-window`): `pred`/`proba` against the recorded label column,
 * or, when the model derived its label (`details.label` null), whether the next target value is higher.
 */
export function evaluateSequencePredictions(
  frame: Frame,
  details: PredictionFacts,
  label: string,
  options: EvaluateOptions = {},
  bars: TargetSeries | null = null,
): TableEvaluation {
  if (typeof details.recursive === "number" && details.recursive > 0)
    throw new DataError(
      `${label}: recursive forecasts (predict --recursive) are dated at estimated future bars, not scored`,
      "evaluate the batch predictions: tsml predict -m FOLDER without --recursive",
    );
  const target = sequenceTarget(frame, details);
  const context = targetContext(frame, target.name, bars, label);
  // Tables written before predict recorded the task: the model name says it.
  const classifier =
    details.task === "classification" ||
    ((details.task ?? null) === null && (details.model === "lstm-clf" || details.model === "dense-window"));
  if (classifier) return evaluateSequenceClassifier(frame, details, label, options, context);
  const predictions = forecastColumns(frame, details, label);
  const table: ForecastRows = {
    time: frame.time,
    nextTime: context.nextTime,
    origin: context.origin,
    predictions,
    actuals: predictions.map((_, k) => context.later(k + 1)),
  };
  const horizons = scoreForecastHorizons(table, options);
  const dates = horizons.flatMap((e) => [e.from, e.to]).filter(Number.isFinite);
  return {
    kind: "regression",
    metrics: flattenHorizons(horizons),
    from: dates.length ? Math.min(...dates) : Number.NaN,
    to: dates.length ? Math.max(...dates) : Number.NaN,
    forecast: { target: target.name, targetRecorded: target.recorded, actuals: context.source, horizons },
  };
}

function evaluateSequenceClassifier(
  frame: Frame,
  details: PredictionFacts,
  label: string,
  options: EvaluateOptions,
  context: ReturnType<typeof targetContext>,
): TableEvaluation {
  const pred = frame.has("pred") ? frame.get("pred") : null;
  if (!pred) throw new DataError(`${label}: no pred column (columns: ${frame.columnNames.join(", ")})`);
  if (!isBinary(pred))
    throw new DataError(
      `${label}: predictions that are not 0/1 classes; evaluate scores two-class (0/1) predictions`,
      "the model's own test accuracy is in its tsml.json",
    );
  let truth: Float64Array;
  if (typeof details.label === "string") {
    if (!frame.has(details.label))
      throw new DataError(
        `${label}: no label column "${details.label}" (columns: ${frame.columnNames.join(", ")})`,
        "evaluate the table tsml predict wrote (it carries the label)",
      );
    truth = frame.get(details.label);
    // lstm-clf reads its label column as up when > 0 (a return or a 0/1 label alike), as the trainer does.
    if (details.model === "lstm-clf")
      truth = Float64Array.from(truth, (v) => (Number.isFinite(v) ? (v > 0 ? 1 : 0) : Number.NaN));
  } else if (details.model !== "lstm-clf") {
    throw new DataError(
      `${label}: the predictions do not record their label column`,
      "re-run tsml predict -m FOLDER (it records and carries the label)",
    );
  } else {
    // The model's own label: 1 when the next target value is higher (train --model lstm-clf without --label).
    const next = context.later(1);
    truth = Float64Array.from(next, (v, i) =>
      Number.isFinite(v) && Number.isFinite(context.origin[i]) ? (v > context.origin[i] ? 1 : 0) : Number.NaN,
    );
  }
  const proba = firstPresent(frame, ["proba", "probability"]);
  const p = proba ? frame.get(proba) : null;
  const rows = testWindowRows(context.nextTime, p ? [truth, pred, p] : [truth, pred], options);
  return {
    kind: "classification",
    metrics: classificationMetrics(take(truth, rows), take(pred, rows), p ? take(p, rows) : null),
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
  if (options.backtest) {
    // The artifact's own rules (starting equity, periods per year), so evaluate and backtest agree; a window
    // of k rows has k - 1 returns, so the last N returns need N + 1 rows.
    if (options.last !== undefined) start = Math.max(start, frame.length - options.last - 1);
    const columns = { profit, equity, position: frame.get("position"), price: frame.get("price") };
    const w = artifactWindow(columns, start, frame.length, options.backtest);
    return {
      kind: "trading",
      metrics: w ? tradingMetricSet(w.strategy, w.buyAndHold) : tradingMetricSet({ bars: 0 }),
      from: w ? frame.time[start] : Number.NaN,
      to: w ? frame.time[frame.length - 1] : Number.NaN,
    };
  }
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
