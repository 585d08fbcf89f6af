// AdaBoost SAMME over binned Gini decision trees (stumps by default), as scikit-learn 1.2's AdaBoostClassifier.

import { UsageError } from "../../core/errors.js";
import { Random } from "../../core/random.js";
import { checkPredictInput } from "../common/fit-checks.js";
import { checkedProbabilities } from "../common/probability-check.js";
import { StateReader } from "../common/state-reader.js";
import type { Classifier, FeatureMatrix, FitOptions, ModelState } from "../model.js";
import { type ParamSchema, validateParams } from "../param-schema.js";
import { encodeLabels } from "../trees/class-labels.js";
import { growClassTree } from "../trees/class-tree-builder.js";
import { binFeatures } from "../trees/feature-bins.js";
import type { TreeArrays } from "../trees/tree-arrays.js";
import { treesFromJson, treesToJson } from "../trees/tree-ensemble.js";
import { optionalIntParam, rangeParam } from "../trees/tree-params.js";

interface DtabState {
  features: number;
  /** SAMME weight (alpha) of each tree. */
  alphas: number[];
  importance: number[];
  trees: unknown;
}

export class DtabClassifier implements Classifier {
  readonly name = "dtab";
  readonly params: Readonly<Record<string, unknown>>;
  private trees: TreeArrays[] = [];
  private alphas: Float64Array = new Float64Array(0);
  private classLabels: Float64Array = new Float64Array(0);
  private features = 0;
  private importance: Float64Array = new Float64Array(0);

  constructor(schema: ParamSchema, params: Record<string, unknown>) {
    this.params = validateParams("dtab", schema, params);
    this.settings();
  }

  private settings() {
    const p = this.params as Record<string, unknown>;
    return {
      nEstimators: optionalIntParam("dtab", p, "n_estimators", 50),
      learningRate: rangeParam("dtab", p, "learning_rate", Number.MIN_VALUE, 100),
      maxDepth: optionalIntParam("dtab", p, "max_depth", 1),
      minSamplesLeaf: optionalIntParam("dtab", p, "min_samples_leaf", 1),
    };
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    const s = this.settings();
    const labels = encodeLabels("dtab", X, y, options.sampleWeight);
    const K = labels.classes.length;
    const n = X.rows;
    const binned = binFeatures(X);
    const data = { binned, y: labels.y, classes: K };
    const F = X.columns.length;
    // SAMME starts from the sample weights normalised to sum 1.
    const w = options.sampleWeight ? Float64Array.from(options.sampleWeight) : new Float64Array(n).fill(1);
    normalise(w);
    const rng = new Random(options.seed);
    const trees: TreeArrays[] = [];
    const alphas: number[] = [];
    const importance = new Float64Array(F);
    const treeImportance = new Float64Array(F);
    const rows = new Uint32Array(n);
    for (let m = 0; m < s.nEstimators; m++) {
      let count = 0;
      for (let i = 0; i < n; i++) if (w[i] > 0) rows[count++] = i;
      treeImportance.fill(0);
      const tree = growClassTree(
        data,
        w,
        rows.slice(0, count),
        {
          maxDepth: s.maxDepth,
          minSamplesSplit: 2,
          minSamplesLeaf: s.minSamplesLeaf,
          maxFeatures: F,
          randomSplits: false,
          rng: rng.fork(m),
        },
        treeImportance,
      );
      const predicted = predictTreeClasses(tree, X, K);
      let error = 0;
      for (let i = 0; i < n; i++) if (predicted[i] !== labels.y[i]) error += w[i];
      if (error <= 0) {
        // A perfect tree ends boosting with weight 1 (scikit-learn does the same).
        trees.push(tree);
        alphas.push(1);
        addImportance(importance, treeImportance, 1);
        break;
      }
      if (error >= 1 - 1 / K) {
        if (trees.length === 0)
          throw new UsageError(
            "dtab: the first tree is no better than chance, so AdaBoost cannot fit",
            "use a deeper base tree (max_depth) or other features",
          );
        break;
      }
      const alpha = s.learningRate * (Math.log((1 - error) / error) + Math.log(K - 1));
      trees.push(tree);
      alphas.push(alpha);
      addImportance(importance, treeImportance, alpha);
      if (m === s.nEstimators - 1) break;
      for (let i = 0; i < n; i++) if (predicted[i] !== labels.y[i] && w[i] > 0) w[i] *= Math.exp(alpha);
      if (!(normalise(w) > 0)) break;
    }
    this.trees = trees;
    this.alphas = Float64Array.from(alphas);
    this.classLabels = labels.classes;
    this.features = F;
    this.importance = importance;
  }

