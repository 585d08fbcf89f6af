// Every-window forecasts: one output per full window in row order, un-scaled at each target bar's date.

import { describe, expect, it } from "vitest";
import { Random } from "../../core/random.js";
import { FusedLstm } from "./fused-lstm.js";
import { predictWindows } from "./lstm-trainer.js";
import { jsEngine } from "./matmul-engine.js";
import { everyWindowOutputs, priceForecasts } from "./window-forecasts.js";

const DAY = 86_400_000;

describe("everyWindowOutputs", () => {
  it("forecasts the window ending at each row from steps - 1 on, as single windows would", () => {
    const net = FusedLstm.create(
      { inputSize: 1, units: 4, layers: 1, outputSize: 2, head: "last" },
      new Random(1),
    );
    const series = Float32Array.from({ length: 9 }, (_, i) => Math.sin(i));
    const out = everyWindowOutputs(net, series, 4, jsEngine);
    expect(out.length).toBe((9 - 4 + 1) * 2);
    for (const start of [0, 3, 5]) {
      const one = predictWindows(net, series, [start], 4, jsEngine);
      expect(out[start * 2]).toBeCloseTo(one[0], 6);
      expect(out[start * 2 + 1]).toBeCloseTo(one[1], 6);
    }
  });
});

describe("priceForecasts", () => {
  // Days 0, 1, 2, 5 (a gap); z-scores with mean 100, std 2 and a trend of +1 per calendar day.
  const time = Float64Array.from([0, 1, 2, 5], (d) => d * DAY);
  const transform = { trend: { slope: 1, intercept: 0, originMs: 0 }, mean: 100, std: 2 };

  it("un-scales each horizon at its target bar's date, and past the last row by the median step", () => {
    // steps 2: windows end at rows 1, 2, 3; horizon 2; raw outputs all 0.5 -> 101 + trend(target date).
    const out = new Float32Array(3 * 2).fill(0.5);
    const [h1, h2] = priceForecasts(out, transform, time, 2, 2, DAY);
    // Rows 1, 2 have their next bar (days 2, 5); row 3's is unknown: day 5 + 1.
    expect(Array.from(h1)).toEqual([101 + 2, 101 + 5, 101 + 6]);
    // Row 1's second bar is day 5; rows 2, 3 run past the data: their own date + 2 steps (days 4, 7).
    expect(Array.from(h2)).toEqual([101 + 5, 101 + 4, 101 + 7]);
  });
});
