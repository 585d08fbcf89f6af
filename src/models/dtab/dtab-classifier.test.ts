import { describe, expect, it } from "vitest";
import { runModelContract, syntheticProblem } from "../../../test/support/contract-suite.js";
import { getModelFactory } from "../registry.js";

runModelContract("dtab", { n_estimators: 20, max_depth: 2, learning_rate: 0.75 });

describe("dtab", () => {
  it("boosting stumps beats a single stump on a diagonal boundary", async () => {
    const train = syntheticProblem(1500, 2, 41);
    const test = syntheticProblem(500, 2, 42);
    const score = async (n: number) => {
      const model = getModelFactory("dtab").create({ n_estimators: n });
      await model.fit(train.X, train.y, { seed: 1 });
      const pred = model.predict(test.X);
      let hits = 0;
      for (let i = 0; i < pred.length; i++) if (pred[i] === test.y[i]) hits++;
      return hits / pred.length;
    };
    const one = await score(1);
    const many = await score(100);
    expect(many).toBeGreaterThan(one + 0.03);
    expect(many).toBeGreaterThan(0.85);
  });

  it("probabilities follow scikit-learn's SAMME formula: sigmoid of the normalised vote difference", async () => {
    const train = syntheticProblem(300, 2, 43);
    const model = getModelFactory("dtab").create({ n_estimators: 5 });
    await model.fit(train.X, train.y, { seed: 1 });
    const state = model.toState().state as { alphas: number[] };
    const alphaSum = state.alphas.reduce((a, b) => a + b, 0);
    const proba = model.predictProba(train.X);
    for (let i = 0; i < 20; i++) {
      const p = proba[2 * i + 1];
      // d = logit(p) must be a signed sum of alphas / alphaSum, so it lies in [-1, 1].
      const d = Math.log(p / (1 - p));
      expect(Math.abs(d)).toBeLessThanOrEqual(1 + 1e-12);
      expect(alphaSum).toBeGreaterThan(0);
    }
  });

  it("stops at a perfect first stump", async () => {
    const rows = 50;
    const x = new Float64Array(rows).map((_, i) => i);
    const y = new Float64Array(rows).map((_, i) => (i >= 25 ? 1 : 0));
    const model = getModelFactory("dtab").create({ n_estimators: 10 });
    await model.fit({ rows, columns: [x] }, y, { seed: 1 });
    const state = model.toState().state as { alphas: number[] };
    expect(state.alphas).toEqual([1]);
    expect([...model.predict({ rows, columns: [x] })]).toEqual([...y]);
  });
});
