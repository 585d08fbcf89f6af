// The majority-class baseline against counts done by hand.

import { describe, expect, it } from "vitest";
import { majorityBaseline } from "./majority-baseline.js";

describe("majorityBaseline", () => {
  it("predicts the training window's more frequent class and scores it on both windows", () => {
    // Training rows 1,1,0,1 (three ones of four); test rows 0,0,1 (one of three is a one).
    expect(majorityBaseline(Float64Array.of(1, 1, 0, 1, 0, 0, 1), 4)).toEqual({
      majority: 1,
      train: 3 / 4,
      test: 1 / 3,
    });
  });

  it("picks 0 on a tie, as scikit-learn's DummyClassifier(strategy='most_frequent') does", () => {
    expect(majorityBaseline(Float64Array.of(0, 1, 1, 0, 1), 4)).toEqual({ majority: 0, train: 0.5, test: 0 });
  });

  it("has no test figure without test rows", () => {
    const b = majorityBaseline(Float64Array.of(0, 0, 1), 3);
    expect(b.majority).toBe(0);
    expect(b.train).toBeCloseTo(2 / 3, 15);
    expect(b.test).toBeNaN();
  });
});
