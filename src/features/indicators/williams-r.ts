// Williams %R (TA-Lib WILLR): where the close sits in the n-bar range, from -100 (low) to 0 (high).

import { checkPeriod, nanArray } from "./series.js";

/**
 * WILLR = -100 (highest high - close) / (highest high - lowest low), 0 on a flat range; the first n-1 rows
 * are NaN. Source: TA-Lib ta_WILLR.c.
 * @example willr(high, low, close, 14)
 */
export function willr(high: Float64Array, low: Float64Array, close: Float64Array, n = 14): Float64Array {
  checkPeriod("willr period", n);
  const out = nanArray(close.length);
  for (let t = n - 1; t < close.length; t++) {
    let hh = high[t];
    let ll = low[t];
    for (let j = t - n + 1; j < t; j++) {
      if (high[j] > hh) hh = high[j];
      if (low[j] < ll) ll = low[j];
    }
    const range = hh - ll;
    out[t] = range === 0 ? 0 : (-100 * (hh - close[t])) / range;
  }
  return out;
}
