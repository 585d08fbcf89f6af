// TRIX (TA-Lib): one-bar percent rate of change of a triple EMA.

import { ema } from "./ema.js";
import { checkPeriod, nanArray } from "./series.js";

/**
 * e3 = EMA(EMA(EMA(x, n), n), n) with TA-Lib seeding; TRIX[t] = 100 (e3[t] - e3[t-1]) / e3[t-1].
 * The first 3(n-1)+1 rows are NaN. Source: TA-Lib ta_TRIX.c.
 * @example trix(close, 30)
 */
export function trix(x: Float64Array, n = 30): Float64Array {
  checkPeriod("trix period", n);
  const e3 = ema(ema(ema(x, n), n), n);
  const out = nanArray(x.length);
  for (let t = 1; t < x.length; t++) {
    const prev = e3[t - 1];
    if (!Number.isNaN(prev) && !Number.isNaN(e3[t])) out[t] = prev === 0 ? 0 : (100 * (e3[t] - prev)) / prev;
  }
  return out;
}
