// Target-series scaling for sequence models: optional linear detrend, then z-score, both fitted on the
// training window only (rows before --split-date), and their inverse back to the original price scale.

import { DataError } from "../../core/errors.js";

const MS_PER_DAY = 86_400_000;

export interface SeriesTransformState {
  /** Linear trend in days since `originMs` (seed 004 regresses price on days since the first date). */
  trend: { slope: number; intercept: number; originMs: number } | null;
  mean: number;
  std: number;
}

/** Least-squares line through (days, value) over the first `rows` points. */
function fitLine(
  days: Float64Array,
  values: ArrayLike<number>,
  rows: number,
): { slope: number; intercept: number } {
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < rows; i++) {
    sx += days[i];
    sy += values[i];
  }
  const mx = sx / rows;
  const my = sy / rows;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < rows; i++) {
    sxy += (days[i] - mx) * (values[i] - my);
    sxx += (days[i] - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

/**
 * Fits the transform on rows [0, trainRows) of a series.
 * @example
 * const st = fitSeriesTransform(time, close, 1000, true); const z = applySeriesTransform(st, time, close);
 */
export function fitSeriesTransform(
  time: Float64Array,
  values: ArrayLike<number>,
  trainRows: number,
  detrend: boolean,
): SeriesTransformState {
  if (trainRows < 2)
    throw new DataError(`only ${trainRows} training rows`, "move --split-date later or add data");
  let trend: SeriesTransformState["trend"] = null;
  if (detrend) {
    const originMs = time[0];
    const days = Float64Array.from(time, (t) => (t - originMs) / MS_PER_DAY);
    trend = { ...fitLine(days, values, trainRows), originMs };
  }
  const residual = (i: number) => values[i] - trendAt(trend, time[i]);
  let sum = 0;
  for (let i = 0; i < trainRows; i++) sum += residual(i);
  const mean = sum / trainRows;
  let ss = 0;
  for (let i = 0; i < trainRows; i++) ss += (residual(i) - mean) ** 2;
  const std = Math.sqrt(ss / trainRows) || 1;
  return { trend, mean, std };
}

function trendAt(trend: SeriesTransformState["trend"], timeMs: number): number {
  return trend ? trend.intercept + (trend.slope * (timeMs - trend.originMs)) / MS_PER_DAY : 0;
}

/** Original scale -> model scale (float32, as fed to the network). */
export function applySeriesTransform(
  state: SeriesTransformState,
  time: Float64Array,
  values: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = (values[i] - trendAt(state.trend, time[i]) - state.mean) / state.std;
  return out;
}

/** Model scale -> original scale at time `timeMs`. */
export function invertSeriesTransform(state: SeriesTransformState, timeMs: number, z: number): number {
  return z * state.std + state.mean + trendAt(state.trend, timeMs);
}

/** The time step of a series (median gap), used to date recursive forecasts past the last row. */
export function medianStepMs(time: Float64Array): number {
  if (time.length < 2) return MS_PER_DAY;
  const gaps = Float64Array.from({ length: time.length - 1 }, (_, i) => time[i + 1] - time[i]).sort();
  return gaps[gaps.length >> 1] || MS_PER_DAY;
}
