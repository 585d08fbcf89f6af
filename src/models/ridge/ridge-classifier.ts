// `ridge`: scikit-learn's RidgeClassifier: least squares on targets in {-1, +1} with an L2 penalty alpha.

import { checkFitInput, weightsOrOnes } from "../common/fit-checks.js";
import { robustSolve } from "../common/linear-algebra.js";
import { LinearBinaryClassifier } from "../common/linear-classifier.js";
import { booleanParam, numberParam } from "../common/params.js";
import type { FeatureMatrix, FitOptions, ModelFactory, ModelState } from "../model.js";
import { type ParamSchema, schemaDefaults } from "../param-schema.js";
import { registerModel } from "../registry.js";

const NAME = "ridge";
const SCHEMA: ParamSchema = {
  alpha: { type: "number", default: 1.0, min: 0, max: 1e12, description: "L2 penalty (0 = least squares)" },
  fit_intercept: { type: "boolean", default: true, description: "fit an unpenalised intercept" },
};

/**
 * Solves (XcᵀWXc + αI)β = XcᵀW yc on weighted-centred data (the intercept is not penalised), targets -1/+1.
 * alpha = 0 is plain least squares; a collinear design then gets a minimal diagonal jitter instead of failing.
 * Probabilities are σ(decision), as scikit-learn's `_predict_proba_lr` does for linear classifiers.
 */
export class RidgeClassifier extends LinearBinaryClassifier {
  constructor(params: Record<string, unknown> = {}) {
    super(NAME, SCHEMA, params);
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    checkFitInput(NAME, X, y, options.sampleWeight);
    const alpha = numberParam(NAME, this.params, "alpha");
    const fitIntercept = booleanParam(NAME, this.params, "fit_intercept");
    const w = weightsOrOnes(options.sampleWeight, X.rows);
    const n = X.rows;
    const d = X.columns.length;
    let wSum = 0;
    for (let i = 0; i < n; i++) wSum += w[i];
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = y[i] === 1 ? 1 : -1;
    const xMean = new Float64Array(d);
    let tMean = 0;
    if (fitIntercept) {
      for (let j = 0; j < d; j++) {
        const col = X.columns[j];
        let s = 0;
        for (let i = 0; i < n; i++) s += w[i] * col[i];
        xMean[j] = s / wSum;
      }
      for (let i = 0; i < n; i++) tMean += w[i] * t[i];
      tMean /= wSum;
    }
    const A = new Float64Array(d * d);
    const b = new Float64Array(d);
    const centred = X.columns.map((col, j) => col.map((v) => v - xMean[j]));
    for (let j = 0; j < d; j++) {
      const cj = centred[j];
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i] * cj[i] * (t[i] - tMean);
      b[j] = s;
      for (let k = 0; k <= j; k++) {
        const ck = centred[k];
        let a = 0;
        for (let i = 0; i < n; i++) a += w[i] * cj[i] * ck[i];
        A[j * d + k] = a;
        A[k * d + j] = a;
      }
      A[j * d + j] += alpha;
    }
    this.coef = robustSolve(A, b, d);
    let offset = 0;
    for (let j = 0; j < d; j++) offset += xMean[j] * this.coef[j];
    this.intercept = fitIntercept ? tMean - offset : 0;
  }

  static fromState(state: ModelState): RidgeClassifier {
    return new RidgeClassifier(state.params).restore(state);
  }
}

export const ridgeClassifierFactory: ModelFactory = {
  name: NAME,
  description:
    "ridge classifier: least squares on -1/+1 targets with L2 penalty alpha (scikit-learn RidgeClassifier)",
  schema: SCHEMA,
  defaults: schemaDefaults(SCHEMA),
  grid: { alpha: [0, 0.001, 0.1, 1.0, 5, 10, 50, 100, 1000, 10000, 100000] },
  scaled: true,
  fitsInProcess: true,
  create: (params) => new RidgeClassifier(params),
  load: (state) => RidgeClassifier.fromState(state),
};

registerModel(ridgeClassifierFactory);
