// CV scoring by name (--scoring): accuracy, roc_auc, f1, precision, or seed 001's overall score.

import { UsageError } from "../../core/errors.js";
import { accuracy, classificationReport, f1Score, precision, rocAuc } from "../../metrics/classification.js";
import { positiveClassProbabilities } from "../common/positive-class.js";
import type { Classifier, FeatureMatrix } from "../model.js";

export const SCORINGS = ["accuracy", "roc_auc", "f1", "precision", "overall"] as const;
export type Scoring = (typeof SCORINGS)[number];

export function parseScoring(raw: string): Scoring {
  if (!(SCORINGS as readonly string[]).includes(raw))
    throw new UsageError(`--scoring ${raw}: choose one of ${SCORINGS.join(", ")}`);
  return raw as Scoring;
}

/** Score of predictions `pred` (classes) and `proba` (P(class 1)) against `y`. */
export function score(scoring: Scoring, y: Float64Array, pred: Float64Array, proba: Float64Array): number {
  switch (scoring) {
    case "accuracy":
      return accuracy(y, pred);
    case "roc_auc":
      return rocAuc(y, proba);
    case "f1":
      return f1Score(y, pred);
    case "precision":
      return precision(y, pred);
    case "overall":
      return classificationReport(y, pred).overallScore;
  }
}

/** Scores a fitted model on rows, calling only what the scoring needs (ROC AUC: probabilities; others: classes). */
export function scoreModel(scoring: Scoring, model: Classifier, X: FeatureMatrix, y: Float64Array): number {
  if (scoring === "roc_auc") {
    return rocAuc(y, positiveClassProbabilities(model, model.predictProba(X), X.rows));
  }
  return score(scoring, y, model.predict(X), new Float64Array(0));
}
