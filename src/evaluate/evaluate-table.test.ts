// Which rows and columns evaluate scores: labels, forecasts, test windows, --last, and backtest capital.

import { describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { evaluateBacktest, evaluatePredictions } from "./evaluate-table.js";

const days = (n: number) => Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1 + i));
const f = (xs: number[]) => new Float64Array(xs);

describe("evaluatePredictions", () => {
  const frame = Frame.fromColumns("X", days(6), {
    pred: f([1, 0, 1, 1, 0, 1]),
    proba: f([0.9, 0.2, 0.6, 0.7, 0.4, 0.8]),
    up_down_1wk: f([1, 0, 0, 1, 1, Number.NaN]),
  });

  it("scores rows with a label, named by details.target", () => {
    const e = evaluatePredictions(frame, { target: "up_down_1wk" }, "t");
    expect(e.kind).toBe("classification");
    // Rows 0-4: TP, TN, FP, TP, FN.
    expect(e.metrics.rows).toBe(5);
    expect(e.metrics.accuracy).toBeCloseTo(3 / 5, 12);
    expect(e.metrics.precision).toBeCloseTo(2 / 3, 12);
    expect(e.metrics.true_positives).toBe(2);
  });

  it("--last keeps the most recent scored rows; from keeps the test window", () => {
    const last = evaluatePredictions(frame, {}, "t", { last: 2 });
    expect(last.metrics.rows).toBe(2);
    expect(last.metrics.accuracy).toBe(0.5);
    const test = evaluatePredictions(frame, {}, "t", { from: Date.UTC(2024, 0, 3) });
    expect(test.metrics.rows).toBe(3);
    expect(test.from).toBe(Date.UTC(2024, 0, 3));
  });

  it("a non-0/1 prediction is a forecast scored against actual", () => {
    const forecast = Frame.fromColumns("X", days(2), { prediction: f([110, 90]), actual: f([100, 100]) });
    const e = evaluatePredictions(forecast, {}, "t");
    expect(e.kind).toBe("regression");
    expect(e.metrics.smape).toBeCloseTo(((20 / 210 + 20 / 190) / 2) * 100, 10);
    expect(() => evaluatePredictions(Frame.fromColumns("X", days(1), { pred: f([1]) }), {}, "t")).toThrow(
      /no label/,
    );
  });
});

describe("evaluateBacktest", () => {
  // Capital 100: profits 10, -11, 5 -> equity 110, 99, 104; buy-and-hold equity 105, 100, 120.
  const frame = Frame.fromColumns("X", days(3), {
    profit: f([10, -11, 5]),
    position: f([1, 1, 0]),
    price: f([10, 11, 10]),
    equity: f([110, 99, 104]),
    benchmark_equity: f([105, 100, 120]),
  });

  it("recovers the capital and compares with buy-and-hold", () => {
    const e = evaluateBacktest(frame, "t");
    expect(e.metrics.total_pnl).toBeCloseTo(4, 12);
    expect(e.metrics.total_return).toBeCloseTo(0.04, 12);
    expect(e.metrics.benchmark_total_return).toBeCloseTo(0.2, 12);
    expect(e.metrics.excess_return).toBeCloseTo(-0.16, 12);
  });

  it("windows restart from the capital, like the backtest's test metrics", () => {
    const e = evaluateBacktest(frame, "t", { from: Date.UTC(2024, 0, 2) });
    expect(e.metrics.rows).toBe(2);
    expect(e.metrics.total_return).toBeCloseTo(-0.06, 12);
    expect(e.metrics.benchmark_total_return).toBeCloseTo(0.15, 12);
  });
});
