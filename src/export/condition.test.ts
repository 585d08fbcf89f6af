import { describe, expect, it } from "vitest";
import { evaluateCondition } from "./condition.js";

const SEED_001 = "positive_accuracy>0.5 && negative_accuracy>0.5 && overall>0.6";

describe("evaluateCondition", () => {
  it("applies seed 001's thresholds to camelCase metrics", () => {
    expect(
      evaluateCondition(SEED_001, { positiveAccuracy: 0.7, negativeAccuracy: 0.6, overallScore: 0.65 })
        .passed,
    ).toBe(true);
    const r = evaluateCondition(SEED_001, {
      positiveAccuracy: 0.7,
      negativeAccuracy: 0.4,
      overallScore: 0.65,
    });
    expect(r.passed).toBe(false);
    expect(r.checks.filter((c) => !c.passed).map((c) => c.text)).toEqual(["negative_accuracy > 0.5"]);
  });

  it("handles ||, parentheses and every comparison", () => {
    const m = { accuracy: 0.6, precision: 0.4 };
    expect(evaluateCondition("accuracy>=0.6 && precision<=0.4", m).passed).toBe(true);
    expect(evaluateCondition("accuracy<0.5 || precision!=0.4", m).passed).toBe(false);
    expect(evaluateCondition("(accuracy<0.5 || precision==0.4) && accuracy>0.1", m).passed).toBe(true);
    expect(evaluateCondition("0.5 < accuracy", m).passed).toBe(true);
  });

  it("refuses unknown metrics and broken syntax with a usage error", () => {
    expect(() => evaluateCondition("sharpe>1", { accuracy: 1 })).toThrow(/unknown metric "sharpe"/);
    expect(() => evaluateCondition("accuracy>", { accuracy: 1 })).toThrow(/ends too early/);
    expect(() => evaluateCondition("accuracy>0.5 &&", { accuracy: 1 })).toThrow();
    expect(() => evaluateCondition("accuracy 0.5", { accuracy: 1 })).toThrow(/expected a comparison/);
    expect(() => evaluateCondition("accuracy>0.5; rm", { accuracy: 1 })).toThrow(/cannot read/);
  });
});
