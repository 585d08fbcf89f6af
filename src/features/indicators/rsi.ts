// Relative strength index (TA-Lib RSI) with Wilder smoothing; the first n rows are NaN.

import { checkPeriod, firstValid, nanArray } from "./series.js";

/**
 * avgGain/avgLoss start as the mean of the first n up/down moves, then avg = (avg (n-1) + move) / n;
 * RSI = 100 avgGain / (avgGain + avgLoss), 0 when both are 0. Source: TA-Lib ta_RSI.c, Wilder (1978).
 * @example rsi(close, 14)
 */
export function rsi(x: Float64Array, n = 14): Float64Array {
  checkPeriod("rsi period", n);
  const out = nanArray(x.length);
  const start = firstValid(x);
  if (start + n >= x.length) return out;
  let gain = 0;
  let loss = 0;
  for (let i = start + 1; i <= start + n; i++) {
    const d = x[i] - x[i - 1];
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= n;
  loss /= n;
  out[start + n] = value(gain, loss);
  for (let i = start + n + 1; i < x.length; i++) {
    const d = x[i] - x[i - 1];
    // biome-ignore lint/complexity/useMathMinMax: mirrors TA-Lib's branch (a NaN move adds 0, Math.max would give NaN)
    gain = (gain * (n - 1) + (d > 0 ? d : 0)) / n;
    loss = (loss * (n - 1) + (d < 0 ? -d : 0)) / n;
    out[i] = value(gain, loss);
  }
  return out;
}

function value(gain: number, loss: number): number {
  const total = gain + loss;
  return total === 0 ? 0 : (100 * gain) / total;
}
