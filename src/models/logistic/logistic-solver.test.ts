import { describe, expect, it } from "vitest";
import { syntheticProblem } from "../../../test/support/contract-suite.js";
import { sigmoid } from "../common/linear-classifier.js";
import { RidgeClassifier } from "../ridge/ridge-classifier.js";
import { LogisticRegression } from "./logistic-regression.js";

describe("ols solver", () => {
  it("reaches the optimum: C·Xᵀ(p − y) + β = 0 and Σ(p − y) = 0 with an intercept", async () => {
    const { X, y } = syntheticProblem(400, 3, 21);
    const model = new LogisticRegression({ C: 0.5 });
    await model.fit(X, y, { seed: 0 });
    const { coef, intercept } = model.toState().state as { coef: number[]; intercept: number };
    const p = Array.from({ length: X.rows }, (_, i) =>
      sigmoid(intercept + coef.reduce((s, b, j) => s + b * X.columns[j][i], 0)),
    );
    let g0 = 0;
    for (let i = 0; i < X.rows; i++) g0 += p[i] - y[i];
    expect(Math.abs(g0)).toBeLessThan(1e-6);
    for (let j = 0; j < 3; j++) {
      let g = 0;
      for (let i = 0; i < X.rows; i++) g += (p[i] - y[i]) * X.columns[j][i];
      expect(Math.abs(0.5 * g + coef[j])).toBeLessThan(1e-6);
    }
    expect(coef[0]).toBeGreaterThan(coef[1]);
    expect(coef[1]).toBeGreaterThan(0);
  });

  it("fit_intercept=false keeps the intercept at 0", async () => {
    const { X, y } = syntheticProblem(100, 2, 22);
    const model = new LogisticRegression({ fit_intercept: false });
    await model.fit(X, y, { seed: 0 });
    expect((model.toState().state as { intercept: number }).intercept).toBe(0);
  });
});

describe("ridge classifier", () => {
  it("alpha = 0 gives least-squares residuals orthogonal to every column", async () => {
    const { X, y } = syntheticProblem(300, 3, 23);
    const model = new RidgeClassifier({ alpha: 0 });
    await model.fit(X, y, { seed: 0 });
    const d = model.decisionFunction(X);
    for (const col of X.columns) {
      let dot = 0;
      for (let i = 0; i < X.rows; i++) dot += ((y[i] === 1 ? 1 : -1) - d[i]) * col[i];
      expect(Math.abs(dot)).toBeLessThan(1e-8);
    }
  });

  it("a huge alpha shrinks the coefficients towards 0", async () => {
    const { X, y } = syntheticProblem(300, 3, 23);
    const small = new RidgeClassifier({ alpha: 1 });
    const big = new RidgeClassifier({ alpha: 1e6 });
    await small.fit(X, y, { seed: 0 });
    await big.fit(X, y, { seed: 0 });
    const norm = (m: RidgeClassifier) =>
      (m.toState().state as { coef: number[] }).coef.reduce((s, b) => s + b * b, 0);
    expect(norm(big)).toBeLessThan(norm(small) / 100);
  });
});
