// `ols`: L2-regularised logistic regression (scikit-learn's LogisticRegression, C=1) fitted by Newton's method.

import { checkFitInput, weightsOrOnes } from "../common/fit-checks.js";
import { robustSolve } from "../common/linear-algebra.js";
import { LinearBinaryClassifier, sigmoid } from "../common/linear-classifier.js";
import { booleanParam, numberParam } from "../common/params.js";
import type { FeatureMatrix, FitOptions, ModelFactory, ModelState } from "../model.js";
import { type ParamSchema, schemaDefaults } from "../param-schema.js";
import { registerModel } from "../registry.js";
import { WeightedGram } from "./weighted-gram.js";

const NAME = "ols";
const SCHEMA: ParamSchema = {
  C: {
    type: "number",
    default: 1.0,
    min: 0,
    minExclusive: true,
    max: 1e12,
    description: "inverse L2 penalty strength (larger = weaker penalty)",
  },
  fit_intercept: { type: "boolean", default: true, description: "fit an unpenalised intercept" },
  max_iter: { type: "integer", default: 100, min: 1, max: 100_000, description: "Newton iterations at most" },
  tol: {
    type: "number",
    default: 1e-6,
    min: 0,
    max: 1,
    description: "stop when the largest gradient entry is below this",
  },
};

/** log(1 + exp(z)) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Minimises C·Σ wᵢ·logloss(yᵢ, σ(xᵢ·β + b)) + ½‖β‖² (the intercept is not penalised, as in scikit-learn).
 * Newton steps solve the (d+1)x(d+1) Hessian system with Cholesky; a backtracking line search keeps every
 * step a descent step, so it converges in ~5-10 iterations where L-BFGS needs dozens.
 */
export class LogisticRegression extends LinearBinaryClassifier {
  constructor(params: Record<string, unknown> = {}) {
    super(NAME, SCHEMA, params);
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    checkFitInput(NAME, X, y, options.sampleWeight);
    const C = numberParam(NAME, this.params, "C");
    const fitIntercept = booleanParam(NAME, this.params, "fit_intercept");
    const maxIter = numberParam(NAME, this.params, "max_iter");
    const tol = numberParam(NAME, this.params, "tol");
    const w = weightsOrOnes(options.sampleWeight, X.rows);
    const d = X.columns.length;
    const p = d + (fitIntercept ? 1 : 0);
    const n = X.rows;
    const beta = new Float64Array(p);
    const z = new Float64Array(n);
    const r = new Float64Array(n);
    const h = new Float64Array(n);
    // The loss along a Newton direction is evaluated from z − t·Δz (Δz = X·step, one pass per iteration)
    // rather than by recomputing X·β for every trial step of the line search.
    const loss = (zs: Float64Array) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += w[i] * (softplus(zs[i]) - y[i] * zs[i]);
      return sum;
    };
    const penalty = (b: Float64Array) => {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += b[j] * b[j];
      return 0.5 * sum;
    };
    let f = C * loss(z) + penalty(beta);
    const trial = new Float64Array(p);
    const zTrial = new Float64Array(n);
    const dz = new Float64Array(n);
    const grad = new Float64Array(p);
    const hess = new Float64Array(p * p);
    const gram = new WeightedGram(X.columns, n, fitIntercept);
    try {
      for (let iter = 0; iter < maxIter; iter++) {
        for (let i = 0; i < n; i++) {
          const s = sigmoid(z[i]);
          r[i] = C * w[i] * (s - y[i]);
          h[i] = C * w[i] * s * (1 - s);
        }
        gram.newtonSystem(r, h, grad, hess);
        for (let j = 0; j < d; j++) {
          grad[j] += beta[j];
          hess[j * p + j] += 1;
        }
        let gmax = 0;
        for (let j = 0; j < p; j++) gmax = Math.max(gmax, Math.abs(grad[j]));
        if (gmax <= tol * Math.max(1, C * n * 1e-3)) break;
        const step = robustSolve(hess, grad, p);
        // Newton decrement λ²/2 = gᵀH⁻¹g/2 estimates f − f*; below 1e-10·|f| further steps only polish noise.
        let decrement = 0;
        for (let j = 0; j < p; j++) decrement += grad[j] * step[j];
        if (decrement / 2 <= 1e-10 * Math.max(1, Math.abs(f))) break;
        dz.fill(fitIntercept ? step[d] : 0);
        for (let j = 0; j < d; j++) {
          const col = X.columns[j];
          const sj = step[j];
          if (sj !== 0) for (let i = 0; i < n; i++) dz[i] += sj * col[i];
        }
        let t = 1;
        let improved = false;
        for (let ls = 0; ls < 30; ls++) {
          for (let j = 0; j < p; j++) trial[j] = beta[j] - t * step[j];
          for (let i = 0; i < n; i++) zTrial[i] = z[i] - t * dz[i];
          const fTrial = C * loss(zTrial) + penalty(trial);
          if (fTrial <= f) {
            beta.set(trial);
            z.set(zTrial);
            improved = f - fTrial > 1e-14 * Math.abs(f);
            f = fTrial;
            break;
          }
          t *= 0.5;
        }
        if (!improved) break;
      }
    } finally {
      gram.release();
    }
    this.coef = beta.slice(0, d);
    this.intercept = fitIntercept ? beta[d] : 0;
  }

  static fromState(state: ModelState): LogisticRegression {
    return new LogisticRegression(state.params).restore(state);
  }
}

export const logisticRegressionFactory: ModelFactory = {
  name: NAME,
  description: "logistic regression, L2 penalty (C), Newton solver (scikit-learn LogisticRegression)",
  schema: SCHEMA,
  defaults: schemaDefaults(SCHEMA),
  grid: { fit_intercept: [true, false] },
  scaled: true,
  fitsInProcess: true,
  create: (params) => new LogisticRegression(params),
  load: (state) => LogisticRegression.fromState(state),
};

registerModel(logisticRegressionFactory);
