// Exponential moving average as TA-Lib computes it: seeded with the SMA of the first n values, k = 2/(n+1).

import { checkPeriod, firstValid, nanArray } from "./series.js";

/**
 * EMA with TA-Lib's seeding (ta_EMA.c, default compatibility): out[n-1] = mean(x[0..n-1]),
 * then out[t] = out[t-1] + k (x[t] - out[t-1]). Starts at the first defined input.
 * @example ema(Float64Array.of(1, 2, 3, 4), 2) // [NaN, 1.5, 2.5, 3.5]
 */
export function ema(x: Float64Array, n: number, k = 2 / (n + 1)): Float64Array {
  checkPeriod("ema period", n);
  return emaSeededAt(x, n, firstValid(x) + n - 1, k);
}

/**
 * EMA whose SMA seed covers the n values ending at `seedEnd` (TA-Lib's MACD seeds its fast EMA this way,
 * at the slow EMA's first row); rows before `seedEnd` are NaN.
 */
export function emaSeededAt(x: Float64Array, n: number, seedEnd: number, k = 2 / (n + 1)): Float64Array {
  const out = nanArray(x.length);
  if (seedEnd >= x.length) return out;
  let sum = 0;
  for (let i = seedEnd - n + 1; i <= seedEnd; i++) sum += x[i];
  let prev = sum / n;
  out[seedEnd] = prev;
  for (let i = seedEnd + 1; i < x.length; i++) {
    prev = (x[i] - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}
