// CV scoring by name (--scoring): accuracy, roc_auc, f1, precision, or seed 001's overall score.

import { UsageError } from "../../core/errors.js";
import { accuracy, classificationReport, f1Score, precision, rocAuc } from "../../metrics/classification.js";

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
