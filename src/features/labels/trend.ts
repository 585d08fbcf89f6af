// Forward-looking labels trend_up / trend_down (seed 001): the moving average k rows ahead vs today's.

import type { FeatureBlock } from "../feature-block.js";
import { sma } from "../indicators/sma.js";

/**
 * pct = (SMA(close, window)[t+horizon] - SMA[t]) / SMA[t]; trend_up = pct >= +threshold,
 * trend_down = pct <= -threshold; NaN where either average is undefined. Source: seed 001 get_dataset().
 * @example trendLabels(close, 10, 10, 0.05)
 */
export function trendLabels(close: Float64Array, window = 10, horizon = 10, threshold = 0.05): FeatureBlock {
  const n = close.length;
  const ma = sma(close, window);
  const up = new Float64Array(n).fill(Number.NaN);
  const down = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t + horizon < n; t++) {
    const pct = (ma[t + horizon] - ma[t]) / ma[t];
    if (Number.isNaN(pct)) continue;
    up[t] = pct >= threshold ? 1 : 0;
    down[t] = pct <= -threshold ? 1 : 0;
  }
  return {
    columns: new Map([
      ["trend_up", up],
      ["trend_down", down],
    ]),
    labels: [
      { name: "trend_up", horizon, kind: "classification" },
      { name: "trend_down", horizon, kind: "classification" },
    ],
  };
}
