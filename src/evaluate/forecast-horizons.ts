// Scoring k-step sequence forecasts per horizon over one test window, shared by `tsml evaluate` and the
// sequence trainer's own test metrics so both score the same rows with the same formulas.

import { isoDate } from "../frame/dates.js";
import { type MetricSet, REGRESSION_METRICS, regressionMetrics } from "./metric-sets.js";

/**
 * One forecast per row, made at the close of `time[i]` after the target value `origin[i]`.
 * `predictions[h - 1][i]` forecasts `actuals[h - 1][i]`, the target h bars later (NaN while unknown);
 * `nextTime[i]` is the date of the bar right after row i (NaN when there is none yet).
 */
export interface ForecastRows {
  time: Float64Array;
  nextTime: Float64Array;
  origin: Float64Array;
  predictions: readonly Float64Array[];
  actuals: readonly Float64Array[];
}

export interface WindowOptions {
  /** The split date (epoch ms): rows whose next bar is before it are training-period forecasts. */
  from?: number;
  /** Keep only the most recent N scorable rows (per horizon). */
  last?: number;
}

export interface HorizonEvaluation {
  /** Steps ahead, 1..H. */
  h: number;
  metrics: MetricSet;
  /** First and last forecast date (the close each was made at) scored, epoch ms; NaN when none. */
  from: number;
  to: number;
}

/**
 * The test-window rule for sequence forecasts. A forecast is out of sample when everything it uses was known at
 * the close it is made at: the model is fitted on the bars before the split date, so the first such forecast is
 * made at the close of the last training bar, i.e. the bar after it is on or after the split. From there every
 * forecast counts, for every horizon, once its target is known (all `required` columns finite).
 * @example testWindowRows(nextTime, [actual, pred], { from: Date.UTC(2019, 5, 1) })
 */
export function testWindowRows(
  nextTime: Float64Array,
  required: readonly Float64Array[],
  options: WindowOptions = {},
): Uint32Array {
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const keep: number[] = [];
  for (let i = 0; i < nextTime.length; i++) {
    if (!(nextTime[i] >= from)) continue;
    if (required.every((c) => Number.isFinite(c[i]))) keep.push(i);
  }
  const rows = Uint32Array.from(keep);
  const last = options.last;
  return last !== undefined && last < rows.length ? rows.subarray(rows.length - last) : rows;
}

function pick(values: Float64Array, rows: Uint32Array): Float64Array {
  return Float64Array.from(rows, (i) => values[i]);
}

/**
 * Regression metrics of one horizon's forecasts (sMAPE as seed 003 defines it), with the direction measured from
 * the price the forecast was made after: share of rows where sign(F - A_origin) == sign(A_target - A_origin).
 * (The generic directional accuracy measures from the previous row's actual, which for h > 1 is a price that
 * was not known when the forecast was made.)
 */
export function forecastMetrics(origin: Float64Array, actual: Float64Array, pred: Float64Array): MetricSet {
  const metrics = regressionMetrics(actual, pred);
  let hits = 0;
  for (let i = 0; i < actual.length; i++)
    if (Math.sign(pred[i] - origin[i]) === Math.sign(actual[i] - origin[i])) hits++;
  metrics.directional_accuracy = actual.length === 0 ? Number.NaN : hits / actual.length;
  return metrics;
}

/**
 * Metrics per horizon h = 1..H on the test window (`testWindowRows`), each against the recorded target h bars
 * after the forecast's close.
 * @example scoreForecastHorizons(rows, { from: splitMs }).map((e) => e.metrics.smape)
 */
export function scoreForecastHorizons(table: ForecastRows, options: WindowOptions = {}): HorizonEvaluation[] {
  return table.predictions.map((pred, k) => {
    const actual = table.actuals[k];
    const rows = testWindowRows(table.nextTime, [table.origin, actual, pred], options);
    return {
      h: k + 1,
      metrics: forecastMetrics(pick(table.origin, rows), pick(actual, rows), pick(pred, rows)),
      from: rows.length ? table.time[rows[0]] : Number.NaN,
      to: rows.length ? table.time[rows[rows.length - 1]] : Number.NaN,
    };
  });
}

const HORIZON_NAME = /^([a-z0-9_]+?)_h([1-9][0-9]*)$/;
const PER_HORIZON: ReadonlySet<string> = new Set<string>(["rows", ...REGRESSION_METRICS]);

/**
 * `smape_h5` -> { metric: "smape", h: 5 }; null for names that are not a per-horizon forecast metric.
 * @example parseHorizonMetric("rmse_h2") // { metric: "rmse", h: 2 }
 */
export function parseHorizonMetric(name: string): { metric: string; h: number } | null {
  const m = HORIZON_NAME.exec(name);
  return m && PER_HORIZON.has(m[1]) ? { metric: m[1], h: Number(m[2]) } : null;
}

/** A set of metric names that also answers `has` for every per-horizon name (`smape_h5`, `rows_h12`). */
class WithHorizonNames extends Set<string> {
  override has(name: string): boolean {
    return super.has(name) || parseHorizonMetric(name) !== null;
  }
}

/**
 * The known metric names for gates and `--metric`, plus `<metric>_h<k>` for the per-horizon forecast metrics.
 * @example withHorizonNames(KNOWN_METRICS).has("smape_h5") // true
 */
export function withHorizonNames(known: Iterable<string>): ReadonlySet<string> {
  return new WithHorizonNames(known);
}

/** True for a metric every horizon has (`smape`, `rows`, ...): a bare gate on it is checked per horizon. */
export function isHorizonMetric(name: string): boolean {
  return PER_HORIZON.has(name);
}

/**
 * The flat metric names evaluate records: bare (`smape`) for a one-step forecast, `smape_h1`..`smape_hH` otherwise.
 * @example flattenHorizons(horizons) // { rows_h1: 120, smape_h1: 2.1, ..., smape_h5: 4.7 }
 */
export function flattenHorizons(horizons: readonly HorizonEvaluation[]): MetricSet {
  if (horizons.length === 1) return { ...horizons[0].metrics };
  const out: MetricSet = {};
  for (const e of horizons) for (const [name, v] of Object.entries(e.metrics)) out[`${name}_h${e.h}`] = v;
  return out;
}

/** A horizon evaluation as written to JSON (dates as YYYY-MM-DD, null when no row was scored). */
export function horizonJson(e: HorizonEvaluation) {
  const date = (ms: number) => (Number.isFinite(ms) ? isoDate(ms) : null);
  return { h: e.h, from: date(e.from), to: date(e.to), metrics: e.metrics };
}
