// The realistic simulation against hand-worked fills: costs, next-open timing, TWSE lots, tax and limits.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NO_MARKET_RULES, TWSE_RULES } from "./market-presets.js";
import { DEFAULT_BACKTEST_OPTIONS, runBacktest } from "./run-backtest.js";
import { deltaTomorrow, seedPositions, seedProfit } from "./seed-positions.js";
import { affordableUnits, fillCost, type SimulationOptions, simulate } from "./simulate.js";

const base: SimulationOptions = {
  strategy: "long-only",
  execution: "close",
  sizing: "fixed-shares",
  shares: 10,
  capital: 100,
  percent: 1,
  fractional: false,
  costBps: 0,
  commission: 0,
  slippageBps: 0,
  market: NO_MARKET_RULES,
};
const f = (xs: number[]) => new Float64Array(xs);

describe("simulate", () => {
  it("without frictions equals the seed's position x delta_tm", () => {
    const close = f([10, 11, 9, 12, 12.5, 11]);
    const signal = f([1, 0, 1, 1, 0, 1]);
    for (const strategy of ["long-only", "long-short"] as const) {
      const sim = simulate(close, null, signal, { ...base, strategy, shares: 100, capital: 1000 });
      const seed = seedProfit(seedPositions(signal, strategy, 100), deltaTomorrow(close));
      for (let i = 0; i < 5; i++) expect(sim.profit[i]).toBeCloseTo(seed[i], 9);
      expect(Number.isNaN(sim.profit[5])).toBe(true);
    }
  });

  it("charges cost bps and a fixed commission per fill", () => {
    const sim = simulate(f([10, 11, 12]), null, f([1, 0, 0]), { ...base, costBps: 10, commission: 1 });
    // Buy 10 @ 10: cost 0.1 + 1; the bar earns 10 x (11 - 10) = 10.
    expect(sim.profit[0]).toBeCloseTo(8.9, 12);
    // Sell 10 @ 11: cost 0.11 + 1; flat afterwards.
    expect(sim.profit[1]).toBeCloseTo(-1.11, 12);
    expect([...sim.position]).toEqual([10, 0, 0]);
  });

  it("next-open fills at the next bar's open and slippage moves the fill against the trade", () => {
    const close = f([10, 11, 12]);
    const open = f([9.9, 10.5, 11.5]);
    const sim = simulate(close, open, f([1, 1, 0]), { ...base, shares: 1, execution: "next-open" });
    expect(sim.profit[0]).toBeCloseTo(0.5, 12);
    expect(sim.profit[1]).toBeCloseTo(1, 12);
    expect(Number.isNaN(sim.profit[2])).toBe(true);
    const slipped = simulate(close, open, f([1, 1, 0]), {
      ...base,
      shares: 1,
      execution: "next-open",
      slippageBps: 100,
    });
    expect(slipped.profit[0]).toBeCloseTo(11 - 10.5 * 1.01, 12);
  });

  it("TWSE: whole 1,000-share lots, 0.1425% commission (NT$20 minimum), 0.3% sell tax", () => {
    const sim = simulate(f([100, 100, 100]), null, f([1, 0, 0]), {
      ...base,
      sizing: "percent-equity",
      capital: 150_000,
      market: TWSE_RULES,
    });
    expect(sim.position[0]).toBe(1000);
    expect(sim.costs[0]).toBeCloseTo(100_000 * 0.001425, 9);
    expect(sim.costs[1]).toBeCloseTo(100_000 * (0.001425 + 0.003), 9);
    const small = simulate(f([10, 10]), null, f([1, 1]), {
      ...base,
      shares: 1000,
      capital: 20_000,
      market: TWSE_RULES,
    });
    expect(small.costs[0]).toBe(20);
  });

  it("refuses buys at limit-up and sells at limit-down", () => {
    const sim = simulate(f([100, 110, 111, 99.9]), null, f([0, 1, 1, 0]), {
      ...base,
      shares: 1000,
      capital: 1e6,
      market: TWSE_RULES,
    });
    expect(sim.blockedOrders).toBe(2);
    expect([...sim.position]).toEqual([0, 0, 1000, 1000]);
  });

  it("percent-equity buys floor(cash / (price x (1 + cost rate))): cash never goes below zero", () => {
    // GOOG, monthly (vega-datasets stocks.csv), in and out every other month with every kind of cost.
    const csv = readFileSync(
      new URL("../../node_modules/vega-datasets/data/stocks.csv", import.meta.url),
      "utf8",
    );
    const close = Float64Array.from(
      csv
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("GOOG,"))
        .map((l) => Number(l.split(",")[2])),
    );
    const signal = close.map((_, i) => (i % 4 < 2 ? 1 : 0));
    const options = {
      ...base,
      sizing: "percent-equity" as const,
      capital: 10_000,
      costBps: 10,
      commission: 5,
      slippageBps: 5,
    };
    const sim = simulate(close, null, signal, options);
    let buys = 0;
    for (let i = 0; i < close.length; i++) {
      expect(sim.cash[i]).toBeGreaterThanOrEqual(0);
      const held = sim.position[i];
      if (held > 0 && (i === 0 || sim.position[i - 1] === 0)) {
        buys++;
        // Maximal: one more share (at the slipped fill price, with its costs) would not have fitted.
        const cashBefore = i === 0 ? 10_000 : sim.cash[i - 1];
        const fill = close[i] * 1.0005;
        const spend = (u: number) => u * fill * 1.001 + 5;
        expect(spend(held)).toBeLessThanOrEqual(cashBefore + 1e-9);
        expect(spend(held + 1)).toBeGreaterThan(cashBefore);
        expect(held).toBe(Math.floor((cashBefore - 5) / (fill * (1 + 0.001))));
      }
    }
    expect(buys).toBeGreaterThan(10);
  });

  it("affordable units fit a market minimum commission and whole lots", () => {
    const tw = { ...base, market: TWSE_RULES };
    // One lot at 100 costs 100,000 plus its 0.1425% commission (142.50): 100,142.40 is short of it.
    expect(affordableUnits(tw, 100_142.4, 100)).toBe(0);
    expect(affordableUnits(tw, 100_142.5, 100)).toBe(1000);
    const small = { ...base, market: { ...TWSE_RULES, lotSize: 1 } };
    // Single shares at 10 with the NT$20 minimum: 99 cost 990 + 20 > 1,000; 98 cost 980 + 20 = 1,000.
    expect(affordableUnits(small, 1000, 10)).toBe(98);
    expect(98 * 10 + fillCost(small, 98, 10)).toBeLessThanOrEqual(1000);
    // Huge budgets (a lot below float precision) still end.
    expect(affordableUnits(base, 1e30, 3)).toBeGreaterThan(0);
    expect(
      affordableUnits({ ...base, fractional: true, costBps: 10 }, 1000, 7) * 7 * 1.001,
    ).toBeLessThanOrEqual(1000);
  });

  it("runBacktest switches to the simulation for realism options and keeps the seed columns", () => {
    const bars = { time: f([1, 2, 3]), price: f([10, 11, 12]), signal: f([1, 1, 0]) };
    const seed = runBacktest(bars, DEFAULT_BACKTEST_OPTIONS);
    const costly = runBacktest(bars, { ...DEFAULT_BACKTEST_OPTIONS, costBps: 10 });
    expect(seed.seedMode).toBe(true);
    expect(costly.seedMode).toBe(false);
    expect(costly.columns.get("profit")![0]).toBeLessThan(seed.columns.get("profit")![0]);
    expect([...costly.columns.keys()].slice(0, 8)).toEqual([
      "price",
      "signal",
      "position",
      "profit",
      "buy",
      "sell",
      "profit_cumul_train",
      "profit_cumul_test",
    ]);
  });
});
