// Log returns, rolling volatility and rolling z-scores (not TA-Lib; sample statistics as pandas computes).

import { checkPeriod, nanArray } from "./series.js";

/** logret[t] = ln(x[t] / x[t-k]); the first k rows are NaN. */
export function logReturn(x: Float64Array, k = 1): Float64Array {
  checkPeriod("log return lag", k);
  const out = nanArray(x.length);
  for (let t = k; t < x.length; t++) out[t] = Math.log(x[t] / x[t - k]);
  return out;
}

/**
 * Rolling sample standard deviation (divide by n-1, pandas' default) of the one-bar log return over n bars;
 * the first n rows are NaN (the first return needs a previous bar).
 * @example volatility(close, 20)
 */
export function volatility(x: Float64Array, n = 20): Float64Array {
  checkPeriod("volatility window", n, 2);
  return rollingStd(logReturn(x, 1), n);
}

/** Rolling sample standard deviation over n values; NaN until n defined values are available. */
export function rollingStd(x: Float64Array, n: number): Float64Array {
  const out = nanArray(x.length);
  let start = 0;
  while (start < x.length && Number.isNaN(x[start])) start++;
  for (let t = start + n - 1; t < x.length; t++) {
    let s = 0;
    for (let j = t - n + 1; j <= t; j++) s += x[j];
    const mean = s / n;
    let v = 0;
    for (let j = t - n + 1; j <= t; j++) v += (x[j] - mean) * (x[j] - mean);
    out[t] = Math.sqrt(v / (n - 1));
  }
  return out;
}

/**
 * z[t] = (x[t] - mean of the last n) / sample std of the last n; NaN for the first n-1 rows and on a flat window.
 * @example zscore(close, 20)
 */
export function zscore(x: Float64Array, n = 20): Float64Array {
  checkPeriod("zscore window", n, 2);
  const out = nanArray(x.length);
  for (let t = n - 1; t < x.length; t++) {
    let s = 0;
    for (let j = t - n + 1; j <= t; j++) s += x[j];
    const mean = s / n;
    let v = 0;
    for (let j = t - n + 1; j <= t; j++) v += (x[j] - mean) * (x[j] - mean);
    const sd = Math.sqrt(v / (n - 1));
    out[t] = sd === 0 ? Number.NaN : (x[t] - mean) / sd;
  }
  return out;
}
