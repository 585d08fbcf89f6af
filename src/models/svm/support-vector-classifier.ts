// `sv`: support vector classifier (scikit-learn SVC): rbf or linear kernel, C, gamma, Platt probabilities.

import { UsageError } from "../../core/errors.js";
import { binaryProba } from "../common/binary-output.js";
import { checkFitInput, checkPredictInput, weightsOrOnes } from "../common/fit-checks.js";
import { numberParam } from "../common/params.js";
import { checkedProbabilities } from "../common/probability-check.js";
import { StateReader } from "../common/state-reader.js";
import type { Classifier, FeatureMatrix, FitOptions, ModelFactory, ModelState } from "../model.js";
import { type ParamSchema, schemaDefaults, validateParams } from "../param-schema.js";
import { registerModel } from "../registry.js";
import { fitPlatt, plattProbability } from "./platt-scaling.js";
import { type KernelRows, solveSmo } from "./smo-solver.js";

const NAME = "sv";
const SCHEMA: ParamSchema = {
  kernel: { type: "choice", default: "rbf", choices: ["rbf", "linear"], description: "kernel function" },
  C: {
    type: "number",
    default: 1.0,
    min: 0,
    minExclusive: true,
    max: 1e12,
    description: "penalty on margin violations (larger = harder margin)",
  },
  gamma: {
    type: "number",
    default: "scale",
    min: 0,
    minExclusive: true,
    max: 1e6,
    choices: ["scale", "auto"],
    description: "rbf width: scale = 1 / (features · variance), auto = 1 / features, or a number",
  },
  tol: {
    type: "number",
    default: 1e-3,
    min: 0,
    minExclusive: true,
    max: 1,
    description: "SMO stopping tolerance",
  },
  max_iter: {
    type: "integer",
    default: -1,
    min: -1,
    max: 1_000_000_000,
    description: "SMO iterations at most (-1 or 0 = no limit)",
  },
};
/** Kernel row cache budget (bytes); rows beyond it are recomputed. */
const CACHE_BYTES = 256 * 1024 * 1024;

interface SvState {
  kernel: "rbf" | "linear";
  gamma: number;
  features: number;
  /** Support vectors, row-major. */
  vectors: number[];
  /** αᵢyᵢ per support vector. */
  dual: number[];
  rho: number;
  plattA: number;
  plattB: number;
}

/** Row-major copy of a column-major matrix. */
function toRows(X: FeatureMatrix): Float64Array {
  const d = X.columns.length;
  const out = new Float64Array(X.rows * d);
  for (let j = 0; j < d; j++) {
    const col = X.columns[j];
    for (let i = 0; i < X.rows; i++) out[i * d + j] = col[i];
  }
  return out;
}

function kernelValue(
  kind: "rbf" | "linear",
  gamma: number,
  a: Float64Array,
  ai: number,
  b: Float64Array,
  bi: number,
  d: number,
) {
  if (kind === "linear") {
    let s = 0;
    for (let k = 0; k < d; k++) s += a[ai + k] * b[bi + k];
    return s;
  }
  let s = 0;
  for (let k = 0; k < d; k++) {
    const diff = a[ai + k] - b[bi + k];
    s += diff * diff;
  }
  return Math.exp(-gamma * s);
}

/**
 * The dual is solved by libsvm's SMO (see smo-solver.ts); sample weights scale C per row as libsvm does.
 * Probabilities: Platt's sigmoid fitted on the training decision values (scikit-learn fits it on an internal
 * 5-fold CV instead, so its probabilities differ slightly); `predict` uses the decision sign, as SVC does.
 */
export class SupportVectorClassifier implements Classifier {
  readonly name = NAME;
  readonly params: Readonly<Record<string, unknown>>;
  private state: SvState | null = null;
  private vectors = new Float64Array(0);

  constructor(params: Record<string, unknown> = {}) {
    this.params = validateParams(NAME, SCHEMA, params);
  }

