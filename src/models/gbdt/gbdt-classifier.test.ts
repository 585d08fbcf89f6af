import { describe, expect, it } from "vitest";
import { runModelContract, syntheticProblem } from "../../../test/support/contract-suite.js";
import { Random } from "../../core/random.js";
import type { Classifier, FeatureMatrix } from "../model.js";
import { getModelFactory } from "../registry.js";

runModelContract("gbdt", { n_estimators: 20, num_leaves: 6, max_depth: null, subsample: 0.8 });

function accuracy(model: Classifier, X: FeatureMatrix, y: Float64Array): number {
  const pred = model.predict(X);
  let hits = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === y[i]) hits++;
  return hits / pred.length;
}

describe("gbdt", () => {
  it("learns a nonlinear boundary (x0^2 + x1^2 < 1.2) close to the Bayes rate", async () => {
    const make = (rows: number, seed: number) => {
      const rng = new Random(seed);
      const columns = Array.from({ length: 4 }, () => new Float64Array(rows));
      const y = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < 4; j++) columns[j][i] = rng.normal();
        y[i] = columns[0][i] ** 2 + columns[1][i] ** 2 < 1.2 ? 1 : 0;
      }
      return { X: { rows, columns }, y };
    };
    const train = make(3000, 1);
    const test = make(1000, 2);
    const model = getModelFactory("gbdt").create({ n_estimators: 100, max_depth: 4 });
    await model.fit(train.X, train.y, { seed: 1 });
    expect(accuracy(model, test.X, test.y)).toBeGreaterThan(0.93);
    const gain = model.gainImportance!();
    expect(Math.min(gain[0], gain[1])).toBeGreaterThan(10 * Math.max(gain[2], gain[3]));
  });

  it("early stopping on the validation tail stops before n_estimators on a noise-only label", async () => {
    const rng = new Random(3);
    const { X } = syntheticProblem(800, 3, 4);
    const y = new Float64Array(800).map(() => (rng.next() < 0.5 ? 1 : 0));
    const model = getModelFactory("gbdt").create({
      n_estimators: 300,
      early_stopping: true,
      validation_fraction: 0.2,
      n_iter_no_change: 5,
    });
    await model.fit(X, y, { seed: 1 });
    const state = model.toState().state as { rounds: number; trees: unknown[] };
    expect(state.rounds).toBeLessThan(50);
    expect(state.trees.length).toBe(state.rounds);
  });

  it("scale_pos_weight raises the predicted positive rate on an imbalanced label", async () => {
    const { X, y } = syntheticProblem(1200, 4, 8);
    // Make positives rare: keep 1 only where the signal is strong.
    const rare = y.map((v, i) => (v === 1 && X.columns[0][i] > 0.8 ? 1 : 0));
    const positives = async (spw: number | string) => {
      const model = getModelFactory("gbdt").create({ n_estimators: 30, max_depth: 2, scale_pos_weight: spw });
      await model.fit(X, rare, { seed: 1 });
      return model.predict(X).reduce((a, b) => a + b, 0);
    };
    expect(await positives("balanced")).toBeGreaterThan(await positives(1));
  });

  it("fits three classes (softmax, one tree per class and round)", async () => {
    const train = syntheticProblem(900, 3, 30);
    const label = (X: FeatureMatrix, i: number) =>
      X.columns[0][i] < -0.5 ? 0 : X.columns[0][i] < 0.5 ? 1 : 2;
    const y = new Float64Array(900).map((_, i) => label(train.X, i));
    const model = getModelFactory("gbdt").create({ n_estimators: 20, max_depth: 2 });
    await model.fit(train.X, y, { seed: 1 });
    expect([...model.classes()]).toEqual([0, 1, 2]);
    const state = model.toState().state as { trees: unknown[] };
    expect(state.trees.length).toBe(60);
    expect(accuracy(model, train.X, y)).toBeGreaterThan(0.97);
    const loaded = getModelFactory("gbdt").load(JSON.parse(JSON.stringify(model.toState())));
    expect([...loaded.predictProba(train.X)]).toEqual([...model.predictProba(train.X)]);
  });

  it("accepts scikit-learn/XGBoost aliases and refuses out-of-range values", () => {
    expect(() =>
      getModelFactory("gbdt").create({ max_iter: 10, max_leaf_nodes: 8, reg_lambda: 0 }),
    ).not.toThrow();
    expect(() => getModelFactory("gbdt").create({ subsample: 1.5 })).toThrow(/subsample/);
    expect(() => getModelFactory("gbdt").create({ learning_rate: 0 })).toThrow(/learning_rate/);
    expect(() => getModelFactory("gbdt").create({ colsample: 1 })).toThrow(/unknown parameter/);
  });
});
