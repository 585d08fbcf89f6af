import { describe, expect, it } from "vitest";
import { headlineImportance, modelView } from "./model-view.js";

describe("modelView", () => {
  it("reads a tabular model's training window and split date", () => {
    const view = modelView({
      model: "rf",
      training: { start: "2000-01-10", end: "2015-12-31", rows: 4018 },
      splitDate: "2016-01-01",
      importance: [
        { feature: "rt", permutation: 0.01, permutationStd: 0, gain: 2, meanAbsShap: 0.03, meanShap: -0.02 },
        { feature: "rsi", permutation: 0.02, permutationStd: 0, gain: 1, meanAbsShap: 0.01, meanShap: 0.005 },
      ],
    });
    expect(view.trainWindow).toEqual({ start: "2000-01-10", end: "2015-12-31", rows: 4018 });
    expect(view.splitDate).toBe("2016-01-01");
    // Seed 001 tags registered models with the signed mean SHAP value per feature.
    expect(headlineImportance(view).map((e) => [e.feature, e.value])).toEqual([
      ["rt", -0.02],
      ["rsi", 0.005],
    ]);
  });

  it("does not mistake a sequence model's loss log for its training window", () => {
    const view = modelView({
      model: "lstm",
      training: { iterations: 150, losses: [{ iteration: 8, loss: 0.9 }] },
      split: { splitDate: "2016-01-01", trainRows: 4018, testRows: 1072 },
    });
    expect(view.trainWindow).toEqual({ rows: 4018 });
    expect(view.splitDate).toBe("2016-01-01");
  });

  it("reads metrics in snake_case from older camelCase model files, null as undefined", () => {
    const old = modelView({
      metrics: { train: { rocAuc: 0.7, overallScore: 0.6, trueNegatives: 3 }, test: null },
    });
    expect(old.trainMetrics).toEqual({ roc_auc: 0.7, overall_score: 0.6, true_negatives: 3 });
    const now = modelView({ metrics: { train: { roc_auc: 0.7 }, test: { log_loss: null, rows: 0 } } });
    expect(now.trainMetrics).toEqual({ roc_auc: 0.7 });
    expect(now.testMetrics.log_loss).toBeNaN();
    expect(now.testMetrics.rows).toBe(0);
  });
});
