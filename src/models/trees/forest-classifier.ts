// Random forest and extra trees: bagged Gini trees on binned features, probabilities averaged over trees.

import { UsageError } from "../../core/errors.js";
import { Random } from "../../core/random.js";
import { checkPredictInput } from "../common/fit-checks.js";
import { booleanParam } from "../common/params.js";
import { checkedProbabilities } from "../common/probability-check.js";
import { StateReader } from "../common/state-reader.js";
import type { Classifier, FeatureMatrix, FitOptions, ModelState } from "../model.js";
import { type ParamSchema, validateParams } from "../param-schema.js";
import { checkClassWeight, encodeLabels, rowWeights } from "./class-labels.js";
import { growClassTree } from "./class-tree-builder.js";
import { CompiledEnsemble } from "./compiled-ensemble.js";
import { binFeatures } from "./feature-bins.js";
import type { TreeArrays } from "./tree-arrays.js";
import { argmaxClasses, ensembleShap, treesFromJson, treesToJson } from "./tree-ensemble.js";
import { isUnset, optionalIntParam, rangeParam, resolveMaxFeatures } from "./tree-params.js";

interface ForestState {
  features: number;
  importance: number[];
  trees: unknown;
}

/** scikit-learn's RandomForestClassifier (`randomSplits` false) or ExtraTreesClassifier (true). */
export class ForestClassifier implements Classifier {
  readonly params: Readonly<Record<string, unknown>>;
  private trees: TreeArrays[] = [];
  private classLabels: Float64Array = new Float64Array(0);
  private features = 0;
  private importance: Float64Array = new Float64Array(0);

  constructor(
    readonly name: string,
    schema: ParamSchema,
    params: Record<string, unknown>,
    private readonly randomSplits: boolean,
  ) {
    this.params = validateParams(name, schema, params);
    this.settings(1);
  }

  /** Reads and checks every parameter (also at construction, so bad values fail before any work). */
  private settings(features: number) {
    const p = this.params as Record<string, unknown>;
    const nEstimators = optionalIntParam(this.name, p, "n_estimators", 100);
    const maxBins = optionalIntParam(this.name, p, "max_bins", 255, 2);
    checkClassWeight(this.name, p.class_weight);
    if (maxBins > 255) throw new UsageError(`${this.name}: max_bins=${maxBins} must be at most 255`);
    return {
      nEstimators,
      maxDepth: optionalIntParam(this.name, p, "max_depth", Number.POSITIVE_INFINITY),
      minSamplesSplit: optionalIntParam(this.name, p, "min_samples_split", 2, 2),
      minSamplesLeaf: optionalIntParam(this.name, p, "min_samples_leaf", 1),
      maxFeatures: resolveMaxFeatures(this.name, p.max_features, features),
      bootstrap: booleanParam(this.name, p, "bootstrap"),
      maxSamples: isUnset(p.max_samples)
        ? 1
        : rangeParam(this.name, p, "max_samples", Number.MIN_VALUE, Number.MAX_VALUE),
      maxBins,
    };
  }

  async fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void> {
    const labels = encodeLabels(this.name, X, y, options.sampleWeight);
    const s = this.settings(X.columns.length);
    const baseWeights = rowWeights(this.name, labels, options.sampleWeight, this.params.class_weight);
    const binned = binFeatures(X, s.maxBins);
    const n = X.rows;
    const rng = new Random(options.seed);
    const data = { binned, y: labels.y, classes: labels.classes.length };
    const importance = new Float64Array(X.columns.length);
    const trees: TreeArrays[] = [];
    const w = new Float64Array(n);
    const rowsAll = new Uint32Array(n);
    // max_samples: a fraction of the rows (<= 1) or a row count, as in scikit-learn.
    const draws = Math.max(
      1,
      Math.min(n, s.maxSamples <= 1 ? Math.round(s.maxSamples * n) : Math.floor(s.maxSamples)),
    );
    for (let t = 0; t < s.nEstimators; t++) {
      const treeRng = rng.fork(t);
      let count = 0;
      if (s.bootstrap) {
        // Bootstrap as integer row weights (scikit-learn does the same); unsampled rows leave the tree's row list.
        w.fill(0);
        for (let d = 0; d < draws; d++) w[treeRng.int(n)] += 1;
        for (let i = 0; i < n; i++) {
          if (w[i] > 0 && baseWeights[i] > 0) {
            w[i] *= baseWeights[i];
            rowsAll[count++] = i;
          }
        }
      } else {
        for (let i = 0; i < n; i++) {
          w[i] = baseWeights[i];
          if (w[i] > 0) rowsAll[count++] = i;
        }
      }
      const rows = rowsAll.slice(0, count);
      const tree = growClassTree(
        data,
        w,
        rows,
        {
          maxDepth: s.maxDepth,
          minSamplesSplit: s.minSamplesSplit,
          minSamplesLeaf: s.minSamplesLeaf,
          maxFeatures: s.maxFeatures,
          randomSplits: this.randomSplits,
          rng: treeRng,
        },
        importance,
      );
      trees.push(tree);
    }
    this.trees = trees;
    this.classLabels = labels.classes;
    this.features = X.columns.length;
    this.importance = importance;
  }

  classes(): Float64Array {
    return this.classLabels.slice();
  }

  predictProba(X: FeatureMatrix): Float64Array {
    this.assertFitted();
    checkPredictInput(this.name, X, this.features);
    const K = this.classLabels.length;
    const out = new Float64Array(X.rows * K);
    const scale = 1 / this.trees.length;
    CompiledEnsemble.of(this.trees, this.features).accumulate(X, out, K, () => scale);
    return checkedProbabilities(this.name, out, K);
  }

  predict(X: FeatureMatrix): Float64Array {
    return argmaxClasses(this.predictProba(X), X.rows, this.classLabels);
  }

  gainImportance(): Float64Array {
    return this.importance.slice();
  }

  /** TreeSHAP of the probability of the last class (the positive class for 0/1 labels), averaged over trees. */
  shapValues(X: FeatureMatrix): Float64Array {
    this.assertFitted();
    checkPredictInput(this.name, X, this.features);
    const scale = 1 / this.trees.length;
    return ensembleShap(this.trees, X, this.features, this.classLabels.length - 1, () => scale);
  }

  toState(): ModelState {
    this.assertFitted();
    const state: ForestState = {
      features: this.features,
      importance: Array.from(this.importance),
      trees: treesToJson(this.trees),
    };
    return { model: this.name, params: { ...this.params }, classes: Array.from(this.classLabels), state };
  }

  /** Restores a fitted forest from `toState()` output. */
  restore(saved: ModelState): this {
    const read = new StateReader(this.name);
    const state = read.object(saved.state, "state");
    this.features = read.integer(state.features, "features", 1);
    this.classLabels = Float64Array.from(saved.classes);
    // Leaves hold class fractions, one per class.
    this.trees = treesFromJson(read, state.trees, this.features, {
      outputs: this.classLabels.length,
      values: [0, 1],
    });
    this.importance = read.numbers(state.importance, "importance", { length: this.features, min: 0 });
    return this;
  }

  private assertFitted(): void {
    if (this.trees.length === 0)
      throw new UsageError(`${this.name}: the model is not fitted`, "call fit first");
  }
}
