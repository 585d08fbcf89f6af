// The equal-weight combined line: mean of the tickers' bar returns per date, compounded.

import { describe, expect, it } from "vitest";
import { combinedMetrics, combineEqualWeight } from "./combine.js";

describe("combineEqualWeight", () => {
  it("averages returns of the tickers present on each date", () => {
    // A: capital 100, +10 then -11 (returns 0.1, -0.1); B: capital 50, starts a day later, +5 (0.1).
    const line = combineEqualWeight([
      { time: new Float64Array([1, 2]), profit: new Float64Array([10, -11]), capital: 100 },
      { time: new Float64Array([2, 3]), profit: new Float64Array([5, Number.NaN]), capital: 50 },
    ]);
    expect([...line.time]).toEqual([1, 2, 3]);
    expect(line.returns[0]).toBeCloseTo(0.1, 12);
    expect(line.returns[1]).toBeCloseTo(0, 12);
    expect(line.returns[2]).toBe(0);
    expect(line.equity[2]).toBeCloseTo(1.1, 12);
    const m = combinedMetrics(line, 2, Number.POSITIVE_INFINITY, 252)!;
    expect(m.bars).toBe(2);
    expect(m.totalReturn).toBeCloseTo(0, 12);
    expect(combinedMetrics(line, 10, 20, 252)).toBeNull();
  });
});
