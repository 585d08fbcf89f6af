// SHAP, state and class helpers shared by the TreeArrays ensembles (prediction: compiled-ensemble.ts).

import type { StateReader } from "../common/state-reader.js";
import type { FeatureMatrix } from "../model.js";
import { TreeArrays, type TreeJson } from "./tree-arrays.js";
import { expectedValue, treeShap } from "./tree-shap.js";

/**
 * Exact TreeSHAP summed over trees for one output: rows x (features + 1), row-major, last column the
 * expected value. `output` picks the leaf value index for multi-output trees; trees with one output whose
 * `outputOf(t)` differs from `output` are skipped.
 */
export function ensembleShap(
  trees: readonly TreeArrays[],
  X: FeatureMatrix,
  features: number,
  output: number,
  scale: (t: number) => number,
  outputOf?: (t: number) => number,
): Float64Array {
  const stride = features + 1;
  const out = new Float64Array(X.rows * stride);
  const phi = new Float64Array(features);
  const x = new Float64Array(features);
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t];
    if (tree.outputs === 1 && outputOf && outputOf(t) !== output) continue;
    const k = tree.outputs === 1 ? 0 : output;
    const s = scale(t);
    const base = s * expectedValue(tree, k);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < features; j++) x[j] = X.columns[j][i];
      phi.fill(0);
      treeShap(tree, x, k, phi);
      const row = i * stride;
      for (let j = 0; j < features; j++) out[row + j] += s * phi[j];
      out[row + features] += base;
    }
  }
  return out;
}

export function treesToJson(trees: readonly TreeArrays[]): TreeJson[] {
  return trees.map((tree) => tree.toJson());
}

/** The saved trees (at least one), each checked by `TreeArrays.fromJson`. */
export function treesFromJson(
  read: StateReader,
  json: unknown,
  features: number,
  expect: { outputs?: number; values?: [number, number] } = {},
): TreeArrays[] {
  const list = read.array(json, "trees");
  if (list.length === 0) read.fail("trees", "is empty, expected at least one tree");
  return list.map((tree, t) => TreeArrays.fromJson(read, tree, `trees[${t}]`, features, expect));
}

/** Index of the largest value in each row of a rows x K row-major matrix, mapped to class labels. */
export function argmaxClasses(proba: Float64Array, rows: number, classes: Float64Array): Float64Array {
  const K = classes.length;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
    out[i] = classes[best];
  }
  return out;
}
