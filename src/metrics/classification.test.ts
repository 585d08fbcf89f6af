import { describe, expect, it } from "vitest";
import {
  accuracy,
  classificationMetricSet,
  classificationReport,
  confusionMatrix,
  f1Score,
  logLoss,
  negativeAccuracy,
  overallScore,
  positiveAccuracy,
  precision,
  recall,
  rocAuc,
  rocAucHard,
} from "./classification.js";

// Hand-worked case: y = [1,1,1,0,0,0,1,0], pred = [1,0,1,0,1,0,1,0]
// TP = 3 (rows 0,2,6), FN = 1 (row 1), FP = 1 (row 4), TN = 3 (rows 3,5,7)
const y = [1, 1, 1, 0, 0, 0, 1, 0];
const pred = [1, 0, 1, 0, 1, 0, 1, 0];

describe("classification metrics", () => {
  it("counts the confusion matrix", () => {
    expect(confusionMatrix(y, pred)).toEqual({
      truePositives: 3,
      falseNegatives: 1,
      falsePositives: 1,
      trueNegatives: 3,
    });
  });

  it("derives accuracy, precision, recall, F1 and the seed 001 accuracies", () => {
    expect(accuracy(y, pred)).toBeCloseTo(6 / 8, 12);
    expect(precision(y, pred)).toBeCloseTo(3 / 4, 12);
    expect(recall(y, pred)).toBeCloseTo(3 / 4, 12);
    expect(f1Score(y, pred)).toBeCloseTo(0.75, 12);
    expect(positiveAccuracy([1, 1, 0], [1, 0, 0])).toBeCloseTo(0.5, 12);
    expect(negativeAccuracy([0, 0, 0, 1], [0, 1, 1, 1])).toBeCloseTo(1 / 3, 12);
  });

  it("returns 0 for 0/0 ratios as scikit-learn's zero_division=0, NaN for an absent class as seed 001", () => {
    expect(precision([1, 0], [0, 0])).toBe(0);
    expect(f1Score([0, 0], [0, 0])).toBe(0);
    expect(positiveAccuracy([0, 0], [0, 1])).toBeNaN();
    expect(negativeAccuracy([1, 1], [0, 1])).toBeNaN();
  });

  it("leaves every metric undefined (NaN) over zero rows, never 0", () => {
    const r = classificationReport([], [], []);
    expect(r.rows).toBe(0);
    for (const k of [
      "accuracy",
      "precision",
      "recall",
      "f1",
      "positiveAccuracy",
      "negativeAccuracy",
      "rocAuc",
      "rocAucHard",
      "logLoss",
      "overallScore",
    ] as const)
      expect(r[k], k).toBeNaN();
    expect(accuracy([], [])).toBeNaN();
    expect(logLoss([], [])).toBeNaN();
  });

  it("weights the overall score 0.1/0.4/0.2/0.3", () => {
    expect(overallScore(1, 0, 0, 0)).toBeCloseTo(0.1, 12);
    expect(overallScore(0.5, 0.6, 0.7, 0.8)).toBeCloseTo(0.05 + 0.24 + 0.14 + 0.24, 12);
  });

  it("computes ROC AUC by ranks, ties counting one half", () => {
    // pairs (pos, neg): (0.35,0.1) win, (0.35,0.4) lose, (0.8,*) win twice -> 3/4
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    // all scores tied -> 0.5
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBeCloseTo(0.5, 12);
    // one tie between pos 0.4 and neg 0.4: pairs = (0.4 vs 0.1 win, 0.4 vs 0.4 half), (0.9 vs both win) -> 3.5/4
    expect(rocAuc([0, 1, 0, 1], [0.1, 0.4, 0.4, 0.9])).toBeCloseTo(3.5 / 4, 12);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it("computes log loss with scikit-learn 1.2's clip at machine epsilon", () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    // A confident miss costs -ln(2^-52) = 52 ln 2 (36.04), not -ln(1e-15) (34.54).
    expect(logLoss([1], [0])).toBeCloseTo(52 * Math.LN2, 12);
    expect(logLoss([0], [1])).toBeCloseTo(52 * Math.LN2, 12);
  });

  it("offers seed 003's ROC AUC on hard predictions: (recall + specificity) / 2", () => {
    // recall 2/3, specificity 1/2
    expect(rocAucHard([1, 1, 1, 0, 0], [1, 1, 0, 1, 0])).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
    expect(rocAucHard([1, 1], [1, 0])).toBeNaN();
  });

  it("bundles everything in one report", () => {
    const r = classificationReport(y, pred, [0.9, 0.4, 0.8, 0.2, 0.6, 0.1, 0.7, 0.3]);
    expect(r.accuracy).toBeCloseTo(0.75, 12);
    expect(r.negativeAccuracy).toBeCloseTo(0.75, 12);
    expect(r.overallScore).toBeCloseTo(0.1 * 0.75 + 0.4 * 0.75 + 0.2 * 0.75 + 0.3 * 0.75, 12);
    // positives 0.9,0.4,0.8,0.7; negatives 0.2,0.6,0.1,0.3: 0.4 loses to 0.6 only -> 15/16
    expect(r.rocAuc).toBeCloseTo(15 / 16, 12);
    const set = classificationMetricSet(r);
    expect(set.roc_auc).toBe(r.rocAuc);
    expect(set.roc_auc_hard).toBeCloseTo(0.75, 12);
    expect(Object.keys(set).every((k) => /^[a-z0-9_]+$/.test(k))).toBe(true);
  });
});
