// Wilder's directional movement system (TA-Lib PLUS_DI, MINUS_DI, DX, ADX).

import { checkPeriod, nanArray } from "./series.js";

export interface DirectionalResult {
  plusDi: Float64Array;
  minusDi: Float64Array;
  dx: Float64Array;
  adx: Float64Array;
}

/**
 * +DM = up move when it beats the down move and is positive, -DM likewise; DM and TR are summed over the
 * first n-1 moves, then Wilder-summed (s = s - s/n + v); +DI = 100 +DM/TR from row n,
 * DX = 100 |+DI - -DI| / (+DI + -DI) from row n, ADX = mean of the first n DX values at row 2n-1, then
 * Wilder-smoothed. Zero denominators give 0 (first row) or repeat the previous DX, as TA-Lib does.
 * Source: TA-Lib ta_PLUS_DI.c, ta_DX.c, ta_ADX.c; Wilder (1978).
 * @example directionalMovement(high, low, close, 14).adx
 */
export function directionalMovement(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  n = 14,
): DirectionalResult {
  checkPeriod("directional movement period", n);
  const len = close.length;
  const out: DirectionalResult = {
    plusDi: nanArray(len),
    minusDi: nanArray(len),
    dx: nanArray(len),
    adx: nanArray(len),
  };
  if (n >= len) return out;
  let pdm = 0;
  let mdm = 0;
  let tr = 0;
  let adxSum = 0;
  let adx = Number.NaN;
  for (let t = 1; t < len; t++) {
    const up = high[t] - high[t - 1];
    const down = low[t - 1] - low[t];
    const plus = up > 0 && up > down ? up : 0;
    const minus = down > 0 && down > up ? down : 0;
    const prev = close[t - 1];
    const range = Math.max(high[t] - low[t], Math.abs(high[t] - prev), Math.abs(low[t] - prev));
    if (t < n) {
      pdm += plus;
      mdm += minus;
      tr += range;
      continue;
    }
    pdm = pdm - pdm / n + plus;
    mdm = mdm - mdm / n + minus;
    tr = tr - tr / n + range;
    const pdi = tr === 0 ? 0 : (100 * pdm) / tr;
    const mdi = tr === 0 ? 0 : (100 * mdm) / tr;
    out.plusDi[t] = pdi;
    out.minusDi[t] = mdi;
    const total = pdi + mdi;
    const dx = total === 0 || tr === 0 ? (t > n ? out.dx[t - 1] : 0) : (100 * Math.abs(pdi - mdi)) / total;
    out.dx[t] = dx;
    if (t < 2 * n - 1) adxSum += dx;
    else if (t === 2 * n - 1) {
      adx = (adxSum + dx) / n;
      out.adx[t] = adx;
    } else {
      adx = (adx * (n - 1) + dx) / n;
      out.adx[t] = adx;
    }
  }
  return out;
}
