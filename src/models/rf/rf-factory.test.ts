import { describe, expect, it } from "vitest";
import { runModelContract } from "../../../test/support/contract-suite.js";
import { Random } from "../../core/random.js";
import { getModelFactory } from "../registry.js";

runModelContract("rf", { n_estimators: 10, max_depth: 3, max_features: 0.5, class_weight: "balanced" });

/** Two informative columns (an interaction rf must find) and three noise columns, 3 classes when asked. */
function xorProblem(rows: number, seed: number, classes = 2) {
  const rng = new Random(seed);
  const columns = Array.from({ length: 5 }, () => new Float64Array(rows));
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 5; j++) columns[j][i] = rng.normal();
    const a = columns[0][i] > 0;
    const b = columns[1][i] > 0;
    y[i] = classes === 2 ? (a !== b ? 1 : 0) : a ? (b ? 2 : 1) : 0;
  }
  return { X: { rows, columns }, y };
}

describe("rf", () => {
  it("learns an XOR interaction that no linear model can, and ranks its features first by gain", async () => {
    const train = xorProblem(1500, 1);
    const test = xorProblem(500, 2);
    const model = getModelFactory("rf").create({ n_estimators: 30 });
    await model.fit(train.X, train.y, { seed: 7 });
    const pred = model.predict(test.X);
    let hits = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === test.y[i]) hits++;
    expect(hits / pred.length).toBeGreaterThan(0.9);
    const gain = model.gainImportance!();
    const noise = Math.max(gain[2], gain[3], gain[4]);
    expect(Math.min(gain[0], gain[1])).toBeGreaterThan(noise);
  });

  it("fits three classes with probabilities that sum to one", async () => {
    const train = xorProblem(900, 3, 3);
    const test = xorProblem(300, 4, 3);
    const model = getModelFactory("rf").create({ n_estimators: 20, max_depth: 6 });
    await model.fit(train.X, train.y, { seed: 1 });
    expect([...model.classes()]).toEqual([0, 1, 2]);
    const proba = model.predictProba(test.X);
    for (let i = 0; i < test.X.rows; i++)
      expect(proba[3 * i] + proba[3 * i + 1] + proba[3 * i + 2]).toBeCloseTo(1, 12);
    const pred = model.predict(test.X);
    let hits = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === test.y[i]) hits++;
    expect(hits / pred.length).toBeGreaterThan(0.9);
  });

  it("respects max_depth and a different seed gives a different forest", async () => {
    const train = xorProblem(400, 5);
    const a = getModelFactory("rf").create({ n_estimators: 5, max_depth: 2 });
    const b = getModelFactory("rf").create({ n_estimators: 5, max_depth: 2 });
    await a.fit(train.X, train.y, { seed: 1 });
    await b.fit(train.X, train.y, { seed: 2 });
    const state = a.toState().state as { trees: { left: number[] }[] };
    expect(state.trees.length).toBe(5);
    // depth 2: at most 7 nodes per tree
    for (const tree of state.trees) expect(tree.left.length).toBeLessThanOrEqual(7);
    expect(JSON.stringify(a.toState())).not.toBe(JSON.stringify(b.toState()));
  });

  it("refuses bad parameters with a usage error", () => {
    expect(() => getModelFactory("rf").create({ max_features: "half" })).toThrow(/max_features/);
    expect(() => getModelFactory("rf").create({ n_estimators: 0 })).toThrow(/n_estimators/);
    expect(() => getModelFactory("rf").create({ class_weight: "weird" })).toThrow(/class_weight/);
  });
});
