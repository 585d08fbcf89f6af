// Histogram gradient boosting (XGBoost hist / LightGBM style): logistic or softmax loss, 255 bins.

import { UsageError } from "../../core/errors.js";
import { Random } from "../../core/random.js";
import { checkPredictInput } from "../common/fit-checks.js";
import { checkedProbabilities } from "../common/probability-check.js";
import { StateReader } from "../common/state-reader.js";
import type { Classifier, FeatureMatrix, FitOptions, ModelState } from "../model.js";
import { type ParamSchema, validateParams } from "../param-schema.js";
import { encodeLabels, rowWeights } from "../trees/class-labels.js";
import { CompiledEnsemble } from "../trees/compiled-ensemble.js";
import { binFeatures } from "../trees/feature-bins.js";
import { GradientScratch, growGradientTree } from "../trees/gradient-tree-builder.js";
import type { TreeArrays } from "../trees/tree-arrays.js";
import { argmaxClasses, ensembleShap, treesFromJson, treesToJson } from "../trees/tree-ensemble.js";
import { gbdtSettings } from "./gbdt-settings.js";

interface GbdtState {
  features: number;
  /** Initial raw score per output (log-odds of the prior, or log class priors). */
  base: number[];
  importance: number[];
  /** Boosting rounds kept (after early stopping). */
  rounds: number;
  trees: unknown;
}

export class GbdtClassifier implements Classifier {
  readonly name = "gbdt";
  readonly params: Readonly<Record<string, unknown>>;
  private trees: TreeArrays[] = [];
  private base: Float64Array = new Float64Array(0);
  private classLabels: Float64Array = new Float64Array(0);
  private features = 0;
  private importance: Float64Array = new Float64Array(0);
  private rounds = 0;

  constructor(schema: ParamSchema, params: Record<string, unknown>) {
    this.params = validateParams("gbdt", schema, params);
  }

