// The benchmark of a portfolio backtest: equal-weight buy-and-hold of the same universe. On the first day every
// ticker has a close, the capital is split into equal cash budgets; each ticker buys what its budget pays for
// (costs included, whole lots) at the next open it has, and holds to the end, marked at its last close. Before
// that the account is all cash.

import type { PortfolioPanel } from "./portfolio-panel.js";
import { affordableUnits, type FillRules, fillCost } from "./simulate.js";

export interface BenchmarkResult {
  equity: Float64Array;
  /** The decision day (first common close); the buys fill from the next day on. */
  startDay: number;
  units: Float64Array;
}

/**
 * Buy-and-hold equity per calendar day, the same fill convention as the strategy (next open, slippage, costs).
 * @example equalWeightBuyAndHold(panel, rules, firstCommonDay(panel)).equity
 */
export function equalWeightBuyAndHold(
  panel: PortfolioPanel,
  rules: FillRules & { capital: number; slippageBps: number },
  startDay: number,
): BenchmarkResult {
  const { days, close, open } = panel;
  const n = panel.tickers.length;
  const budget = rules.capital / n;
  const slip = rules.slippageBps / 1e4;
  const units = new Float64Array(n);
  const bought = new Uint8Array(n);
  const lastClose = new Float64Array(n).fill(Number.NaN);
  const equity = new Float64Array(days);
  let cash = rules.capital;
  for (let i = 0; i < days; i++) {
    let value = 0;
    for (let t = 0; t < n; t++) {
      const at = t * days + i;
      if (i > startDay && !bought[t] && Number.isFinite(open[at])) {
        const price = open[at] * (1 + slip);
        const size = affordableUnits(rules, budget, price);
        if (size > 0) cash -= size * price + fillCost(rules, size, price);
        units[t] = size;
        bought[t] = 1;
      }
      if (Number.isFinite(close[at])) lastClose[t] = close[at];
      if (units[t] > 0) value += units[t] * lastClose[t];
    }
    equity[i] = cash + value;
  }
  return { equity, startDay, units };
}
