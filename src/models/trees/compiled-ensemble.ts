// Batch prediction over a tree ensemble without data-dependent branches. Walking a tree with `x <= threshold ?
// left : right` mispredicts about every other level, which made scoring the slowest part of a default gbdt
// `train` (fold scores, permutation importance). Here each input value becomes its rank among the ensemble's
// thresholds for that feature, once per block of rows; a tree is then walked a fixed number of steps with an
// integer compare turned into 0/1, with children stored side by side and leaves pointing at themselves.
// The sums are added in the same order as the plain walk, so the results are identical to the last bit.

import type { FeatureMatrix } from "../model.js";
import type { TreeArrays } from "./tree-arrays.js";

/** One tree relabelled breadth-first: node k's children are next[k] and next[k] + 1; a leaf's next is itself. */
interface CompiledTree {
  next: Int32Array;
  feature: Int32Array;
  /** The split's threshold as its rank among the feature's thresholds; a leaf holds the largest int32. */
  rank: Int32Array;
  /** Original node index of each relabelled node, to read the tree's leaf values. */
  original: Int32Array;
  /** Steps from the root to the deepest leaf: after that many steps every walk sits on its leaf. */
  depth: number;
  outputs: number;
  value: Float64Array;
}

const LEAF_RANK = 0x7fffffff;
/** Rows ranked at a time: their ranks (rows x features int32) stay in the CPU's second-level cache. */
const BLOCK_ROWS = 2048;
const compiledByTrees = new WeakMap<readonly TreeArrays[], CompiledEnsemble>();

export class CompiledEnsemble {
  private constructor(
    /** Sorted distinct thresholds of each feature over all trees. */
    private readonly thresholds: Float64Array[],
    private readonly trees: CompiledTree[],
  ) {}

  /** The compiled form of `trees`, built once per array of trees (a fitted model keeps its array). */
  static of(trees: readonly TreeArrays[], features: number): CompiledEnsemble {
    const cached = compiledByTrees.get(trees);
    if (cached && cached.thresholds.length === features) return cached;
    const distinct = Array.from({ length: features }, () => new Set<number>());
    for (const tree of trees) {
      for (let node = 0; node < tree.nodeCount; node++)
        if (tree.left[node] >= 0) distinct[tree.feature[node]].add(tree.threshold[node]);
    }
    const thresholds = distinct.map((set) => Float64Array.from(set).sort());
    const compiled = new CompiledEnsemble(
      thresholds,
      trees.map((tree) => compileTree(tree, thresholds)),
    );
    compiledByTrees.set(trees, compiled);
    return compiled;
  }

  /**
   * Adds `scale(t) * value(leaf reached)` of every tree to `out` (rows x outputs, row-major), to output
   * `outputOf(t)` for single-value trees or to each output for trees with `outputs` values per leaf.
   */
  accumulate(
    X: FeatureMatrix,
    out: Float64Array,
    outputs: number,
    scale: (t: number) => number,
    outputOf?: (t: number) => number,
  ): void {
    const F = this.thresholds.length;
    const ranks = new Int32Array(Math.min(BLOCK_ROWS, X.rows) * F);
    const scales = this.trees.map((_, t) => scale(t));
    const targets = this.trees.map((_, t) => (outputOf ? outputOf(t) : 0));
    for (let start = 0; start < X.rows; start += BLOCK_ROWS) {
      const rows = Math.min(BLOCK_ROWS, X.rows - start);
      for (let f = 0; f < F; f++) rankColumn(X.columns[f], this.thresholds[f], start, rows, ranks, f, F);
      for (let t = 0; t < this.trees.length; t++)
        walkBlock(this.trees[t], ranks, F, rows, out, start, outputs, scales[t], targets[t]);
    }
  }
}

