// The prediction half shared by the binary linear families (ols, ridge): score = x·β + b, P(1) = σ(score),
// class 1 where the score is positive; state is {coef, intercept}. Each family supplies only its fit.

import type { Classifier, FeatureMatrix, FitOptions, ModelState } from "../model.js";
import { type ParamSchema, validateParams } from "../param-schema.js";
import { binaryProba } from "./binary-output.js";
import { checkPredictInput } from "./fit-checks.js";
import { checkedProbabilities } from "./probability-check.js";
import { StateReader } from "./state-reader.js";

interface LinearState {
  coef: number[];
  intercept: number;
}

/** σ(z) computed without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export abstract class LinearBinaryClassifier implements Classifier {
  readonly params: Readonly<Record<string, unknown>>;
  protected coef: Float64Array = new Float64Array(0);
  protected intercept = 0;

  constructor(
    readonly name: string,
    schema: ParamSchema,
    params: Record<string, unknown>,
  ) {
    this.params = validateParams(name, schema, params);
  }

  abstract fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void>;

  classes(): Float64Array {
    return Float64Array.of(0, 1);
  }

  /** Raw score xᵢ·β + b (scikit-learn's decision_function). */
  decisionFunction(X: FeatureMatrix): Float64Array {
    checkPredictInput(this.name, X, this.coef.length);
    const out = new Float64Array(X.rows).fill(this.intercept);
    for (let j = 0; j < this.coef.length; j++) {
      const col = X.columns[j];
      const b = this.coef[j];
      for (let i = 0; i < X.rows; i++) out[i] += b * col[i];
    }
    return out;
  }

  /** σ(score), as scikit-learn's `_predict_proba_lr` does for linear classifiers. */
  predictProba(X: FeatureMatrix): Float64Array {
    return checkedProbabilities(this.name, binaryProba(this.decisionFunction(X).map(sigmoid)), 2);
  }

  predict(X: FeatureMatrix): Float64Array {
    return this.decisionFunction(X).map((v) => (v > 0 ? 1 : 0));
  }

  toState(): ModelState {
    const state: LinearState = { coef: [...this.coef], intercept: this.intercept };
    return { model: this.name, params: { ...this.params }, classes: [0, 1], state };
  }

  /** Restores learned coefficients saved by `toState` into a freshly constructed model. */
  protected restore(state: ModelState): this {
    const read = new StateReader(this.name);
    read.binaryClasses(state.classes);
    const s = read.object(state.state, "state");
    this.coef = read.numbers(s.coef, "coef");
    if (this.coef.length === 0) read.fail("coef", "is empty, expected one coefficient per feature");
    this.intercept = read.number(s.intercept, "intercept");
    if (this.params.fit_intercept === false && this.intercept !== 0)
      read.fail("intercept", `is ${this.intercept} but the model was fitted with fit_intercept=false`);
    return this;
  }
}
