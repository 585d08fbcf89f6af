// Weighted moving average (TA-Lib WMA): linear weights 1..n, newest heaviest; the first n-1 rows are NaN.

import { checkPeriod, firstValid, nanArray } from "./series.js";

/**
 * WMA[t] = sum_{j=0}^{n-1} (n-j) x[t-j] / (n(n+1)/2). Source: TA-Lib ta_WMA.c.
 * @example wma(Float64Array.of(1, 2, 3), 3) // [NaN, NaN, 14/6]
 */
export function wma(x: Float64Array, n: number): Float64Array {
  checkPeriod("wma period", n);
  const out = nanArray(x.length);
  const divider = (n * (n + 1)) / 2;
  for (let t = firstValid(x) + n - 1; t < x.length; t++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (n - j) * x[t - j];
    out[t] = s / divider;
  }
  return out;
}
