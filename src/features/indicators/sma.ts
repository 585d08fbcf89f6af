// Simple moving average (TA-Lib SMA): mean of the last n values; the first n-1 rows are NaN.

import { checkPeriod, firstValid, nanArray } from "./series.js";

/**
 * SMA over `n` values, starting at the first defined input (so it can smooth another indicator).
 * Source: TA-Lib ta_SMA.c (lookback n-1).
 * @example sma(Float64Array.of(1, 2, 3, 4), 2) // [NaN, 1.5, 2.5, 3.5]
 */
export function sma(x: Float64Array, n: number): Float64Array {
  checkPeriod("sma period", n);
  const out = nanArray(x.length);
  const start = firstValid(x);
  let sum = 0;
  for (let i = start; i < x.length; i++) {
    sum += x[i];
    if (i - start >= n) sum -= x[i - n];
    if (i - start >= n - 1) out[i] = sum / n;
  }
  return out;
}
