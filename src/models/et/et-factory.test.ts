import { describe, expect, it } from "vitest";
import { syntheticProblem } from "../../../test/support/contract-suite.js";
import { getModelFactory } from "../registry.js";

describe("et", () => {
  it("draws random cuts: two seeds give different trees, both accurate", async () => {
    const train = syntheticProblem(1000, 6, 21);
    const test = syntheticProblem(400, 6, 22);
    const accuracy = async (seed: number) => {
      const model = getModelFactory("et").create({ n_estimators: 30, min_samples_leaf: 3 });
      await model.fit(train.X, train.y, { seed });
      const pred = model.predict(test.X);
      let hits = 0;
      for (let i = 0; i < pred.length; i++) if (pred[i] === test.y[i]) hits++;
      return { hits: hits / pred.length, state: JSON.stringify(model.toState()) };
    };
    const a = await accuracy(1);
    const b = await accuracy(2);
    expect(a.state).not.toBe(b.state);
    expect(a.hits).toBeGreaterThan(0.85);
    expect(b.hits).toBeGreaterThan(0.85);
  });

  it("defaults to no bootstrap (every row in every tree: root cover = row count)", async () => {
    const train = syntheticProblem(200, 3, 5);
    const model = getModelFactory("et").create({ n_estimators: 3 });
    await model.fit(train.X, train.y, { seed: 1 });
    const state = model.toState().state as { trees: { cover: number[] }[] };
    for (const tree of state.trees) expect(tree.cover[0]).toBe(200);
  });
});
