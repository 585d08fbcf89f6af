import { describe, expect, it } from "vitest";
import { syntheticProblem } from "../../../test/support/contract-suite.js";
import { applyScaler, balancedWeights, fitScaler } from "../common/standard-scaler.js";
import { LogisticRegression } from "../logistic/logistic-regression.js";
import type { Classifier, FeatureMatrix } from "../model.js";
import { permutationDrops, permutationImportance } from "./permutation-importance.js";

/** A fixed rule (class 1 when x0 > 0): it never reads the other columns. */
const rule: Classifier = {
  name: "rule",
  params: {},
  fit: async () => {},
  classes: () => Float64Array.of(0, 1),
  predict: (X: FeatureMatrix) => X.columns[0].map((v) => (v > 0 ? 1 : 0)),
  predictProba: (X: FeatureMatrix) => {
    const out = new Float64Array(2 * X.rows);
    for (let i = 0; i < X.rows; i++) out[2 * i + (X.columns[0][i] > 0 ? 1 : 0)] = 1;
    return out;
  },
  toState: () => ({ model: "rule", params: {}, classes: [0, 1], state: null }),
};

describe("permutation importance", () => {
  it("ranks the signal column first and pure noise near zero, repeatably", async () => {
    const { X, y } = syntheticProblem(600, 4, 31);
    const model = new LogisticRegression();
    await model.fit(X, y, { seed: 0 });
    const a = permutationImportance(model, X, y, "accuracy", 5, 9);
    const b = permutationImportance(model, X, y, "accuracy", 5, 9);
    expect([...a.mean]).toEqual([...b.mean]);
    expect(a.mean[0]).toBeGreaterThan(a.mean[1]);
    expect(a.mean[1]).toBeGreaterThan(Math.abs(a.mean[3]));
    expect(Math.abs(a.mean[3])).toBeLessThan(0.03);
    expect(a.baseline).toBeGreaterThan(0.8);
  });
});

describe("permutation importance, per feature", () => {
  it("a column the model never reads scores exactly 0; the one it reads loses about half its accuracy", () => {
    const { X, y } = syntheticProblem(2000, 3, 8);
    const labels = X.columns[0].map((v) => (v > 0 ? 1 : 0));
    const result = permutationImportance(rule, X, labels, "accuracy", 4, 2);
    expect(result.baseline).toBe(1);
    expect(result.mean[1]).toBe(0);
    expect(result.mean[2]).toBe(0);
    expect(result.std[1]).toBe(0);
    // A shuffled sign agrees with the true one about half the time: accuracy 0.5 +- a few sd (sd ~0.011).
    expect(result.mean[0]).toBeGreaterThan(0.45);
    expect(result.mean[0]).toBeLessThan(0.55);
    expect(y).toHaveLength(2000);
  });

  it("each feature's shuffles are its own: computing it alone gives the same drops", async () => {
    const { X, y } = syntheticProblem(500, 4, 3);
    const model = new LogisticRegression();
    await model.fit(X, y, { seed: 0 });
    const all = permutationImportance(model, X, y, "roc_auc", 3, 11);
    for (const j of [3, 1]) {
      const alone = permutationDrops(model, X, y, "roc_auc", all.baseline, j, 3, 11);
      expect(alone.reduce((a, b) => a + b, 0) / 3).toBeCloseTo(all.mean[j], 15);
    }
  });
});

describe("standard scaler", () => {
  it("fits on the given rows only, population std, constant columns scale by 1", () => {
    const X = { rows: 4, columns: [Float64Array.of(1, 3, 100, 200), Float64Array.of(5, 5, 5, 5)] };
    const s = fitScaler(X, Uint32Array.of(0, 1));
    expect(s.mean).toEqual([2, 5]);
    expect(s.scale).toEqual([1, 1]);
    const out = applyScaler(X, s);
    expect([...out.columns[0]]).toEqual([-1, 1, 98, 198]);
    expect([...out.columns[1]]).toEqual([0, 0, 0, 0]);
  });

  it("balanced class weights are n / (2 * count)", () => {
    expect([...balancedWeights(Float64Array.of(1, 0, 0, 0))]).toEqual([2, 2 / 3, 2 / 3, 2 / 3]);
  });
});