  /** Raw scores per output: one for two classes (log-odds of the last), else one per class. */
  private get outputs(): number {
    return this.classLabels.length === 2 ? 1 : this.classLabels.length;
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    const s = gbdtSettings(this.params);
    const labels = encodeLabels("gbdt", X, y, options.sampleWeight);
    const w = rowWeights("gbdt", labels, options.sampleWeight, this.params.class_weight);
    const K = labels.classes.length;
    const Kt = K === 2 ? 1 : K;
    const n = X.rows;
    if (K === 2) {
      const spw = s.scalePosWeight === "balanced" ? labels.counts[0] / labels.counts[1] : s.scalePosWeight;
      for (let i = 0; i < n; i++) if (labels.y[i] === 1) w[i] *= spw;
    }
    // Early stopping holds out the last rows (the most recent, for time-ordered data), never a random subset.
    const validation = s.earlyStopping ? Math.max(1, Math.floor(s.validationFraction * n)) : 0;
    const trainRows = n - validation;
    if (trainRows < 2)
      throw new UsageError(
        "gbdt: validation_fraction leaves fewer than 2 training rows",
        "lower it or add rows",
      );
    const binned = binFeatures(X, s.maxBins);
    this.classLabels = labels.classes;
    this.features = X.columns.length;

    const base = new Float64Array(Kt);
    const classWeight = new Float64Array(K);
    let totalWeight = 0;
    for (let i = 0; i < trainRows; i++) {
      classWeight[labels.y[i]] += w[i];
      totalWeight += w[i];
    }
    const clamp = (p: number) => Math.min(1 - 1e-12, Math.max(1e-12, p));
    if (K === 2) {
      const p = clamp(classWeight[1] / totalWeight);
      base[0] = Math.log(p / (1 - p));
    } else for (let k = 0; k < K; k++) base[k] = Math.log(clamp(classWeight[k] / totalWeight));

    const raw = new Float64Array(n * Kt);
    for (let i = 0; i < n; i++) for (let k = 0; k < Kt; k++) raw[i * Kt + k] = base[k];
    const grad = new Float64Array(n * Kt);
    const hess = new Float64Array(n * Kt);
    const gk = new Float64Array(n);
    const hk = new Float64Array(n);
    const prob = new Float64Array(Kt === 1 ? 1 : K);
    const rng = new Random(options.seed);
    const permutation = new Uint32Array(trainRows);
    // One row buffer reused every round (the tree builder partitions it in place).
    const rowBuffer = new Uint32Array(trainRows);
    for (let i = 0; i < trainRows; i++) permutation[i] = i;
    const sampleSize = Math.max(1, Math.round(s.subsample * trainRows));
    const scratch = new GradientScratch(trainRows, X.columns.length * 512);
    const importance = new Float64Array(X.columns.length);
    const treeOptions = {
      maxDepth: s.maxDepth,
      maxLeaves: s.maxLeaves,
      lambda: s.lambda,
      minChildWeight: s.minChildWeight,
      minSplitLoss: s.minSplitLoss,
      learningRate: s.learningRate,
    };
    const trees: TreeArrays[] = [];
    const leaves: number[] = [];
    const inSample = new Uint8Array(n);
    let bestLoss = Number.POSITIVE_INFINITY;
    let bestRounds = 0;
    let round = 0;
    const yc = labels.y;
    for (; round < s.nEstimators; round++) {
      // Logistic loss: g = p - y, h = p (1 - p); softmax: the same per class (scikit-learn's hessian).
      if (Kt === 1) {
        for (let i = 0; i < trainRows; i++) {
          const p = 1 / (1 + Math.exp(-raw[i]));
          grad[i] = (p - yc[i]) * w[i];
          hess[i] = Math.max(p * (1 - p), 1e-16) * w[i];
        }
      } else {
        for (let i = 0; i < trainRows; i++) {
          const row = i * Kt;
          softmax(raw, row, K, prob);
          for (let k = 0; k < K; k++) {
            const p = prob[k];
            grad[row + k] = (p - (yc[i] === k ? 1 : 0)) * w[i];
            hess[row + k] = Math.max(p * (1 - p), 1e-16) * w[i];
          }
        }
      }
      let rows: Uint32Array;
      if (sampleSize < trainRows) {
        // Rows drawn without replacement each round (XGBoost's subsample), kept in ascending order.
        for (let i = 0; i < sampleSize; i++) {
          const j = i + rng.int(trainRows - i);
          const tmp = permutation[i];
          permutation[i] = permutation[j];
          permutation[j] = tmp;
        }
        rows = rowBuffer.subarray(0, sampleSize);
        rows.set(permutation.subarray(0, sampleSize));
        rows.sort();
      } else {
        rows = rowBuffer;
        rows.set(permutation);
      }
      for (let k = 0; k < Kt; k++) {
        for (let i = 0; Kt > 1 && i < trainRows; i++) {
          gk[i] = grad[i * Kt + k];
          hk[i] = hess[i * Kt + k];
        }
        const treeRows = k === 0 ? rows : rows.slice();
        const tree = growGradientTree(
          binned,
          Kt === 1 ? grad : gk,
          Kt === 1 ? hess : hk,
          treeRows,
          treeOptions,
          scratch,
          importance,
          leaves,
        );
        trees.push(tree);
        // Sampled rows take their leaf's value from the builder's partition; the others walk the tree.
        for (let l = 0; l < leaves.length; l += 3) {
          const v = tree.value[leaves[l]];
          for (let i = leaves[l + 1]; i < leaves[l + 2]; i++) raw[treeRows[i] * Kt + k] += v;
        }
        if (treeRows.length < n) {
          inSample.fill(0);
          for (let i = 0; i < treeRows.length; i++) inSample[treeRows[i]] = 1;
          addTree(tree, X.columns, raw, Kt, k, n, inSample);
        }
      }
      if (validation > 0) {
        const loss = validationLoss(raw, labels.y, w, trainRows, n, K, prob);
        if (loss < bestLoss - s.tol) {
          bestLoss = loss;
          bestRounds = round + 1;
        } else if (round + 1 - bestRounds >= s.nIterNoChange) {
          round++;
          break;
        }
      }
    }
    // With early stopping, keep the rounds up to the best validation loss (XGBoost's best_iteration).
    const kept = validation > 0 ? bestRounds : round;
    this.trees = trees.slice(0, kept * Kt);
    this.rounds = kept;
    this.base = base;
    this.importance = importance;
  }

  classes(): Float64Array {
    return this.classLabels.slice();
  }

  /** Raw scores (log-odds for two classes), rows x outputs. */
  decisionFunction(X: FeatureMatrix): Float64Array {
    this.assertFitted();
    checkPredictInput("gbdt", X, this.features);
    const Kt = this.outputs;
    const raw = new Float64Array(X.rows * Kt);
    for (let i = 0; i < X.rows; i++) for (let k = 0; k < Kt; k++) raw[i * Kt + k] = this.base[k];
    CompiledEnsemble.of(this.trees, this.features).accumulate(
      X,
      raw,
      Kt,
      () => 1,
      (t) => t % Kt,
    );
    return raw;
  }

