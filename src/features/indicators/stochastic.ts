// Stochastic oscillators (TA-Lib STOCH and STOCHF) with SMA smoothing.

import { checkPeriod, nanArray } from "./series.js";
import { sma } from "./sma.js";

export interface StochResult {
  k: Float64Array;
  d: Float64Array;
}

/** Raw %K = 100 (close - lowest low) / (highest high - lowest low) over n bars, 0 on a flat range. */
export function fastK(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  checkPeriod("stochastic %K period", n);
  const out = nanArray(close.length);
  for (let t = n - 1; t < close.length; t++) {
    let hh = high[t];
    let ll = low[t];
    for (let j = t - n + 1; j < t; j++) {
      if (high[j] > hh) hh = high[j];
      if (low[j] < ll) ll = low[j];
    }
    const range = hh - ll;
    out[t] = range === 0 ? 0 : (100 * (close[t] - ll)) / range;
  }
  return out;
}

/**
 * Slow stochastic: k = SMA(raw %K, slowK), d = SMA(k, slowD); both begin at row
 * (fastK-1)+(slowK-1)+(slowD-1), as TA-Lib aligns them. Source: TA-Lib ta_STOCH.c (MA type SMA).
 * @example stoch(high, low, close, 5, 3, 3).k
 */
export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastKPeriod = 5,
  slowKPeriod = 3,
  slowDPeriod = 3,
): StochResult {
  const k = sma(fastK(high, low, close, fastKPeriod), slowKPeriod);
  const d = sma(k, slowDPeriod);
  return alignTo(k, d);
}

/**
 * Fast stochastic: k = raw %K, d = SMA(k, fastD); both begin at row (fastK-1)+(fastD-1).
 * Source: TA-Lib ta_STOCHF.c (MA type SMA).
 * @example stochf(high, low, close, 5, 3).d
 */
export function stochf(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastKPeriod = 5,
  fastDPeriod = 3,
): StochResult {
  const k = fastK(high, low, close, fastKPeriod);
  return alignTo(k, sma(k, fastDPeriod));
}

function alignTo(k: Float64Array, d: Float64Array): StochResult {
  for (let t = 0; t < k.length && Number.isNaN(d[t]); t++) k[t] = Number.NaN;
  return { k, d };
}
