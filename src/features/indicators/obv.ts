// On-balance volume (TA-Lib OBV): running volume, added on up closes and subtracted on down closes.

/**
 * obv[0] = volume[0]; obv[t] = obv[t-1] + sign(close[t] - close[t-1]) volume[t]. Source: TA-Lib ta_OBV.c.
 * @example obv(close, volume)
 */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  if (close.length === 0) return out;
  let acc = volume[0];
  out[0] = acc;
  for (let t = 1; t < close.length; t++) {
    if (close[t] > close[t - 1]) acc += volume[t];
    else if (close[t] < close[t - 1]) acc -= volume[t];
    out[t] = acc;
  }
  return out;
}