  predictProba(X: FeatureMatrix): Float64Array {
    const raw = this.decisionFunction(X);
    const K = this.classLabels.length;
    const out = new Float64Array(X.rows * K);
    if (K === 2) {
      for (let i = 0; i < X.rows; i++) {
        const p = 1 / (1 + Math.exp(-raw[i]));
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
    } else {
      const prob = new Float64Array(K);
      for (let i = 0; i < X.rows; i++) {
        softmax(raw, i * K, K, prob);
        out.set(prob, i * K);
      }
    }
    return checkedProbabilities("gbdt", out, K);
  }

  predict(X: FeatureMatrix): Float64Array {
    return argmaxClasses(this.predictProba(X), X.rows, this.classLabels);
  }

  gainImportance(): Float64Array {
    return this.importance.slice();
  }

  /**
   * TreeSHAP in raw-score units (log-odds of the last class for 0/1 labels), as XGBoost and shap's
   * TreeExplainer report by default; the last column (expected value) includes the base score.
   */
  shapValues(X: FeatureMatrix): Float64Array {
    this.assertFitted();
    checkPredictInput("gbdt", X, this.features);
    const Kt = this.outputs;
    const target = Kt - 1;
    const out = ensembleShap(
      this.trees,
      X,
      this.features,
      target,
      () => 1,
      (t) => t % Kt,
    );
    const stride = this.features + 1;
    for (let i = 0; i < X.rows; i++) out[i * stride + this.features] += this.base[target];
    return out;
  }

  toState(): ModelState {
    this.assertFitted();
    const state: GbdtState = {
      features: this.features,
      base: Array.from(this.base),
      importance: Array.from(this.importance),
      rounds: this.rounds,
      trees: treesToJson(this.trees),
    };
    return { model: "gbdt", params: { ...this.params }, classes: Array.from(this.classLabels), state };
  }

  restore(saved: ModelState): this {
    const read = new StateReader("gbdt");
    const state = read.object(saved.state, "state");
    this.features = read.integer(state.features, "features", 1);
    this.classLabels = Float64Array.from(saved.classes);
    const outputs = this.outputs;
    this.base = read.numbers(state.base, "base", { length: outputs });
    this.rounds = read.integer(state.rounds, "rounds", 0);
    // One single-output tree per round and output (raw-score leaves); early stopping may keep 0 rounds.
    const trees = read.array(state.trees, "trees", this.rounds * outputs);
    this.trees = trees.length === 0 ? [] : treesFromJson(read, trees, this.features, { outputs: 1 });
    this.importance = read.numbers(state.importance, "importance", { length: this.features, min: 0 });
    return this;
  }

  private assertFitted(): void {
    if (this.classLabels.length === 0)
      throw new UsageError("gbdt: the model is not fitted", "call fit first");
  }
}

/** Adds a tree's leaf values to output k of the raw score of the rows outside the sample (and validation rows). */
function addTree(
  tree: TreeArrays,
  columns: readonly Float64Array[],
  raw: Float64Array,
  Kt: number,
  k: number,
  n: number,
  skip: Uint8Array,
): void {
  const { feature, threshold, left, right, value } = tree;
  for (let i = 0; i < n; i++) {
    if (skip[i] === 1) continue;
    let node = 0;
    while (left[node] >= 0) node = columns[feature[node]][i] <= threshold[node] ? left[node] : right[node];
    raw[i * Kt + k] += value[node];
  }
}

function softmax(raw: Float64Array, offset: number, K: number, out: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) if (raw[offset + k] > max) max = raw[offset + k];
  let sum = 0;
  for (let k = 0; k < K; k++) {
    out[k] = Math.exp(raw[offset + k] - max);
    sum += out[k];
  }
  for (let k = 0; k < K; k++) out[k] /= sum;
}

/** Weighted mean log loss over rows [from, to). */
function validationLoss(
  raw: Float64Array,
  y: Uint8Array,
  w: Float64Array,
  from: number,
  to: number,
  K: number,
  prob: Float64Array,
): number {
  let loss = 0;
  let weight = 0;
  for (let i = from; i < to; i++) {
    let p: number;
    if (K === 2) {
      const q = 1 / (1 + Math.exp(-raw[i]));
      p = y[i] === 1 ? q : 1 - q;
    } else {
      softmax(raw, i * K, K, prob);
      p = prob[y[i]];
    }
    loss -= w[i] * Math.log(Math.max(p, 1e-15));
    weight += w[i];
  }
  return weight > 0 ? loss / weight : 0;
}
