// `knn`: k-nearest-neighbours classifier (scikit-learn KNeighborsClassifier): brute force over row-major data.

import { DataError, UsageError } from "../../core/errors.js";
import { checkFitInput, checkPredictInput } from "../common/fit-checks.js";
import { choiceParam, mergeParams, numberParam } from "../common/params.js";
import type { Classifier, FeatureMatrix, FitOptions, ModelFactory, ModelState } from "../model.js";
import { registerModel } from "../registry.js";

const NAME = "knn";
// n_jobs is accepted for seed 000 compatibility; it never changes results (tsml parallelises over CV folds).
const DEFAULTS = { n_neighbors: 5, weights: "uniform", p: 2, n_jobs: 1 } as const;

interface KnnState {
  features: number;
  /** Training rows, row-major. */
  data: number[];
  labels: number[];
}

/**
 * Stores the training rows; predicts by the (distance-weighted) vote of the k nearest ones under the
 * Minkowski p-norm (p = 1 Manhattan, p = 2 Euclidean). With `distance` weights an exact match wins outright.
 * Sample weights are ignored, as scikit-learn's KNeighborsClassifier has none.
 */
export class KNearestNeighbors implements Classifier {
  readonly name = NAME;
  readonly params: Readonly<Record<string, unknown>>;
  private data = new Float64Array(0);
  private labels = new Float64Array(0);
  private features = 0;

  constructor(params: Record<string, unknown> = {}) {
    this.params = mergeParams(NAME, DEFAULTS, params);
    choiceParam(NAME, this.params, "weights", ["uniform", "distance"]);
    const p = numberParam(NAME, this.params, "p");
    if (p !== 1 && p !== 2) throw new UsageError(`${NAME}: parameter p=${p} must be 1 or 2`);
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    checkFitInput(NAME, X, y, options.sampleWeight);
    const k = numberParam(NAME, this.params, "n_neighbors");
    if (X.rows < k)
      throw new DataError(
        `${NAME}: too few rows to train (${X.rows}) for n_neighbors=${k}`,
        "lower n_neighbors",
      );
    const d = X.columns.length;
    this.features = d;
    this.data = new Float64Array(X.rows * d);
    for (let j = 0; j < d; j++) {
      const col = X.columns[j];
      for (let i = 0; i < X.rows; i++) this.data[i * d + j] = col[i];
    }
    this.labels = Float64Array.from(y);
  }

  classes(): Float64Array {
    return Float64Array.of(0, 1);
  }

  predictProba(X: FeatureMatrix): Float64Array {
    checkPredictInput(NAME, X, this.features);
    const k = numberParam(NAME, this.params, "n_neighbors");
    const manhattan = numberParam(NAME, this.params, "p") === 1;
    const byDistance = this.params.weights === "distance";
    const d = this.features;
    const n = this.labels.length;
    const bestDist = new Float64Array(k);
    const bestIndex = new Int32Array(k);
    const query = new Float64Array(d);
    const out = new Float64Array(2 * X.rows);
    for (let q = 0; q < X.rows; q++) {
      for (let j = 0; j < d; j++) query[j] = X.columns[j][q];
      bestDist.fill(Number.POSITIVE_INFINITY);
      bestIndex.fill(-1);
      for (let i = 0; i < n; i++) {
        let dist = 0;
        const base = i * d;
        if (manhattan) for (let j = 0; j < d; j++) dist += Math.abs(this.data[base + j] - query[j]);
        else
          for (let j = 0; j < d; j++) {
            const diff = this.data[base + j] - query[j];
            dist += diff * diff;
          }
        if (dist < bestDist[k - 1]) {
          // Insertion into the sorted k-best list; earlier rows win ties (stable).
          let pos = k - 1;
          while (pos > 0 && bestDist[pos - 1] > dist) {
            bestDist[pos] = bestDist[pos - 1];
            bestIndex[pos] = bestIndex[pos - 1];
            pos--;
          }
          bestDist[pos] = dist;
          bestIndex[pos] = i;
        }
      }
      let w0 = 0;
      let w1 = 0;
      const exact = byDistance && bestDist[0] === 0;
      for (let m = 0; m < k; m++) {
        const dist = manhattan ? bestDist[m] : Math.sqrt(bestDist[m]);
        let weight = 1;
        if (exact) weight = dist === 0 ? 1 : 0;
        else if (byDistance) weight = 1 / dist;
        if (this.labels[bestIndex[m]] === 1) w1 += weight;
        else w0 += weight;
      }
      out[2 * q] = w0 / (w0 + w1);
      out[2 * q + 1] = w1 / (w0 + w1);
    }
    return out;
  }

  predict(X: FeatureMatrix): Float64Array {
    const proba = this.predictProba(X);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) out[i] = proba[2 * i + 1] > proba[2 * i] ? 1 : 0;
    return out;
  }

  toState(): ModelState {
    const state: KnnState = { features: this.features, data: [...this.data], labels: [...this.labels] };
    return { model: NAME, params: { ...this.params }, classes: [0, 1], state };
  }

  static fromState(state: ModelState): KNearestNeighbors {
    const model = new KNearestNeighbors(state.params);
    const s = state.state as KnnState;
    model.features = s.features;
    model.data = Float64Array.from(s.data);
    model.labels = Float64Array.from(s.labels);
    return model;
  }
}

export const kNearestNeighborsFactory: ModelFactory = {
  name: NAME,
  description:
    "k-nearest neighbours, uniform or distance weights, p 1 or 2 (scikit-learn KNeighborsClassifier)",
  defaults: DEFAULTS,
  grid: { n_neighbors: [8, 12, 16], weights: ["uniform", "distance"], p: [1, 2] },
  scaled: true,
  create: (params) => new KNearestNeighbors(params),
  load: (state) => KNearestNeighbors.fromState(state),
};

registerModel(kNearestNeighborsFactory);
