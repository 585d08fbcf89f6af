// The portfolio backtest against an independent pandas simulation of the same rules
// (test/fixtures/portfolio/make_portfolio_reference.py) on a hand-made universe with a late starter, a gap day, a
// missing decision day, an early end, repeated prices, a score tie, a limit-up open and costs: equity, cash,
// every fill, the benchmark and the metrics, to 1e-9.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../frame/dates.js";
import type { MarketRules } from "./market-presets.js";
import { equalWeightBuyAndHold } from "./portfolio-benchmark.js";
import { equityMetrics } from "./portfolio-metrics.js";
import { alignPanel, firstCommonDay } from "./portfolio-panel.js";
import { type PortfolioRules, simulatePortfolio } from "./portfolio-simulate.js";
import type { WeightScheme } from "./portfolio-weights.js";

interface Scenario {
  rules: {
    name: string;
    topK: number;
    nDrop: number | null;
    rebalanceEvery: number;
    weights: WeightScheme;
    maxWeight: number;
    capital: number;
    costBps: number;
    commission: number;
    slippageBps: number;
    market: MarketRules;
  };
  equity: number[];
  cash: number[];
  trades: { day: number; ticker: number; units: number; price: number; cost: number }[];
  benchmark: number[];
  benchmarkStart: number;
  metrics: Record<string, number>;
  benchmarkMetrics: Record<string, number>;
}

const reference = JSON.parse(
  readFileSync(new URL("../../test/fixtures/portfolio/portfolio-reference.json", import.meta.url), "utf8"),
) as {
  periodsPerYear: number;
  universe: { ticker: string; time: string[]; score: number[]; close: number[]; open: number[] }[];
  scenarios: Scenario[];
};

const panel = alignPanel(
  reference.universe.map((u) => ({
    ticker: u.ticker,
    time: Float64Array.from(u.time, (d) => parseIsoDate(d) as number),
    score: Float64Array.from(u.score),
    close: Float64Array.from(u.close),
    open: Float64Array.from(u.open),
  })),
);

/** |a - b| within 1e-9 of the larger magnitude (and of 1 near zero). */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-9 * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance))
      expect.fail(`${what}[${i}]: ${actual[i]} != pandas ${expected[i]}`);
  }
}

function rulesOf(s: Scenario): PortfolioRules {
  const r = s.rules;
  return { ...r, nDrop: r.nDrop ?? Number.POSITIVE_INFINITY, fractional: false };
}

describe("portfolio backtest vs the pandas reference", () => {
  it("the universe has the awkward cases the reference was built for", () => {
    expect(panel.tickers).toEqual(["A", "B", "C", "D"]);
    expect(firstCommonDay(panel)).toBe(4);
    expect(reference.scenarios.length).toBeGreaterThanOrEqual(4);
  });

  for (const s of reference.scenarios) {
    describe(s.rules.name, () => {
      const result = simulatePortfolio(panel, rulesOf(s));
      const benchmark = equalWeightBuyAndHold(panel, rulesOf(s), firstCommonDay(panel));

      it("equity and cash match day by day", () => {
        expectClose(result.equity, s.equity, "equity");
        expectClose(result.cash, s.cash, "cash");
      });

      it("every fill matches: day, ticker, units, price, cost", () => {
        const t = result.trades;
        expect(Array.from(t.day)).toEqual(s.trades.map((x) => x.day));
        expect(Array.from(t.ticker)).toEqual(s.trades.map((x) => x.ticker));
        expectClose(
          t.units,
          s.trades.map((x) => x.units),
          "units",
        );
        expectClose(
          t.price,
          s.trades.map((x) => x.price),
          "price",
        );
        expectClose(
          t.cost,
          s.trades.map((x) => x.cost),
          "cost",
        );
      });

      it("the benchmark and the metrics match", () => {
        expect(benchmark.startDay).toBe(s.benchmarkStart);
        expectClose(benchmark.equity, s.benchmark, "benchmark");
        for (const [curve, expected] of [
          [result.equity, s.metrics],
          [benchmark.equity, s.benchmarkMetrics],
        ] as const) {
          const m = equityMetrics(curve, reference.periodsPerYear);
          const keys = ["totalReturn", "cagr", "sharpe", "maxDrawdown"] as const;
          expectClose(
            keys.map((k) => m[k]),
            keys.map((k) => expected[k]),
            "metrics",
          );
        }
      });

      it("cash never goes below zero", () => {
        expect(Math.min(...result.cash)).toBeGreaterThanOrEqual(0);
      });
    });
  }

  it("the Taiwan scenario refuses a buy at a limit-up open, and a gap day leaves an order unfilled", () => {
    const tw = reference.scenarios.find((s) => s.rules.name === "twse-lots") as Scenario;
    expect(simulatePortfolio(panel, rulesOf(tw)).blockedOrders).toBeGreaterThan(0);
    const missed = reference.scenarios.map((s) => simulatePortfolio(panel, rulesOf(s)).missedOrders);
    expect(Math.max(...missed)).toBeGreaterThan(0);
  });
});
