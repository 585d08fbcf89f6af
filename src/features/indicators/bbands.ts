// Bollinger bands (TA-Lib BBANDS, SMA middle): middle +- k population standard deviations.

import { checkPeriod, nanArray } from "./series.js";

export interface BbandsResult {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/**
 * middle = SMA(x, n); sd = population std (divide by n) of the same window; upper = middle + up sd,
 * lower = middle - down sd. The first n-1 rows are NaN. Source: TA-Lib ta_BBANDS.c with MA type SMA.
 * @example bbands(close, 20, 2, 2).upper
 */
export function bbands(x: Float64Array, n = 5, up = 2, down = 2): BbandsResult {
  checkPeriod("bbands period", n);
  const len = x.length;
  const out = { upper: nanArray(len), middle: nanArray(len), lower: nanArray(len) };
  for (let t = n - 1; t < len; t++) {
    let s = 0;
    for (let j = t - n + 1; j <= t; j++) s += x[j];
    const mean = s / n;
    let v = 0;
    for (let j = t - n + 1; j <= t; j++) v += (x[j] - mean) * (x[j] - mean);
    const sd = Math.sqrt(v / n);
    out.middle[t] = mean;
    out.upper[t] = mean + up * sd;
    out.lower[t] = mean - down * sd;
  }
  return out;
}
