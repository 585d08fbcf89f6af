// The units of work after the final fit (train/test predictions, one feature's shuffles, a chunk of SHAP
// rows), each a pure function of the fitted model and the data, so they can run in any worker in any order.

import { positiveClassProbabilities } from "../common/positive-class.js";
import type { Classifier, FeatureMatrix } from "../model.js";
import { argmaxClasses } from "../trees/tree-ensemble.js";
import { type Scoring, scoreModel } from "../tuning/scoring.js";
import { permutationDrops } from "./permutation-importance.js";
import { type ShapSums, shapSums } from "./shap-summary.js";

/** Everything the tasks read; sent once to each worker. */
export interface ExplainData {
  scoring: Scoring;
  repeats: number;
  seed: number;
  /** The final model's training rows (scaled as the model sees them) and labels: what it is fitted on. */
  train: Float64Array[];
  trainY: Float64Array;
  /** Test rows (possibly none). */
  test: Float64Array[];
  /** Rows (and labels) permutation importance is measured on: all or a sample of the test (else train) rows. */
  permutation: Float64Array[];
  permutationY: Float64Array;
  /** Rows TreeSHAP explains (empty for models without SHAP). */
  shap: Float64Array[];
}

export type ExplainTask =
  | { kind: "predict"; set: "train" | "test"; from: number; to: number }
  | { kind: "permutation"; feature: number }
  | { kind: "shap"; from: number; to: number };

export type ExplainOutput =
  | { kind: "predict"; pred: Float64Array; proba: Float64Array }
  | { kind: "permutation"; drops: Float64Array; baseline: number }
  | ({ kind: "shap" } & ShapSums);

/**
 * Families whose predict() is the argmax of predictProba() (the first class on ties), so one pass over the trees
 * gives both (explain-task.test.ts checks it for each).
 */
export const PREDICT_IS_ARGMAX: ReadonlySet<string> = new Set(["rf", "et", "gbdt", "dtab"]);

/** Predicted classes and P(class 1) of every row, with one pass of the model where predict is argmax. */
export function predictBoth(
  model: Classifier,
  X: FeatureMatrix,
): { pred: Float64Array; proba: Float64Array } {
  const proba = model.predictProba(X);
  const pred = PREDICT_IS_ARGMAX.has(model.name)
    ? argmaxClasses(proba, X.rows, model.classes())
    : model.predict(X);
  return { pred, proba: positiveClassProbabilities(model, proba, X.rows) };
}

function matrix(columns: Float64Array[], from = 0, to = columns[0]?.length ?? 0): FeatureMatrix {
  return { rows: to - from, columns: columns.map((c) => c.subarray(from, to)) };
}

/** A fitted model with the data, running tasks; the permutation baseline is scored once and reused. */
export class ExplainContext {
  private baseline: number | null = null;

  constructor(
    readonly model: Classifier,
    readonly data: ExplainData,
  ) {}

  run(task: ExplainTask): ExplainOutput {
    const { model, data } = this;
    switch (task.kind) {
      case "predict": {
        const X = matrix(task.set === "train" ? data.train : data.test, task.from, task.to);
        return { kind: "predict", ...predictBoth(model, X) };
      }
      case "permutation": {
        const X = matrix(data.permutation);
        this.baseline ??= scoreModel(data.scoring, model, X, data.permutationY);
        const drops = permutationDrops(
          model,
          X,
          data.permutationY,
          data.scoring,
          this.baseline,
          task.feature,
          data.repeats,
          data.seed,
        );
        return { kind: "permutation", drops, baseline: this.baseline };
      }
      case "shap":
        return { kind: "shap", ...shapSums(model, matrix(data.shap), task.from, task.to) };
    }
  }
}
