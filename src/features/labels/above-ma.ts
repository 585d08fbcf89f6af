// Forward-looking label above_ma20_tm (seed 003): tomorrow's close above today's 20-day moving average.

import type { FeatureBlock } from "../feature-block.js";
import { sma } from "../indicators/sma.js";

/**
 * 1 when close[t+1] > SMA(close, window)[t], else 0; NaN while the average is undefined and on the last row.
 * Seed 003 classifies "close 1 day later > 20MA" with today's 20MA among the features.
 * @example aboveMaLabel(close, 20) // column above_ma20_tm
 */
export function aboveMaLabel(close: Float64Array, window = 20): FeatureBlock {
  const n = close.length;
  const ma = sma(close, window);
  const out = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t + 1 < n; t++) if (!Number.isNaN(ma[t])) out[t] = close[t + 1] > ma[t] ? 1 : 0;
  const name = `above_ma${window}_tm`;
  return { columns: new Map([[name, out]]), labels: [{ name, horizon: 1, kind: "classification" }] };
}
