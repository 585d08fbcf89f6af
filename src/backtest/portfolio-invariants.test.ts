// Invariants of the portfolio backtest that need no reference: holding every ticker with equal weights from the
// start and never rebalancing is the equal-weight buy-and-hold benchmark; cash never goes below zero whatever the
// rules; a one-ticker universe with k = 1 is the single-ticker always-long backtest (simulate.ts).

import { describe, expect, it } from "vitest";
import { Random } from "../core/random.js";
import { NO_MARKET_RULES, TWSE_RULES } from "./market-presets.js";
import { equalWeightBuyAndHold } from "./portfolio-benchmark.js";
import { alignPanel, firstCommonDay, type TickerSeries } from "./portfolio-panel.js";
import { type PortfolioRules, simulatePortfolio } from "./portfolio-simulate.js";
import { simulate } from "./simulate.js";

const DAY = 86_400_000;

/** Random-walk tickers on one daily calendar; `start` rows dropped from ticker t when starts[t] > 0. */
function universe(seed: number, tickers: number, days: number, starts: number[] = []): TickerSeries[] {
  const rng = new Random(seed);
  return Array.from({ length: tickers }, (_, t) => {
    const close = new Float64Array(days);
    const open = new Float64Array(days);
    const score = new Float64Array(days);
    let price = 20 + 100 * rng.next();
    for (let i = 0; i < days; i++) {
      open[i] = Math.round(price * (1 + 0.01 * rng.normal()) * 100) / 100;
      price = Math.max(1, price * (1 + 0.02 * rng.normal()));
      close[i] = Math.round(price * 100) / 100;
      score[i] = rng.next();
    }
    const from = starts[t] ?? 0;
    return {
      ticker: `T${t}`,
      time: Float64Array.from({ length: days - from }, (_, i) => (from + i) * DAY),
      score: score.slice(from),
      close: close.slice(from),
      open: open.slice(from),
    };
  });
}

const base: PortfolioRules = {
  topK: 3,
  nDrop: Number.POSITIVE_INFINITY,
  rebalanceEvery: 5,
  weights: "equal",
  maxWeight: 1,
  capital: 100_000,
  costBps: 0,
  commission: 0,
  slippageBps: 0,
  market: NO_MARKET_RULES,
  fractional: false,
};

describe("portfolio invariants", () => {
  it("k = every ticker, equal weights, no rebalance after the start, no costs: the benchmark's buy-and-hold", () => {
    for (const seed of [1, 2, 3]) {
      const panel = alignPanel(universe(seed, 6, 300));
      const rules = { ...base, topK: 6, rebalanceEvery: 10_000 };
      const portfolio = simulatePortfolio(panel, rules);
      const benchmark = equalWeightBuyAndHold(panel, rules, firstCommonDay(panel));
      expect(portfolio.rebalanceDays.length).toBe(1);
      for (let i = 0; i < panel.days; i++) expect(portfolio.equity[i]).toBeCloseTo(benchmark.equity[i], 6);
      // Rebalancing every 5 days instead trades (trims and top-ups), so the two part: the test can fail.
      const rebalanced = simulatePortfolio(panel, { ...rules, rebalanceEvery: 5 });
      expect(rebalanced.trades.day.length).toBeGreaterThan(portfolio.trades.day.length);
    }
  });

  it("cash never goes below zero: costs, slippage, lots, score weights, caps, late starters, n-drop", () => {
    const variants: Partial<PortfolioRules>[] = [
      { costBps: 25, commission: 5, slippageBps: 10 },
      { market: TWSE_RULES, capital: 5_000_000, topK: 4 },
      { weights: "score", maxWeight: 0.3, costBps: 10, commission: 2, topK: 5 },
      { nDrop: 1, topK: 2, rebalanceEvery: 1, costBps: 50, slippageBps: 30 },
      { topK: 8, rebalanceEvery: 2, commission: 50, capital: 2_000 },
    ];
    for (const seed of [11, 12, 13, 14]) {
      const panel = alignPanel(universe(seed, 8, 250, [0, 0, 30, 0, 120, 0, 0, 5]));
      for (const v of variants) {
        const result = simulatePortfolio(panel, { ...base, ...v });
        expect(Math.min(...result.cash)).toBeGreaterThanOrEqual(0);
        expect(result.trades.day.length).toBeGreaterThan(0);
        // Never more than k holdings after a rebalance fills (no order is missed on this gap-free calendar).
        const k = v.topK ?? base.topK;
        for (const day of result.rebalanceDays) expect(result.holdings[day + 1]).toBeLessThanOrEqual(k);
      }
    }
  });

  it("one ticker with k = 1 is the single-ticker always-long backtest (next open, percent-equity 100%)", () => {
    for (const [seed, costs] of [
      [21, { costBps: 0, commission: 0, slippageBps: 0, market: NO_MARKET_RULES }],
      [22, { costBps: 15, commission: 3, slippageBps: 8, market: NO_MARKET_RULES }],
      [23, { costBps: 0, commission: 0, slippageBps: 0, market: TWSE_RULES }],
    ] as const) {
      const [series] = universe(seed, 1, 400);
      const capital = costs.market === TWSE_RULES ? 3_000_000 : 100_000;
      const portfolio = simulatePortfolio(alignPanel([series]), {
        ...base,
        ...costs,
        capital,
        topK: 1,
        rebalanceEvery: 10_000,
      });
      const single = simulate(series.close, series.open, new Float64Array(400).fill(1), {
        strategy: "long-only",
        execution: "next-open",
        sizing: "percent-equity",
        shares: 0,
        capital,
        percent: 1,
        fractional: false,
        ...costs,
      });
      let equity = capital;
      for (let i = 0; i < 400; i++) {
        expect(portfolio.equity[i]).toBeCloseTo(equity, 6);
        equity += single.profit[i];
      }
      expect(portfolio.trades.units[0]).toBe(single.position[0]);
    }
  });
});
