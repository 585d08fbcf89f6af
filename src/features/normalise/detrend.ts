// Linear detrending (seed 004): a least-squares line in calendar days, fitted on the training window only.

import { UsageError } from "../../core/errors.js";
import { isoDate, MS_PER_DAY } from "../../frame/dates.js";

export interface LinearTrend {
  intercept: number;
  slope: number;
  /** Day 0 of the x axis (the series' first date), epoch ms. */
  origin: number;
}

/**
 * Fits y = a + b x by ordinary least squares, x = days since the first date, on rows dated <= fitUntil
 * (seed 004 fits sklearn's LinearRegression on `sp500[:split_date]`) and skipping missing values.
 * @example fitLinearTrend(time, close, parseDateFlag("2007-06-01", "--fit-until"))
 */
export function fitLinearTrend(
  time: Float64Array,
  y: Float64Array,
  fitUntil: number,
  label = "series",
): LinearTrend {
  const origin = time.length > 0 ? time[0] : 0;
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < time.length && time[i] <= fitUntil; i++) {
    if (Number.isNaN(y[i])) continue;
    n++;
    sx += (time[i] - origin) / MS_PER_DAY;
    sy += y[i];
  }
  if (n < 2) {
    const range =
      time.length > 0 ? `; ${label} runs ${isoDate(time[0])} to ${isoDate(time[time.length - 1])}` : "";
    throw new UsageError(
      `--fit-until ${isoDate(fitUntil)}: ${n} row${n === 1 ? "" : "s"} with a price on or before it, a trend needs 2${range}`,
      "choose a --fit-until date later in the data",
    );
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < time.length && time[i] <= fitUntil; i++) {
    if (Number.isNaN(y[i])) continue;
    const dx = (time[i] - origin) / MS_PER_DAY - mx;
    sxx += dx * dx;
    sxy += dx * (y[i] - my);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: my - slope * mx, slope, origin };
}

/** y - trend(x), everywhere (training and later rows alike). */
export function removeTrend(time: Float64Array, y: Float64Array, trend: LinearTrend): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++)
    out[i] = y[i] - (trend.intercept + trend.slope * ((time[i] - trend.origin) / MS_PER_DAY));
  return out;
}
