// The contract every tabular model family passes (called from each family's test): fit/predict shapes,
// save -> load -> identical predictions, same seed -> same model, clear errors on bad training input.

import { describe, expect, it } from "vitest";
import { DataError } from "../core/errors.js";
import { Random } from "../core/random.js";
import type { FeatureMatrix } from "./model.js";
import { getModelFactory } from "./registry.js";
import "./all-models.js";

/** A learnable synthetic problem: y = 1 when x0 + 0.5·x1 + noise > 0. */
export function syntheticProblem(
  rows: number,
  features: number,
  seed: number,
): { X: FeatureMatrix; y: Float64Array } {
  const rng = new Random(seed);
  const columns = Array.from({ length: features }, () => new Float64Array(rows));
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < features; j++) columns[j][i] = rng.normal();
    y[i] = columns[0][i] + 0.5 * (features > 1 ? columns[1][i] : 0) + 0.3 * rng.normal() > 0 ? 1 : 0;
  }
  return { X: { rows, columns }, y };
}

/** Registers the contract tests for `factoryName` with `params` (small settings keep it fast). */
export function runModelContract(
  factoryName: string,
  params: Record<string, unknown> = {},
  options: { rows?: number; minTrainAccuracy?: number } = {},
): void {
  const rows = options.rows ?? 160;
  const { X, y } = syntheticProblem(rows, 4, 11);
  const test = syntheticProblem(60, 4, 12);
  const factory = () => getModelFactory(factoryName);

  describe(`model contract: ${factoryName}`, () => {
    it("fits and predicts classes and probabilities of the right shape", async () => {
      const model = factory().create(params);
      await model.fit(X, y, { seed: 1 });
      expect([...model.classes()]).toEqual([0, 1]);
      const proba = model.predictProba(test.X);
      expect(proba.length).toBe(2 * test.X.rows);
      for (let i = 0; i < test.X.rows; i++) {
        expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 9);
        expect(proba[2 * i + 1]).toBeGreaterThanOrEqual(0);
        expect(proba[2 * i + 1]).toBeLessThanOrEqual(1);
      }
      const pred = model.predict(test.X);
      let hits = 0;
      for (let i = 0; i < pred.length; i++) {
        expect(pred[i] === 0 || pred[i] === 1).toBe(true);
        if (pred[i] === test.y[i]) hits++;
      }
      expect(hits / pred.length).toBeGreaterThan(options.minTrainAccuracy ?? 0.7);
    });

    it("save -> load gives identical predictions", async () => {
      const model = factory().create(params);
      await model.fit(X, y, { seed: 3 });
      const json = JSON.parse(JSON.stringify(model.toState()));
      expect(json.model).toBe(factoryName);
      const loaded = factory().load(json);
      expect([...loaded.predictProba(test.X)]).toEqual([...model.predictProba(test.X)]);
      expect([...loaded.predict(test.X)]).toEqual([...model.predict(test.X)]);
    });

    it("the same seed gives the same model", async () => {
      const a = factory().create(params);
      const b = factory().create(params);
      await a.fit(X, y, { seed: 5 });
      await b.fit(X, y, { seed: 5 });
      expect(JSON.stringify(a.toState())).toBe(JSON.stringify(b.toState()));
    });

    it("accepts sample weights", async () => {
      const model = factory().create(params);
      const weights = new Float64Array(rows).map((_, i) => (y[i] === 1 ? 2 : 1));
      await model.fit(X, y, { seed: 1, sampleWeight: weights });
      expect(model.predict(test.X).length).toBe(test.X.rows);
    });

    it("refuses a single-class training fold with a clear error", async () => {
      const model = factory().create(params);
      await expect(model.fit(X, new Float64Array(rows), { seed: 1 })).rejects.toThrow(/single class/);
    });

    it("refuses NaN inputs naming the row and column", async () => {
      const columns = X.columns.map((c) => c.slice());
      columns[2][7] = Number.NaN;
      const model = factory().create(params);
      const error = await model.fit({ rows, columns }, y, { seed: 1 }).catch((e) => e);
      expect(error).toBeInstanceOf(DataError);
      expect(String(error.message)).toMatch(/column 3.*row 8/);
    });

    it("handles constant columns with finite predictions", async () => {
      const columns = [...X.columns.map((c) => c.slice()), new Float64Array(rows).fill(3)];
      const model = factory().create(params);
      await model.fit({ rows, columns }, y, { seed: 1 });
      const testColumns = [...test.X.columns, new Float64Array(test.X.rows).fill(3)];
      const proba = model.predictProba({ rows: test.X.rows, columns: testColumns });
      expect(proba.every((p) => Number.isFinite(p))).toBe(true);
    });

    it("refuses too few rows", async () => {
      const model = factory().create(params);
      const one = { rows: 1, columns: X.columns.map((c) => c.slice(0, 1)) };
      await expect(model.fit(one, y.slice(0, 1), { seed: 1 })).rejects.toThrow(/too few rows/);
    });

    it("refuses prediction input with the wrong number of features", async () => {
      const model = factory().create(params);
      await model.fit(X, y, { seed: 1 });
      expect(() => model.predict({ rows: 2, columns: X.columns.slice(0, 2) })).toThrow(DataError);
    });
  });
}