function compileTree(tree: TreeArrays, thresholds: Float64Array[]): CompiledTree {
  const n = tree.nodeCount;
  const next = new Int32Array(n);
  const feature = new Int32Array(n);
  const rank = new Int32Array(n);
  const original = new Int32Array(n);
  // Breadth-first: the root is 0 and each split's two children take the next two labels.
  let labels = 1;
  let depth = 0;
  const nodeDepth = new Int32Array(n);
  original[0] = 0;
  for (let k = 0; k < labels; k++) {
    const node = original[k];
    if (tree.left[node] < 0) {
      next[k] = k;
      rank[k] = LEAF_RANK;
      if (nodeDepth[k] > depth) depth = nodeDepth[k];
      continue;
    }
    next[k] = labels;
    original[labels] = tree.left[node];
    original[labels + 1] = tree.right[node];
    nodeDepth[labels] = nodeDepth[k] + 1;
    nodeDepth[labels + 1] = nodeDepth[k] + 1;
    labels += 2;
    feature[k] = tree.feature[node];
    rank[k] = lowerBound(thresholds[tree.feature[node]], tree.threshold[node]);
  }
  return {
    next: next.subarray(0, labels),
    feature: feature.subarray(0, labels),
    rank: rank.subarray(0, labels),
    original: original.subarray(0, labels),
    depth,
    outputs: tree.outputs,
    value: tree.value,
  };
}

/**
 * The first index k with x <= sorted[k] (sorted.length when none). x <= threshold j exactly when
 * rank(x) <= rank(threshold j); NaN compares false with every threshold, so it ranks past all of them.
 */
function lowerBound(sorted: Float64Array, x: number): number {
  if (Number.isNaN(x)) return sorted.length;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= sorted[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function rankColumn(
  column: Float64Array,
  sorted: Float64Array,
  start: number,
  rows: number,
  ranks: Int32Array,
  f: number,
  F: number,
): void {
  for (let i = 0; i < rows; i++) ranks[i * F + f] = lowerBound(sorted, column[start + i]);
}

/** One tree over a block of ranked rows, four walks interleaved so their loads overlap. */
function walkBlock(
  tree: CompiledTree,
  ranks: Int32Array,
  F: number,
  rows: number,
  out: Float64Array,
  start: number,
  outputs: number,
  scale: number,
  target: number,
): void {
  const { next, feature, rank, original, depth, value } = tree;
  const K = tree.outputs;
  // Going right is (rank[node] - ranks[row, feature]) < 0, read off the sign bit: no branch.
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const a0 = i * F;
    const a1 = a0 + F;
    const a2 = a1 + F;
    const a3 = a2 + F;
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    for (let d = 0; d < depth; d++) {
      n0 = next[n0] + ((rank[n0] - ranks[a0 + feature[n0]]) >>> 31);
      n1 = next[n1] + ((rank[n1] - ranks[a1 + feature[n1]]) >>> 31);
      n2 = next[n2] + ((rank[n2] - ranks[a2 + feature[n2]]) >>> 31);
      n3 = next[n3] + ((rank[n3] - ranks[a3 + feature[n3]]) >>> 31);
    }
    addLeaf(out, start + i, outputs, target, K, value, original[n0], scale);
    addLeaf(out, start + i + 1, outputs, target, K, value, original[n1], scale);
    addLeaf(out, start + i + 2, outputs, target, K, value, original[n2], scale);
    addLeaf(out, start + i + 3, outputs, target, K, value, original[n3], scale);
  }
  for (; i < rows; i++) {
    const a = i * F;
    let node = 0;
    for (let d = 0; d < depth; d++) node = next[node] + ((rank[node] - ranks[a + feature[node]]) >>> 31);
    addLeaf(out, start + i, outputs, target, K, value, original[node], scale);
  }
}

function addLeaf(
  out: Float64Array,
  row: number,
  outputs: number,
  target: number,
  K: number,
  value: Float64Array,
  leaf: number,
  scale: number,
): void {
  if (K === 1) out[row * outputs + target] += scale * value[leaf];
  else for (let k = 0; k < K; k++) out[row * outputs + k] += scale * value[leaf * K + k];
}
