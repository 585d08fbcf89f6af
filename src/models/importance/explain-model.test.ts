import { describe, expect, it } from "vitest";
import { classificationReport } from "../../metrics/classification.js";
import "../all-models.js";
import { syntheticProblem } from "../../../test/support/contract-suite.js";
import type { FeatureMatrix } from "../model.js";
import { getModelFactory } from "../registry.js";
import { explainModel } from "./explain-model.js";
import { type ExplainData, PREDICT_IS_ARGMAX } from "./explain-task.js";
import { sampleRows, takeSample } from "./importance-sample.js";
import { permutationImportance } from "./permutation-importance.js";

const { X, y } = syntheticProblem(900, 5, 17);
const trainRows = 600;
const part = (from: number, to: number): FeatureMatrix => ({
  rows: to - from,
  columns: X.columns.map((c) => c.slice(from, to)),
});
const train = part(0, trainRows);
const test = part(trainRows, X.rows);
const trainY = y.slice(0, trainRows);
const testY = y.slice(trainRows);

function data(permutationRows: Uint32Array, shapRows: Uint32Array | null): ExplainData {
  const perm = takeSample(test, testY, permutationRows);
  return {
    scoring: "accuracy",
    repeats: 3,
    seed: 5,
    train: train.columns as Float64Array[],
    trainY,
    test: test.columns as Float64Array[],
    permutation: perm.X.columns as Float64Array[],
    permutationY: perm.y,
    shap: shapRows ? (takeSample(test, testY, shapRows).X.columns as Float64Array[]) : [],
  };
}

describe("explainModel (inline)", () => {
  it("gives the metrics, permutation importance and mean SHAP computed directly on the same rows", async () => {
    const model = getModelFactory("gbdt").create({ n_estimators: 20, max_depth: 3 });
    await model.fit(train, trainY, { seed: 1 });
    const permRows = sampleRows(test.rows, 120, 5);
    const shapRows = sampleRows(test.rows, 70, 5);
    const out = await explainModel(model, data(permRows, shapRows), null);
    // Metrics: one pass gives the same classes and probabilities as predict and predictProba.
    const proba = model.predictProba(test);
    const expected = classificationReport(
      testY,
      model.predict(test),
      Float64Array.from({ length: test.rows }, (_, i) => proba[2 * i + 1]),
    );
    expect(classificationReport(testY, out.test.pred, out.test.proba)).toEqual(expected);
    expect([...out.train.pred]).toEqual([...model.predict(train)]);
    // Permutation importance on the sample, exactly as the one-call function computes it there.
    const sample = takeSample(test, testY, permRows);
    const direct = permutationImportance(model, sample.X, sample.y, "accuracy", 3, 5);
    expect([...out.permutation.mean]).toEqual([...direct.mean]);
    expect([...out.permutation.std]).toEqual([...direct.std]);
    expect(out.permutation.baseline).toBe(direct.baseline);
    // Mean |SHAP| over the 70 SHAP rows (two chunks of 64 and 6) against one shapValues call.
    const shapX = takeSample(test, testY, shapRows).X;
    const values = model.shapValues?.(shapX) ?? new Float64Array(0);
    for (let j = 0; j < 5; j++) {
      let abs = 0;
      let signed = 0;
      for (let i = 0; i < shapX.rows; i++) {
        abs += Math.abs(values[i * 6 + j]);
        signed += values[i * 6 + j];
      }
      expect(out.shap?.meanAbs[j]).toBeCloseTo(abs / shapX.rows, 12);
      expect(out.shap?.mean[j]).toBeCloseTo(signed / shapX.rows, 12);
    }
    // The signal columns x0, x1 rank above pure noise.
    expect(out.permutation.mean[0]).toBeGreaterThan(out.permutation.mean[4]);
    expect(out.shap?.meanAbs[0] ?? 0).toBeGreaterThan(out.shap?.meanAbs[4] ?? 0);
  });

  it("without SHAP rows (models without TreeSHAP) reports no SHAP", async () => {
    const model = getModelFactory("ols").create({});
    await model.fit(train, trainY, { seed: 1 });
    const out = await explainModel(model, data(sampleRows(test.rows, 50, 1), null), null);
    expect(out.shap).toBeNull();
    expect(out.permutation.mean).toHaveLength(5);
  });
});

describe("PREDICT_IS_ARGMAX", () => {
  for (const name of PREDICT_IS_ARGMAX) {
    it(`${name}: predict() is the argmax of predictProba(), so one pass serves both`, async () => {
      const model = getModelFactory(name).create({ n_estimators: 15 });
      await model.fit(train, trainY, { seed: 3 });
      const proba = model.predictProba(test);
      const classes = model.classes();
      const pred = model.predict(test);
      for (let i = 0; i < test.rows; i++) {
        const best = proba[2 * i + 1] > proba[2 * i] ? 1 : 0;
        expect(pred[i]).toBe(classes[best]);
      }
    });
  }
});
