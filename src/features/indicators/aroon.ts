// Aroon up/down (TA-Lib AROON): how recently the n-period high and low were made, in percent.

import { checkPeriod, nanArray } from "./series.js";

export interface AroonResult {
  up: Float64Array;
  down: Float64Array;
}

/**
 * Over the n+1 bars t-n..t, up = 100 (n - bars since the highest high) / n and down likewise for the lowest
 * low; ties go to the most recent bar, as in TA-Lib. The first n rows are NaN. Source: TA-Lib ta_AROON.c.
 * @example aroon(high, low, 14).up
 */
export function aroon(high: Float64Array, low: Float64Array, n = 14): AroonResult {
  checkPeriod("aroon period", n);
  const len = high.length;
  const out = { up: nanArray(len), down: nanArray(len) };
  for (let t = n; t < len; t++) {
    let hi = t - n;
    let lo = t - n;
    for (let j = t - n + 1; j <= t; j++) {
      if (high[j] >= high[hi]) hi = j;
      if (low[j] <= low[lo]) lo = j;
    }
    out.up[t] = (100 * (n - (t - hi))) / n;
    out.down[t] = (100 * (n - (t - lo))) / n;
  }
  return out;
}
