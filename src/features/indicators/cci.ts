// Commodity channel index (TA-Lib CCI) over the typical price.

import { checkPeriod, nanArray } from "./series.js";

/**
 * tp = (high+low+close)/3; CCI = (tp - SMA(tp, n)) / (0.015 mean |tp - SMA|), 0 when the mean deviation is 0.
 * The first n-1 rows are NaN. Source: TA-Lib ta_CCI.c; Lambert (1980).
 * @example cci(high, low, close, 20)
 */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, n = 14): Float64Array {
  checkPeriod("cci period", n);
  const len = close.length;
  const tp = new Float64Array(len);
  for (let t = 0; t < len; t++) tp[t] = (high[t] + low[t] + close[t]) / 3;
  const out = nanArray(len);
  for (let t = n - 1; t < len; t++) {
    let s = 0;
    for (let j = t - n + 1; j <= t; j++) s += tp[j];
    const mean = s / n;
    let dev = 0;
    for (let j = t - n + 1; j <= t; j++) dev += Math.abs(tp[j] - mean);
    dev /= n;
    const diff = tp[t] - mean;
    out[t] = diff !== 0 && dev !== 0 ? diff / (0.015 * dev) : 0;
  }
  return out;
}
