// Chaikin accumulation/distribution line (TA-Lib AD) and its oscillator (TA-Lib ADOSC).

import { checkPeriod, nanArray } from "./series.js";

/**
 * ad[t] = ad[t-1] + ((close-low) - (high-close)) / (high-low) volume, adding nothing when high = low.
 * Defined from the first bar. Source: TA-Lib ta_AD.c.
 * @example ad(high, low, close, volume)
 */
export function ad(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
): Float64Array {
  const out = new Float64Array(close.length);
  let acc = 0;
  for (let t = 0; t < close.length; t++) {
    const range = high[t] - low[t];
    if (range > 0) acc += ((close[t] - low[t] - (high[t] - close[t])) / range) * volume[t];
    out[t] = acc;
  }
  return out;
}

/**
 * ADOSC = EMA(ad, fast) - EMA(ad, slow), both EMAs seeded with the first AD value (not an SMA, as TA-Lib
 * does for this function); the first slow-1 rows are NaN. Source: TA-Lib ta_ADOSC.c.
 * @example adosc(high, low, close, volume, 3, 10)
 */
export function adosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  fast = 3,
  slow = 10,
): Float64Array {
  checkPeriod("adosc fast period", fast);
  checkPeriod("adosc slow period", slow);
  const line = ad(high, low, close, volume);
  const out = nanArray(close.length);
  if (close.length === 0) return out;
  const kf = 2 / (fast + 1);
  const ks = 2 / (slow + 1);
  let ef = line[0];
  let es = line[0];
  const lookback = Math.max(fast, slow) - 1;
  for (let t = 1; t < close.length; t++) {
    ef = (line[t] - ef) * kf + ef;
    es = (line[t] - es) * ks + es;
    if (t >= lookback) out[t] = ef - es;
  }
  if (lookback === 0) out[0] = 0;
  return out;
}