  private resolveGamma(X: FeatureMatrix): number {
    const g = this.params.gamma;
    const d = X.columns.length;
    if (g === "auto") return 1 / d;
    if (g === "scale") {
      let sum = 0;
      let sq = 0;
      for (const col of X.columns)
        for (let i = 0; i < X.rows; i++) {
          sum += col[i];
          sq += col[i] * col[i];
        }
      const count = X.rows * d;
      const variance = sq / count - (sum / count) ** 2;
      return variance > 0 ? 1 / (d * variance) : 1;
    }
    const value = numberParam(NAME, this.params, "gamma");
    if (!(value > 0)) throw new UsageError(`${NAME}: gamma must be positive, "scale" or "auto" (got ${g})`);
    return value;
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    checkFitInput(NAME, X, y, options.sampleWeight);
    const kind = this.params.kernel as "rbf" | "linear";
    const C = numberParam(NAME, this.params, "C");
    const tol = numberParam(NAME, this.params, "tol");
    const maxIterParam = numberParam(NAME, this.params, "max_iter");
    const gamma = this.resolveGamma(X);
    const n = X.rows;
    const d = X.columns.length;
    const rows = toRows(X);
    const w = weightsOrOnes(options.sampleWeight, n);
    const yy = new Int8Array(n);
    for (let i = 0; i < n; i++) yy[i] = y[i] === 1 ? 1 : -1;
    const perRowC = new Float64Array(n);
    for (let i = 0; i < n; i++) perRowC[i] = C * w[i];
    const diag = new Float64Array(n);
    for (let i = 0; i < n; i++) diag[i] = kernelValue(kind, gamma, rows, i * d, rows, i * d, d);
    const cache = new Map<number, Float32Array>();
    const maxRows = Math.max(2, Math.floor(CACHE_BYTES / (4 * n)));
    const kernel: KernelRows = {
      diagonal: (i) => diag[i],
      row: (i) => {
        let r = cache.get(i);
        if (r) return r;
        r = new Float32Array(n);
        for (let t = 0; t < n; t++) r[t] = kernelValue(kind, gamma, rows, i * d, rows, t * d, d);
        if (cache.size >= maxRows) cache.delete(cache.keys().next().value as number);
        cache.set(i, r);
        return r;
      },
    };
    const maxIter = maxIterParam > 0 ? maxIterParam : 10_000_000;
    const result = solveSmo(kernel, yy, perRowC, tol, maxIter);
    const support: number[] = [];
    for (let i = 0; i < n; i++) if (result.alpha[i] > 0) support.push(i);
    const vectors = new Float64Array(support.length * d);
    const dual = new Float64Array(support.length);
    support.forEach((row, s) => {
      vectors.set(rows.subarray(row * d, row * d + d), s * d);
      dual[s] = result.alpha[row] * yy[row];
    });
    this.vectors = vectors;
    this.state = {
      kernel: kind,
      gamma,
      features: d,
      vectors: [],
      dual: [...dual],
      rho: result.rho,
      plattA: 0,
      plattB: 0,
    };
    const [A, B] = fitPlatt(this.decisionFunction(X), y);
    this.state.plattA = A;
    this.state.plattB = B;
  }

  classes(): Float64Array {
    return Float64Array.of(0, 1);
  }

  /** Σ αᵢyᵢK(xᵢ, x) − ρ; positive means class 1. */
  decisionFunction(X: FeatureMatrix): Float64Array {
    const s = this.state;
    if (!s) throw new UsageError(`${NAME}: model is not fitted`);
    checkPredictInput(NAME, X, s.features);
    const d = s.features;
    const rows = toRows(X);
    const out = new Float64Array(X.rows);
    for (let q = 0; q < X.rows; q++) {
      let sum = -s.rho;
      for (let v = 0; v < s.dual.length; v++)
        sum += s.dual[v] * kernelValue(s.kernel, s.gamma, this.vectors, v * d, rows, q * d, d);
      out[q] = sum;
    }
    return out;
  }

  predictProba(X: FeatureMatrix): Float64Array {
    const s = this.state;
    const f = this.decisionFunction(X);
    return checkedProbabilities(
      NAME,
      binaryProba(f.map((v) => plattProbability(v, s!.plattA, s!.plattB))),
      2,
    );
  }

  predict(X: FeatureMatrix): Float64Array {
    return this.decisionFunction(X).map((v) => (v > 0 ? 1 : 0));
  }

  toState(): ModelState {
    if (!this.state) throw new UsageError(`${NAME}: model is not fitted`);
    return {
      model: NAME,
      params: { ...this.params },
      classes: [0, 1],
      state: { ...this.state, vectors: [...this.vectors] },
    };
  }

  static fromState(state: ModelState): SupportVectorClassifier {
    const model = new SupportVectorClassifier(state.params);
    const read = new StateReader(NAME);
    read.binaryClasses(state.classes);
    const s = read.object(state.state, "state");
    const features = read.integer(s.features, "features", 1);
    const dual = read.numbers(s.dual, "dual");
    model.vectors = read.numbers(s.vectors, "vectors", { length: dual.length * features });
    model.state = {
      kernel: read.choice(s.kernel, "kernel", ["rbf", "linear"] as const),
      gamma: read.number(s.gamma, "gamma", Number.MIN_VALUE),
      features,
      vectors: [],
      dual: Array.from(dual),
      rho: read.number(s.rho, "rho"),
      plattA: read.number(s.plattA, "plattA"),
      plattB: read.number(s.plattB, "plattB"),
    };
    return model;
  }
}

export const supportVectorClassifierFactory: ModelFactory = {
  name: NAME,
  description: "support vector classifier, rbf or linear kernel, Platt probabilities (scikit-learn SVC)",
  schema: SCHEMA,
  defaults: schemaDefaults(SCHEMA),
  grid: { kernel: ["rbf", "linear"], C: [0.01, 0.1, 1, 10], gamma: [0.01, 0.1, 1] },
  scaled: true,
  create: (params) => new SupportVectorClassifier(params),
  load: (state) => SupportVectorClassifier.fromState(state),
};

registerModel(supportVectorClassifierFactory);
