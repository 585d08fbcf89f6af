// Forward-looking regression label fwd_ret_{k}d: the simple return over the next k rows.

import type { FeatureBlock } from "../feature-block.js";

/**
 * fwd_ret_{k}d[t] = close[t+k] / close[t] - 1; NaN for the last k rows.
 * @example forwardReturnLabel(close, 5)
 */
export function forwardReturnLabel(close: Float64Array, k = 1): FeatureBlock {
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t + k < n; t++) out[t] = close[t + k] / close[t] - 1;
  const name = `fwd_ret_${k}d`;
  return { columns: new Map([[name, out]]), labels: [{ name, horizon: k, kind: "regression" }] };
}
