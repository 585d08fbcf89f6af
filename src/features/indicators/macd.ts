// MACD (TA-Lib): fast EMA minus slow EMA, a signal EMA of that, and their difference (histogram).

import { ema, emaSeededAt } from "./ema.js";
import { checkPeriod, firstValid, nanArray } from "./series.js";

export interface MacdResult {
  macd: Float64Array;
  signal: Float64Array;
  hist: Float64Array;
}

/**
 * Source: TA-Lib ta_MACD.c. Both EMAs start at row slow-1 (the fast one is seeded with the SMA of the `fast`
 * values ending there, as TA-Lib does); the signal is an SMA-seeded EMA of MACD; all three outputs begin at
 * row (slow-1)+(signal-1), earlier rows NaN. Periods are swapped when fast > slow, as in TA-Lib.
 * @example macd(close, 12, 26, 9).hist
 */
export function macd(x: Float64Array, fast = 12, slow = 26, signal = 9): MacdResult {
  checkPeriod("macd fast period", fast);
  checkPeriod("macd slow period", slow);
  checkPeriod("macd signal period", signal);
  if (slow < fast) [fast, slow] = [slow, fast];
  const n = x.length;
  const start = firstValid(x) + slow - 1;
  const slowEma = emaSeededAt(x, slow, start);
  const fastEma = emaSeededAt(x, fast, start);
  const line = nanArray(n);
  for (let i = start; i < n; i++) line[i] = fastEma[i] - slowEma[i];
  const sig = ema(line, signal);
  const out: MacdResult = { macd: nanArray(n), signal: nanArray(n), hist: nanArray(n) };
  for (let i = start + signal - 1; i < n; i++) {
    out.macd[i] = line[i];
    out.signal[i] = sig[i];
    out.hist[i] = line[i] - sig[i];
  }
  return out;
}
