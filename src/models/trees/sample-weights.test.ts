import { describe, expect, it } from "vitest";
import { Random } from "../../core/random.js";
import type { FeatureMatrix } from "../model.js";
import { getModelFactory } from "../registry.js";
import "../all-models.js";

/** Columns with few distinct values, so duplicating rows leaves the bin cut points unchanged. */
function problem(rows: number, seed: number) {
  const rng = new Random(seed);
  const columns = Array.from({ length: 3 }, () =>
    new Float64Array(rows).map(() => Math.round(rng.normal() * 10)),
  );
  const y = new Float64Array(rows).map((_, i) =>
    columns[0][i] + columns[1][i] + 5 * rng.normal() > 0 ? 1 : 0,
  );
  const weight = new Float64Array(rows).map(() => 1 + rng.int(3));
  return { X: { rows, columns } as FeatureMatrix, y, weight };
}

/** Repeats row i weight[i] times. */
function duplicate(X: FeatureMatrix, y: Float64Array, weight: Float64Array) {
  const index: number[] = [];
  for (let i = 0; i < X.rows; i++) for (let r = 0; r < weight[i]; r++) index.push(i);
  return {
    X: { rows: index.length, columns: X.columns.map((c) => Float64Array.from(index, (i) => c[i])) },
    y: Float64Array.from(index, (i) => y[i]),
  };
}

describe("sample weights", () => {
  const { X, y, weight } = problem(300, 1);
  const copies = duplicate(X, y, weight);
  const cases: [string, Record<string, unknown>][] = [
    ["rf", { n_estimators: 3, bootstrap: false, max_features: null, max_depth: 5 }],
    ["gbdt", { n_estimators: 15, max_depth: 3 }],
    ["dtab", { n_estimators: 10 }],
  ];
  for (const [name, params] of cases) {
    it(`${name}: integer weights fit the same model as repeating the rows`, async () => {
      const weighted = getModelFactory(name).create(params);
      await weighted.fit(X, y, { seed: 1, sampleWeight: weight });
      const repeated = getModelFactory(name).create(params);
      await repeated.fit(copies.X, copies.y, { seed: 1 });
      const a = weighted.predictProba(X);
      const b = repeated.predictProba(X);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 9);
      // And the weights matter: an unweighted fit differs.
      const plain = getModelFactory(name).create(params);
      await plain.fit(X, y, { seed: 1 });
      const c = plain.predictProba(X);
      expect(c.some((v, i) => Math.abs(v - a[i]) > 1e-6)).toBe(true);
    });
  }

  it("refuses negative and all-zero weights", async () => {
    const model = getModelFactory("rf").create({ n_estimators: 2 });
    await expect(model.fit(X, y, { seed: 1, sampleWeight: weight.map((w) => -w) })).rejects.toThrow(
      /sample weight/,
    );
    await expect(model.fit(X, y, { seed: 1, sampleWeight: new Float64Array(300) })).rejects.toThrow(
      /every sample/,
    );
  });
});
