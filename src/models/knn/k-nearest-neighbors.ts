// `knn`: k-nearest-neighbours classifier (scikit-learn KNeighborsClassifier): brute force over row-major data.

import { DataError } from "../../core/errors.js";
import { checkFitInput, checkPredictInput } from "../common/fit-checks.js";
import { numberParam } from "../common/params.js";
import { checkedProbabilities } from "../common/probability-check.js";
import { StateReader } from "../common/state-reader.js";
import type { Classifier, FeatureMatrix, FitOptions, ModelFactory, ModelState } from "../model.js";
import { type ParamSchema, schemaDefaults, validateParams } from "../param-schema.js";
import { registerModel } from "../registry.js";

const NAME = "knn";
const SCHEMA: ParamSchema = {
  n_neighbors: { type: "integer", default: 5, min: 1, max: 10_000, description: "neighbours that vote" },
  weights: {
    type: "choice",
    default: "uniform",
    choices: ["uniform", "distance"],
    description: "equal votes, or votes weighted by 1 / distance",
  },
  p: { type: "integer", default: 2, min: 1, max: 2, description: "Minkowski norm: 1 Manhattan, 2 Euclidean" },
  // Accepted for seed 000 compatibility; it never changes results (tsml parallelises over CV folds).
  n_jobs: { type: "integer", default: 1, min: -1, max: 1024, description: "accepted and ignored" },
};

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
    this.params = validateParams(NAME, SCHEMA, params);
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
    return checkedProbabilities(NAME, out, 2);
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
    const read = new StateReader(NAME);
    read.binaryClasses(state.classes);
    const s = read.object(state.state, "state");
    model.features = read.integer(s.features, "features", 1);
    model.labels = read.numbers(s.labels, "labels", { min: 0, max: 1, integer: true });
    const k = numberParam(NAME, model.params, "n_neighbors");
    if (model.labels.length < k)
      read.fail("labels", `holds ${model.labels.length} training rows, fewer than n_neighbors=${k}`);
    model.data = read.numbers(s.data, "data", { length: model.labels.length * model.features });
    return model;
  }
}

export const kNearestNeighborsFactory: ModelFactory = {
  name: NAME,
  description:
    "k-nearest neighbours, uniform or distance weights, p 1 or 2 (scikit-learn KNeighborsClassifier)",
  schema: SCHEMA,
  defaults: schemaDefaults(SCHEMA),
  grid: { n_neighbors: [8, 12, 16], weights: ["uniform", "distance"], p: [1, 2] },
  scaled: true,
  create: (params) => new KNearestNeighbors(params),
  load: (state) => KNearestNeighbors.fromState(state),
};

registerModel(kNearestNeighborsFactory);
