// Grows one Gini classification tree on binned features (random forest, extra trees and AdaBoost stumps).

import type { Random } from "../../core/random.js";
import type { BinnedFeatures } from "./feature-bins.js";
import { type TreeArrays, TreeBuilder } from "./tree-arrays.js";

export interface ClassTreeOptions {
  /** Maximum depth (Infinity = grow until pure or too small, as scikit-learn's max_depth=None). */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features examined per split (scikit-learn's max_features, already resolved to a count). */
  maxFeatures: number;
  /** Extra trees: one uniformly drawn cut per examined feature instead of the best cut. */
  randomSplits: boolean;
  rng: Random;
}

/** Training data shared by every tree of an ensemble (read-only). */
export interface ClassTreeData {
  binned: BinnedFeatures;
  /** Class index (0..classes-1) per row. */
  y: Uint8Array;
  classes: number;
}

/**
 * Grows a tree over `rows` (indices of the rows in the sample, partitioned in place) with row weights `w`
 * (sample weight x class weight x bootstrap count). Leaf values are weighted class fractions; cover is the
 * weighted row count; `importance[f]` gains the weighted Gini decrease of every split on f.
 *
 * Why per-node histograms of only the sampled features, and no histogram subtraction: with max_features
 * well below 1 (sqrt, 0.3), building the few sampled features' histograms costs less than keeping all of them
 * up to date for subtraction.
 */
export function growClassTree(
  data: ClassTreeData,
  w: Float64Array,
  rows: Uint32Array,
  options: ClassTreeOptions,
  importance: Float64Array,
): TreeArrays {
  const { binned, y, classes: K } = data;
  const { bins, thresholds, binCounts } = binned;
  const F = bins.length;
  const builder = new TreeBuilder(K);
  const histW = new Float64Array(256 * K);
  const histN = new Int32Array(256);
  const sums = new Float64Array(K);
  const leftSums = new Float64Array(K);
  const featureOrder = new Int32Array(F);
  for (let f = 0; f < F; f++) featureOrder[f] = f;
  const leafValue = new Float64Array(K);
  const spill = new Uint32Array(rows.length);
  const minLeaf = Math.max(1, options.minSamplesLeaf);
  const minSplit = Math.max(2, options.minSamplesSplit, 2 * minLeaf);

  // Explicit depth-first stack of (node, start, end, depth); class sums of the node are recomputed on pop.
  const stackNode: number[] = [];
  const stackStart: number[] = [];
  const stackEnd: number[] = [];
  const stackDepth: number[] = [];
  const root = builder.addNode(leafValue, 0);
  stackNode.push(root);
  stackStart.push(0);
  stackEnd.push(rows.length);
  stackDepth.push(0);

  while (stackNode.length > 0) {
    const node = stackNode.pop()!;
    const start = stackStart.pop()!;
    const end = stackEnd.pop()!;
    const depth = stackDepth.pop()!;
    sums.fill(0);
    for (let i = start; i < end; i++) {
      const r = rows[i];
      sums[y[r]] += w[r];
    }
    let total = 0;
    let sumSquares = 0;
    for (let k = 0; k < K; k++) {
      total += sums[k];
      sumSquares += sums[k] * sums[k];
    }
    builder.setLeaf(node, sums, total > 0 ? 1 / total : 0, total);
    const n = end - start;
    // Weighted Gini impurity times weight: W - sum_k S_k^2 / W; zero means pure.
    const parentImpurity = total - sumSquares / total;
    if (depth >= options.maxDepth || n < minSplit || !(parentImpurity > 1e-12 * total)) continue;

    let bestGain = 0;
    let bestFeature = -1;
    let bestBin = -1;
    let examined = 0;
    // scikit-learn keeps drawing features past max_features while the ones drawn are constant in the node.
    for (let draw = 0; draw < F && examined < options.maxFeatures; draw++) {
      const pick = draw + options.rng.int(F - draw);
      const f = featureOrder[pick];
      featureOrder[pick] = featureOrder[draw];
      featureOrder[draw] = f;
      const nb = binCounts[f];
      if (nb < 2) continue;
      const col = bins[f];
      histW.fill(0, 0, nb * K);
      histN.fill(0, 0, nb);
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const b = col[r];
        histN[b]++;
        histW[b * K + y[r]] += w[r];
      }
      let lo = 0;
      while (histN[lo] === 0) lo++;
      let hi = nb - 1;
      while (histN[hi] === 0) hi--;
      if (lo === hi) continue;
      examined++;
      if (options.randomSplits) {
        // A cut drawn uniformly in value space between the node's smallest and largest bins.
        const cuts = thresholds[f];
        const v = cuts[lo] + options.rng.next() * (cuts[hi - 1] - cuts[lo]);
        let cut = lo;
        while (cut < hi - 1 && cuts[cut] < v) cut++;
        leftSums.fill(0);
        let leftN = 0;
        for (let b = lo; b <= cut; b++) {
          leftN += histN[b];
          for (let k = 0; k < K; k++) leftSums[k] += histW[b * K + k];
        }
        if (leftN < minLeaf || n - leftN < minLeaf) continue;
        const gain = splitGain(leftSums, sums, K) - sumSquares / total;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestBin = cut;
        }
        continue;
      }
      leftSums.fill(0);
      let leftN = 0;
      for (let b = lo; b < hi; b++) {
        if (histN[b] === 0) continue;
        leftN += histN[b];
        for (let k = 0; k < K; k++) leftSums[k] += histW[b * K + k];
        if (leftN < minLeaf) continue;
        if (n - leftN < minLeaf) break;
        const gain = splitGain(leftSums, sums, K) - sumSquares / total;
        if (gain > bestGain + 1e-12 * total) {
          // Place the cut midway through the empty bins up to the next occupied one, like scikit-learn's
          // threshold midway between neighbouring values in the node.
          let next = b + 1;
          while (histN[next] === 0) next++;
          bestGain = gain;
          bestFeature = f;
          bestBin = (b + next - 1) >>> 1;
        }
      }
    }
    if (bestFeature < 0) continue;

    // Stable partition of rows[start, end), left child first; branch-free (both sides written, one cursor moves).
    const col = bins[bestFeature];
    let i = start;
    let r = 0;
    for (let p = start; p < end; p++) {
      const row = rows[p];
      const left = col[row] <= bestBin ? 1 : 0;
      rows[i] = row;
      spill[r] = row;
      i += left;
      r += 1 - left;
    }
    rows.set(spill.subarray(0, r), i);
    importance[bestFeature] += bestGain;
    const leftNode = builder.addNode(leafValue, 0);
    const rightNode = builder.addNode(leafValue, 0);
    builder.setSplit(node, bestFeature, thresholds[bestFeature][bestBin], leftNode, rightNode);
    stackNode.push(rightNode, leftNode);
    stackStart.push(i, start);
    stackEnd.push(end, i);
    stackDepth.push(depth + 1, depth + 1);
  }
  return builder.finish();
}

/** sum_k L_k^2 / W_L + sum_k R_k^2 / W_R, the part of the weighted Gini decrease that depends on the cut. */
function splitGain(left: Float64Array, total: Float64Array, K: number): number {
  let wl = 0;
  let wr = 0;
  let sl = 0;
  let sr = 0;
  for (let k = 0; k < K; k++) {
    const l = left[k];
    const r = total[k] - l;
    wl += l;
    wr += r;
    sl += l * l;
    sr += r * r;
  }
  if (wl <= 0 || wr <= 0) return Number.NEGATIVE_INFINITY;
  return sl / wl + sr / wr;
}
