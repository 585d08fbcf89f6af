// Return and risk metrics of an equity curve (the portfolio and its benchmark): the shared trading metrics over
// the close-to-close P&L from the first day's equity. Over no bar every metric is NaN (undefined, never 0).

import { tradingMetrics } from "../metrics/trading.js";
import { type CombinedMetrics, curveMetrics } from "./combine.js";

/**
 * Metrics of `equity` (one value per close) from `start` on, annualised with `periodsPerYear`.
 * @example equityMetrics(Float64Array.of(100, 110, 99), 252).totalReturn // -0.01
 */
export function equityMetrics(equity: Float64Array, periodsPerYear: number, start = 0): CombinedMetrics {
  const bars = Math.max(0, equity.length - start - 1);
  const profit = new Float64Array(bars);
  for (let i = 0; i < bars; i++) profit[i] = equity[start + i + 1] - equity[start + i];
  const m = tradingMetrics({
    profit,
    position: new Float64Array(bars),
    price: new Float64Array(bars),
    capital: equity.length > start ? equity[start] : Number.NaN,
    periodsPerYear,
  });
  return curveMetrics(m);
}
