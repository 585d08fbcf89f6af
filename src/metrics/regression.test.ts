import { describe, expect, it } from "vitest";
import {
  directionalAccuracy,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  regressionMetricSet,
  regressionReport,
  rootMeanSquaredError,
  rSquared,
  symmetricMape,
} from "./regression.js";

const actual = [100, 200, 50];
const predicted = [110, 180, 50];

describe("regression metrics", () => {
  it("computes MSE, RMSE and MAE by hand", () => {
    expect(meanSquaredError(actual, predicted)).toBeCloseTo((100 + 400 + 0) / 3, 12);
    expect(rootMeanSquaredError(actual, predicted)).toBeCloseTo(Math.sqrt(500 / 3), 12);
    expect(meanAbsoluteError(actual, predicted)).toBeCloseTo(30 / 3, 12);
  });

  it("computes MAPE in percent", () => {
    expect(meanAbsolutePercentageError(actual, predicted)).toBeCloseTo(((0.1 + 0.1 + 0) / 3) * 100, 12);
  });

  it("computes sMAPE exactly as seed 003 (2|o-t|/(|t|+|o|), mean, x100)", () => {
    const expected = (((2 * 10) / 210 + (2 * 20) / 380 + 0) / 3) * 100;
    expect(symmetricMape(actual, predicted)).toBeCloseTo(expected, 12);
    expect(symmetricMape([1], [-1])).toBeCloseTo(200, 12);
  });

  it("scores direction against the previous actual", () => {
    // steps: 100->200 up, predicted 180 > 100 up (hit); 200->50 down, predicted 50 < 200 down (hit)
    expect(directionalAccuracy(actual, predicted)).toBe(1);
    expect(directionalAccuracy([10, 11, 12], [10, 9, 13])).toBe(0.5);
  });

  it("computes R² and leaves it undefined for constant actuals", () => {
    // SS_res = 1, SS_tot = 2
    expect(rSquared([1, 2, 3], [1, 2, 4])).toBeCloseTo(0.5, 12);
    expect(rSquared([5, 5], [5, 5])).toBeNaN();
    expect(rSquared([5], [4])).toBeNaN();
  });

  it("bundles everything in one report, snake_case outside, NaN over zero rows", () => {
    const r = regressionReport(actual, predicted);
    expect(r.rows).toBe(3);
    expect(r.rmse * r.rmse).toBeCloseTo(r.mse, 9);
    const set = regressionMetricSet(r);
    expect(set.directional_accuracy).toBe(r.directionalAccuracy);
    expect(set.r2).toBe(r.r2);
    const empty = regressionMetricSet(regressionReport([], []));
    expect(empty.rows).toBe(0);
    for (const [k, v] of Object.entries(empty)) if (k !== "rows") expect(v, k).toBeNaN();
  });
});
