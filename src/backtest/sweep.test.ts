import { describe, expect, it } from "vitest";
import { DEFAULT_BACKTEST_OPTIONS } from "./run-backtest.js";
import { parseSweep, sweepThreshold } from "./sweep.js";

describe("parseSweep", () => {
  it("expands a range with its stop, and a list", () => {
    expect(parseSweep("threshold=0.5:0.7:0.05")).toEqual({
      parameter: "threshold",
      values: [0.5, 0.55, 0.6, 0.65, 0.7],
    });
    expect(parseSweep("threshold=0.5:0.69:0.1").values).toEqual([0.5, 0.6]);
    expect(parseSweep("threshold = 0.6, 0.52").values).toEqual([0.6, 0.52]);
  });

  it("refuses what is not a sweep (usage error)", () => {
    for (const bad of [
      "threshold",
      "alpha=1:2:1",
      "threshold=0.5:0.7",
      "threshold=0.5:0.7:0",
      "threshold=0.7:0.5:0.1",
      "threshold=0.5",
      "threshold=0.5,0.5",
      "threshold=0.5,x",
      "threshold=0.5,1.5",
      "threshold=0:1:0.0001",
    ])
      expect(() => parseSweep(bad), bad).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

describe("sweepThreshold", () => {
  it("backtests proba > threshold per value with the seed arithmetic", () => {
    const time = Float64Array.from({ length: 6 }, (_, i) => Date.UTC(2020, 0, 1 + i));
    const price = Float64Array.from([10, 11, 10, 12, 13, 12]);
    const proba = Float64Array.from([Number.NaN, 0.55, 0.65, 0.5, 0.7, 0.6]);
    const trials = sweepThreshold({ time, price }, proba, [0.5, 0.6], DEFAULT_BACKTEST_OPTIONS);
    // 0.5: long on rows 1, 2, 4, 5 (0.5 itself is not above 0.5); 0.6: rows 2 and 4.
    const pnl = (longs: number[]) =>
      longs.reduce((a, i) => a + (i + 1 < price.length ? 100 * (price[i + 1] - price[i]) : 0), 0);
    const total = (k: number) => {
      const profit = trials[k].result.columns.get("profit") as Float64Array;
      return Array.from(profit).reduce((a, v) => a + (Number.isFinite(v) ? v : 0), 0);
    };
    expect(total(0)).toBeCloseTo(pnl([1, 2, 4, 5]), 9);
    expect(total(1)).toBeCloseTo(pnl([2, 4]), 9);
    expect(Array.from(trials[1].result.columns.get("signal") as Float64Array)).toEqual([
      Number.NaN,
      0,
      1,
      0,
      1,
      0,
    ]);
    // Returns of the whole series (no split): one per bar after the first.
    expect(trials[0].returns.length).toBe(5);
  });
});
