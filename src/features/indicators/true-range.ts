// True range, ATR and NATR (TA-Lib): Wilder-smoothed true range, optionally as a percent of close.

import { checkPeriod, nanArray } from "./series.js";

/** TR[t] = max(high-low, |high-close[t-1]|, |low-close[t-1]|); TR[0] is NaN (no previous close). */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const out = nanArray(close.length);
  for (let t = 1; t < close.length; t++) {
    const prev = close[t - 1];
    out[t] = Math.max(high[t] - low[t], Math.abs(high[t] - prev), Math.abs(low[t] - prev));
  }
  return out;
}

/**
 * ATR: out[n] = mean(TR[1..n]), then Wilder: out[t] = (out[t-1] (n-1) + TR[t]) / n. Source: TA-Lib ta_ATR.c.
 * @example atr(high, low, close, 14)
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, n = 14): Float64Array {
  checkPeriod("atr period", n);
  const tr = trueRange(high, low, close);
  const out = nanArray(close.length);
  if (n >= close.length) return out;
  let sum = 0;
  for (let t = 1; t <= n; t++) sum += tr[t];
  let prev = sum / n;
  out[n] = prev;
  for (let t = n + 1; t < close.length; t++) {
    prev = (prev * (n - 1) + tr[t]) / n;
    out[t] = prev;
  }
  return out;
}

/** NATR = 100 ATR / close (0 when close is 0, as TA-Lib). Source: TA-Lib ta_NATR.c. */
export function natr(high: Float64Array, low: Float64Array, close: Float64Array, n = 14): Float64Array {
  const a = atr(high, low, close, n);
  for (let t = 0; t < a.length; t++)
    if (!Number.isNaN(a[t])) a[t] = close[t] === 0 ? 0 : (100 * a[t]) / close[t];
  return a;
}
