import { describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { cumulativePnl, predictedVsObserved } from "./report-series.js";

const DAY = 86_400_000;
const days = (n: number, from = 0) => Float64Array.from({ length: n }, (_, i) => (from + i) * DAY);

describe("report series", () => {
  it("buy-and-hold P&L is benchmark equity minus the capital recovered from equity and profit", () => {
    const f = Frame.fromColumns("X", days(3), {
      profit: Float64Array.of(5, -2, 4),
      equity: Float64Array.of(1005, 1003, 1007),
      benchmark_equity: Float64Array.of(1000, 1010, 990),
      profit_cumul_train: Float64Array.of(5, 3, Number.NaN),
      profit_cumul_test: Float64Array.of(Number.NaN, Number.NaN, 4),
    });
    const pnl = cumulativePnl(f, null);
    expect(Array.from(pnl.buyAndHold!)).toEqual([0, 10, -10]);
    expect(Array.from(cumulativePnl(f, { capital: 900 }).buyAndHold!)).toEqual([100, 110, 90]);
    expect(pnl.test[2]).toBe(4);
  });

  it("aligns sequence forecasts with the bars' close by date and skips 0/1 classifiers", () => {
    const bars = Frame.fromColumns("X", days(5), { close: Float64Array.of(10, 11, 12, 13, 14) });
    const forecasts = Frame.fromColumns("X", days(3, 2), { prediction: Float64Array.of(12.5, 12.9, 14.2) });
    const s = predictedVsObserved(forecasts, bars)!;
    expect(Array.from(s.observed)).toEqual([12, 13, 14]);
    expect(Array.from(s.predicted)).toEqual([12.5, 12.9, 14.2]);
    const classes = Frame.fromColumns("X", days(3), { pred: Float64Array.of(0, 1, 1) });
    expect(predictedVsObserved(classes, bars)).toBeNull();
  });
});