  classes(): Float64Array {
    return this.classLabels.slice();
  }

  /**
   * scikit-learn's SAMME probabilities: the alpha-weighted class votes divided by the sum of alphas, then
   * softmax(d / (K - 1)); for two classes softmax([-d/2, d/2]) with d = vote(1) - vote(0).
   */
  predictProba(X: FeatureMatrix): Float64Array {
    this.assertFitted();
    checkPredictInput("dtab", X, this.features);
    const K = this.classLabels.length;
    const votes = new Float64Array(X.rows * K);
    let alphaSum = 0;
    for (let t = 0; t < this.trees.length; t++) {
      const predicted = predictTreeClasses(this.trees[t], X, K);
      const a = this.alphas[t];
      alphaSum += a;
      for (let i = 0; i < X.rows; i++) votes[i * K + predicted[i]] += a;
    }
    const out = new Float64Array(X.rows * K);
    for (let i = 0; i < X.rows; i++) {
      if (K === 2) {
        const d = (votes[2 * i + 1] - votes[2 * i]) / alphaSum;
        const p = 1 / (1 + Math.exp(-d));
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
        continue;
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) max = Math.max(max, votes[i * K + k] / alphaSum / (K - 1));
      let sum = 0;
      for (let k = 0; k < K; k++) {
        out[i * K + k] = Math.exp(votes[i * K + k] / alphaSum / (K - 1) - max);
        sum += out[i * K + k];
      }
      for (let k = 0; k < K; k++) out[i * K + k] /= sum;
    }
    return checkedProbabilities("dtab", out, K);
  }

  predict(X: FeatureMatrix): Float64Array {
    const proba = this.predictProba(X);
    const K = this.classLabels.length;
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      out[i] = this.classLabels[best];
    }
    return out;
  }

  /** Alpha-weighted sum of each tree's share of its Gini decrease per feature. */
  gainImportance(): Float64Array {
    return this.importance.slice();
  }

  toState(): ModelState {
    this.assertFitted();
    const state: DtabState = {
      features: this.features,
      alphas: Array.from(this.alphas),
      importance: Array.from(this.importance),
      trees: treesToJson(this.trees),
    };
    return { model: "dtab", params: { ...this.params }, classes: Array.from(this.classLabels), state };
  }

  restore(saved: ModelState): this {
    const read = new StateReader("dtab");
    const state = read.object(saved.state, "state");
    this.features = read.integer(state.features, "features", 1);
    this.classLabels = Float64Array.from(saved.classes);
    this.trees = treesFromJson(read, state.trees, this.features, {
      outputs: this.classLabels.length,
      values: [0, 1],
    });
    // SAMME weights are positive (a tree no better than chance ends boosting), so their sum never divides by 0.
    this.alphas = read.numbers(state.alphas, "alphas", { length: this.trees.length, min: Number.MIN_VALUE });
    this.importance = read.numbers(state.importance, "importance", { length: this.features, min: 0 });
    return this;
  }

  private assertFitted(): void {
    if (this.trees.length === 0) throw new UsageError("dtab: the model is not fitted", "call fit first");
  }
}

/** Class index (argmax of the leaf's class fractions, first on ties) per row. */
function predictTreeClasses(tree: TreeArrays, X: FeatureMatrix, K: number): Uint8Array {
  const out = new Uint8Array(X.rows);
  const { value } = tree;
  for (let i = 0; i < X.rows; i++) {
    const leaf = tree.leafOf(X.columns, i);
    let best = 0;
    for (let k = 1; k < K; k++) if (value[leaf * K + k] > value[leaf * K + best]) best = k;
    out[i] = best;
  }
  return out;
}

function normalise(w: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i];
  if (sum > 0) for (let i = 0; i < w.length; i++) w[i] /= sum;
  return sum;
}

function addImportance(total: Float64Array, tree: Float64Array, alpha: number): void {
  let sum = 0;
  for (let f = 0; f < tree.length; f++) sum += tree[f];
  if (sum > 0) for (let f = 0; f < tree.length; f++) total[f] += (alpha * tree[f]) / sum;
}
