// The realistic simulation against hand-worked fills: costs, next-open timing, TWSE lots, tax and limits.

import { describe, expect, it } from "vitest";
import { NO_MARKET_RULES, TWSE_RULES } from "./market-presets.js";
import { DEFAULT_BACKTEST_OPTIONS, runBacktest } from "./run-backtest.js";
import { deltaTomorrow, seedPositions, seedProfit } from "./seed-positions.js";
import { type SimulationOptions, simulate } from "./simulate.js";

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
