// The equal-weight combined line: mean of the tickers' bar returns per date, compounded over the window's dates.

import { describe, expect, it } from "vitest";
import { combinedMetrics, combineEqualWeight } from "./combine.js";

describe("combineEqualWeight", () => {
  it("averages the returns of the tickers with one on each date", () => {
    // A: dates 1, 2, 3 with returns -, 0.1, -0.1; B starts at date 2: -, 0.3.
    const line = combineEqualWeight([
      { time: Float64Array.of(1, 2, 3), returns: Float64Array.of(Number.NaN, 0.1, -0.1) },
      { time: Float64Array.of(2, 3), returns: Float64Array.of(Number.NaN, 0.3) },
    ]);
    expect([...line.time]).toEqual([1, 2, 3]);
    expect(Number.isNaN(line.returns[0])).toBe(true);
    expect(line.returns[1]).toBeCloseTo(0.1, 12);
    expect(line.returns[2]).toBeCloseTo(0.1, 12);
    expect(line.equity[0]).toBe(1);
    expect(line.equity[2]).toBeCloseTo(1.21, 12);
    const m = combinedMetrics(line, 252)!;
    // Two returns after the first date; the line starts at 1 there.
    expect(m.bars).toBe(2);
    expect(m.totalReturn).toBeCloseTo(0.21, 12);
    expect(m.maxDrawdown).toBe(0);
    expect(combinedMetrics(combineEqualWeight([]), 252)).toBeNull();
  });

  it("one ticker's line is that ticker's returns", () => {
    const returns = Float64Array.of(Number.NaN, 0.05, -0.02, 0.01);
    const m = combinedMetrics(combineEqualWeight([{ time: Float64Array.of(1, 2, 3, 4), returns }]), 12)!;
    expect(m.totalReturn).toBeCloseTo(1.05 * 0.98 * 1.01 - 1, 12);
    expect(m.cagr).toBeCloseTo((1.05 * 0.98 * 1.01) ** (12 / 3) - 1, 12);
    expect(m.maxDrawdown).toBeCloseTo(0.02, 12);
  });
});
