// Forward-looking direction labels: up_down_tm (tomorrow) and up_down_{k}d (k rows ahead).

import type { FeatureBlock } from "../feature-block.js";

/**
 * 1 when close[t+k] > close[t], else 0; NaN for the last k rows (unknown yet). k = 1 is named `up_down_tm`
 * (seed 000's rt_tm > 0), other k `up_down_{k}d`.
 * @example upDownLabel(close, 5) // column up_down_5d
 */
export function upDownLabel(close: Float64Array, k = 1): FeatureBlock {
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t + k < n; t++) {
    const a = close[t];
    const b = close[t + k];
    if (!Number.isNaN(a) && !Number.isNaN(b)) out[t] = b > a ? 1 : 0;
  }
  const name = k === 1 ? "up_down_tm" : `up_down_${k}d`;
  return { columns: new Map([[name, out]]), labels: [{ name, horizon: k, kind: "classification" }] };
}
