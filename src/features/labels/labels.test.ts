// Forward-looking labels: values on small series, horizons, and NaN where the future is unknown.

import { describe, expect, it } from "vitest";
import { aboveMaLabel } from "./above-ma.js";
import { forwardReturnLabel } from "./forward-return.js";
import { computeLabels, parseLabelSpec } from "./label-spec.js";
import { optimalPositionLabel } from "./optimal-position.js";
import { trendLabels } from "./trend.js";
import { tripleBarrierLabel } from "./triple-barrier.js";
import { upDownLabel } from "./up-down.js";

const f = (...v: number[]) => Float64Array.from(v);
const N = Number.NaN;

describe("labels", () => {
  it("up_down_tm / up_down_{k}d and fwd_ret_{k}d", () => {
    const c = f(10, 11, 10, 10, 12);
    expect(Array.from(upDownLabel(c, 1).columns.get("up_down_tm")!)).toEqual([1, 0, 0, 1, N]);
    expect(Array.from(upDownLabel(c, 2).columns.get("up_down_2d")!)).toEqual([0, 0, 1, N, N]);
    const r = forwardReturnLabel(c, 2);
    expect(r.labels).toEqual([{ name: "fwd_ret_2d", horizon: 2, kind: "regression" }]);
    expect(r.columns.get("fwd_ret_2d")![2]).toBeCloseTo(0.2, 12);
  });

  it("trend_up / trend_down compare the moving average k rows ahead with today's", () => {
    const c = f(100, 100, 106, 106, 90, 90);
    const t = trendLabels(c, 2, 2, 0.05);
    // SMA2 = [N, 100, 103, 106, 98, 90]; row 1: 106/100-1 = +6% -> up; row 2: 98/103-1 = -4.9%; row 3: -15%
    expect(Array.from(t.columns.get("trend_up")!)).toEqual([N, 1, 0, 0, N, N]);
    expect(Array.from(t.columns.get("trend_down")!)).toEqual([N, 0, 0, 1, N, N]);
  });

  it("above_ma20_tm: tomorrow's close above today's moving average", () => {
    const c = f(1, 2, 3, 1, 5);
    const out = aboveMaLabel(c, 2).columns.get("above_ma2_tm")!;
    // SMA2 = [N, 1.5, 2.5, 2, 3]
    expect(Array.from(out)).toEqual([N, 1, 0, 1, N]);
    expect(aboveMaLabel(c).labels[0].name).toBe("above_ma20_tm");
  });

  it("triple barrier: first barrier touched, and the time to touch", () => {
    // Alternating returns give a constant rolling volatility; then a jump up and a crash.
    const c = f(100, 101, 100, 101, 100, 130, 60, 60, 60);
    const tb = tripleBarrierLabel(c, { profitTake: 1, stopLoss: 1, horizon: 2, volWindow: 3 });
    const label = tb.columns.get("tb_2d")!;
    const touch = tb.columns.get("tb_touch_2d")!;
    expect(Number.isNaN(label[2])).toBe(true); // volatility not yet defined
    // sigma at rows 3-4 = 1.1547 ln(1.01) ~ 1.15%: row 3 (101) sees 100 (inside), then 130 -> +1 after 2 rows.
    expect([label[3], touch[3]]).toEqual([1, 2]);
    expect([label[4], touch[4]]).toEqual([1, 1]);
    expect([label[5], touch[5]]).toEqual([-1, 1]); // 130 -> 60
    expect([label[6], touch[6]]).toEqual([0, 2]); // flat until the vertical barrier
    expect(Number.isNaN(label[7])).toBe(true); // the vertical barrier lies past the data
    expect(tb.labels.map((l) => l.horizon)).toEqual([2, 2]);
  });

  it("optimal_position: with no cost it follows the next return; a large cost keeps it flat", () => {
    const c = f(10, 11, 10, 12, 11);
    expect(Array.from(optimalPositionLabel(c, 0).columns.get("optimal_position")!)).toEqual([
      1,
      -1,
      1,
      -1,
      N,
    ]);
    expect(Array.from(optimalPositionLabel(c, 1).columns.get("optimal_position")!)).toEqual([0, 0, 0, 0, N]);
    // A small cost makes it hold through a small dip in a strong up-move.
    const trend = f(100, 110, 109.9, 120);
    expect(Array.from(optimalPositionLabel(trend, 0.01).columns.get("optimal_position")!)).toEqual([
      1,
      1,
      1,
      N,
    ]);
  });

  it("spec parser: defaults, aliases and errors", () => {
    expect(parseLabelSpec("up_down_tm,up_down_5d,fwd_ret:3,trend,optimal_position:0.002")).toEqual([
      { name: "up_down_tm", params: [] },
      { name: "up_down", params: [5] },
      { name: "fwd_ret", params: [3] },
      { name: "trend", params: [10, 10, 0.05] },
      { name: "optimal_position", params: [0.002] },
    ]);
    expect(() => parseLabelSpec("nope")).toThrow(/unknown label "nope"/);
    expect(() => parseLabelSpec("up_down:1.5")).toThrow(/parameter 1/);
    const block = computeLabels(f(1, 2, 3, 4), parseLabelSpec("up_down_tm,fwd_ret:2"));
    expect(block.labels.map((l) => [l.name, l.horizon])).toEqual([
      ["up_down_tm", 1],
      ["fwd_ret_2d", 2],
    ]);
  });
});
