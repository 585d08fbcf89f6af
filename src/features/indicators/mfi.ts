// Money flow index (TA-Lib MFI): a volume-weighted RSI of the typical price.

import { checkPeriod, nanArray } from "./series.js";

/**
 * tp = (high+low+close)/3, flow = tp volume, positive when tp rises, negative when it falls;
 * MFI = 100 pos / (pos + neg) over the last n flows, 0 when pos + neg < 1 (TA-Lib's guard).
 * The first n rows are NaN. Source: TA-Lib ta_MFI.c.
 * @example mfi(high, low, close, volume, 14)
 */
export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  n = 14,
): Float64Array {
  checkPeriod("mfi period", n);
  const len = close.length;
  const out = nanArray(len);
  const pos = new Float64Array(len);
  const neg = new Float64Array(len);
  let prevTp = (high[0] + low[0] + close[0]) / 3;
  for (let t = 1; t < len; t++) {
    const tp = (high[t] + low[t] + close[t]) / 3;
    if (tp > prevTp) pos[t] = tp * volume[t];
    else if (tp < prevTp) neg[t] = tp * volume[t];
    prevTp = tp;
  }
  for (let t = n; t < len; t++) {
    let p = 0;
    let m = 0;
    for (let j = t - n + 1; j <= t; j++) {
      p += pos[j];
      m += neg[j];
    }
    const total = p + m;
    out[t] = total < 1 ? 0 : (100 * p) / total;
  }
  return out;
}
