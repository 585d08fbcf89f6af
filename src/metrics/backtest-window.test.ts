// A backtest window's pieces on hand-worked numbers: return series, the default capital, the one-row window,
// and an artifact measured by the rules it recorded.

import { describe, expect, it } from "vitest";
import { defaultWindowCapital, priceReturns, windowMetrics, windowReturns } from "./backtest-window.js";
import { artifactWindow, recordedBacktest } from "./recorded-backtest.js";

describe("backtest window", () => {
  it("return series: entry k is the return realised at close start + k, entry 0 undefined", () => {
    const profit = Float64Array.of(10, -11, 5, Number.NaN);
    const r = windowReturns(profit, 1, 4, 110);
    expect(Number.isNaN(r[0])).toBe(true);
    expect(r[1]).toBeCloseTo(-0.1, 12);
    expect(r[2]).toBeCloseTo(5 / 99, 12);
    const p = priceReturns(Float64Array.of(10, Number.NaN, 12, 6), 0, 4);
    expect(Number.isNaN(p[0])).toBe(true);
    expect(p[1]).toBe(0);
    expect(p[2]).toBeCloseTo(0.2, 14);
    expect(p[3]).toBe(-0.5);
  });

  it("default capital: the cost of the shares at the first close, raised where the trades need more", () => {
    const columns = {
      price: Float64Array.of(10, 20, 40, 30),
      position: Float64Array.of(0, 0, 100, 0),
      profit: Float64Array.of(0, 0, -1000, Number.NaN),
    };
    // Entering at 40 needs 4,000 with nothing earned before it.
    expect(defaultWindowCapital(columns, 0, 4, 100)).toBe(4000);
    // A window whose entry is its last row earns nothing there: the first close's cost is enough.
    expect(defaultWindowCapital(columns, 0, 3, 100)).toBe(1000);
    const w = windowMetrics(columns, 0, 4, 4000, 252)!;
    expect(w.strategy.totalReturn).toBeCloseTo(-0.25, 12);
    expect(w.buyAndHold.totalReturn).toBeCloseTo(2, 12);
    // One row: no bar, every metric undefined.
    const one = windowMetrics(columns, 2, 3, 4000, 252)!;
    expect(one.strategy.bars).toBe(0);
    expect(Number.isNaN(one.strategy.totalReturn)).toBe(true);
  });

  it("an artifact's window starts where its recorded rules say", () => {
    expect(recordedBacktest({ splitDate: "2020-01-01" })).toBeNull();
    const account = recordedBacktest({ capitalMode: "account", shares: 100, periodsPerYear: 12 })!;
    expect(account.periodsPerYear).toBe(12);
    // Capital 100: profits 10, -11, 5 -> equity 110, 99, 104; prices 10, 11, 10, 10.5.
    const columns = {
      profit: Float64Array.of(10, -11, 5, Number.NaN),
      position: Float64Array.of(10, 10, 10, 0),
      price: Float64Array.of(10, 11, 9.9, 10.4),
      equity: Float64Array.of(110, 99, 104, 104),
    };
    const test = artifactWindow(columns, 1, 4, account)!;
    // The account's equity at row 1's close is 110 (equity one row earlier); its bars earn -11 then +5.
    expect(test.capital).toBe(110);
    expect(test.strategy.bars).toBe(2);
    expect(test.strategy.totalReturn).toBeCloseTo(104 / 110 - 1, 12);
    expect(test.buyAndHold.totalReturn).toBeCloseTo(10.4 / 11 - 1, 12);
    expect(artifactWindow(columns, 0, 4, account)!.capital).toBe(100);
    const perWindow = recordedBacktest({ capitalMode: "per-window", shares: 10 })!;
    expect(perWindow.periodsPerYear).toBe(252);
    expect(artifactWindow(columns, 1, 4, perWindow)!.capital).toBeCloseTo(110, 12);
  });
});
