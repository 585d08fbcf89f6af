import { describe, expect, it } from "vitest";
import { applyScaler, balancedWeights, fitScaler } from "../common/standard-scaler.js";
import { syntheticProblem } from "../contract-suite.js";
import { LogisticRegression } from "../logistic/logistic-regression.js";
import { permutationImportance } from "./permutation-importance.js";

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
