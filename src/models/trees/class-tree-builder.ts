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
  const minLeaf = Math.max(1, options.minSamplesLeaf);
  // Room for the whole tree up front saves regrowing the node arrays about ten times per tree. A tree grown to
  // purity on noisy labels has fewer nodes than rows; leaves of minLeaf rows and depth d bound it further.
  const builder = new TreeBuilder(
    K,
    Math.min(rows.length + 1, Math.ceil((2 * rows.length) / minLeaf), 2 ** (options.maxDepth + 1) - 1),
  );
  // Histograms are all zero between uses: each use clears only the bins it filled.
  const histW = new Float64Array(256 * K);
  const histN = new Int32Array(256);
  const occupied = new Int32Array(256);
  const occupiedBits = new Int32Array(8);
  const sums = new Float64Array(K);
  const leftSums = new Float64Array(K);
  const featureOrder = new Int32Array(F);
  for (let f = 0; f < F; f++) featureOrder[f] = f;
  const leafValue = new Float64Array(K);
  // The weight and class of rows[i], kept in the same order as rows, so the histogram loops read them in
  // sequence instead of gathering them by row index.
  const count = rows.length;
  const wAt = new Float64Array(count);
  const yAt = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    wAt[i] = w[rows[i]];
    yAt[i] = y[rows[i]];
  }
  const spill = new Uint32Array(count);
  const spillW = new Float64Array(count);
  const spillY = new Uint8Array(count);
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
    for (let i = start; i < end; i++) sums[yAt[i]] += wAt[i];
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
    const parentTerm = sumSquares / total;

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
      // Why a list of the occupied bins for small nodes (read in ascending order off a 256-bit set): most nodes
      // of a deep tree hold a few rows spread over a wide bin range, where walking the list costs far less than
      // walking (and clearing) every bin from lo to hi. Large nodes walk the range. Both visit the same bins in
      // the same order, so they choose the same cut.
      const sparse = n <= SPARSE_ROWS;
      let m = 0;
      if (sparse) {
        for (let i = start; i < end; i++) {
          const b = col[rows[i]];
          histN[b]++;
          histW[b * K + yAt[i]] += wAt[i];
          occupiedBits[b >>> 5] |= 1 << (b & 31);
        }
        m = ascendingBits(occupiedBits, occupied);
      } else
        for (let i = start; i < end; i++) {
          const b = col[rows[i]];
          histN[b]++;
          histW[b * K + yAt[i]] += wAt[i];
        }
      let lo: number;
      let hi: number;
      if (sparse) {
        lo = occupied[0];
        hi = occupied[m - 1];
      } else {
        lo = 0;
        while (histN[lo] === 0) lo++;
        hi = nb - 1;
        while (histN[hi] === 0) hi--;
      }
      if (lo !== hi) {
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
          if (leftN >= minLeaf && n - leftN >= minLeaf) {
            const gain = splitGain(leftSums, sums, K) - parentTerm;
            if (gain > bestGain) {
              bestGain = gain;
              bestFeature = f;
              bestBin = cut;
            }
          }
        } else if (K === 2) {
          // The general loop (next branch) for two classes, with the class sums and splitGain's arithmetic in
          // locals (the same operations in the same order, so the same doubles): most forests are binary, and
          // this loop runs once per occupied bin of every examined feature of every node.
          const s0 = sums[0];
          const s1 = sums[1];
          let l0 = 0;
          let l1 = 0;
          let leftN = 0;
          let found = -1;
          let foundGain = 0;
          let cutMargin = bestGain + 1e-12 * total;
          for (let j = 0, b = lo; b < hi; ) {
            leftN += histN[b];
            l0 += histW[2 * b];
            l1 += histW[2 * b + 1];
            let next: number;
            if (sparse) next = occupied[++j];
            else {
              next = b + 1;
              while (histN[next] === 0) next++;
            }
            if (leftN >= minLeaf) {
              if (n - leftN < minLeaf) break;
              const r0 = s0 - l0;
              const r1 = s1 - l1;
              const wl = l0 + l1;
              const wr = r0 + r1;
              if (wl > 0 && wr > 0) {
                const gain = (l0 * l0 + l1 * l1) / wl + (r0 * r0 + r1 * r1) / wr - parentTerm;
                if (gain > cutMargin) {
                  found = (b + next - 1) >>> 1;
                  foundGain = gain;
                  cutMargin = gain + 1e-12 * total;
                }
              }
            }
            b = next;
          }
          if (found >= 0) {
            bestGain = foundGain;
            bestFeature = f;
            bestBin = found;
          }
        } else {
          leftSums.fill(0);
          let leftN = 0;
          // Occupied bins in ascending order, all but the last (a cut after it would leave the right side empty).
          for (let j = 0, b = lo; b < hi; ) {
            leftN += histN[b];
            for (let k = 0; k < K; k++) leftSums[k] += histW[b * K + k];
            // The next occupied bin after b.
            let next: number;
            if (sparse) next = occupied[++j];
            else {
              next = b + 1;
              while (histN[next] === 0) next++;
            }
            if (leftN >= minLeaf) {
              if (n - leftN < minLeaf) break;
              const gain = splitGain(leftSums, sums, K) - parentTerm;
              if (gain > bestGain + 1e-12 * total) {
                // Place the cut midway through the empty bins up to the next occupied one, like scikit-learn's
                // threshold midway between neighbouring values in the node.
                bestGain = gain;
                bestFeature = f;
                bestBin = (b + next - 1) >>> 1;
              }
            }
            b = next;
          }
        }
      }
      // Clear what this feature filled.
      if (sparse) {
        for (let j = 0; j < m; j++) {
          const b = occupied[j];
          histN[b] = 0;
          for (let k = 0; k < K; k++) histW[b * K + k] = 0;
        }
      } else {
        histN.fill(0, lo, hi + 1);
        histW.fill(0, lo * K, (hi + 1) * K);
      }
    }
    if (bestFeature < 0) continue;

    // Stable partition of rows[start, end), left child first; branch-free (both sides written, one cursor moves).
    const col = bins[bestFeature];
    let i = start;
    let r = 0;
    for (let p = start; p < end; p++) {
      const row = rows[p];
      const wp = wAt[p];
      const yp = yAt[p];
      const left = col[row] <= bestBin ? 1 : 0;
      rows[i] = row;
      wAt[i] = wp;
      yAt[i] = yp;
      spill[r] = row;
      spillW[r] = wp;
      spillY[r] = yp;
      i += left;
      r += 1 - left;
    }
    for (let q = 0; q < r; q++) {
      rows[i + q] = spill[q];
      wAt[i + q] = spillW[q];
      yAt[i + q] = spillY[q];
    }
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

/** Nodes of at most this many rows walk a list of their occupied bins; larger ones walk the bin range. */
const SPARSE_ROWS = 96;

/** Writes the set bits of the 256-bit set `bits` to `out` in ascending order, clears the set, returns the count. */
function ascendingBits(bits: Int32Array, out: Int32Array): number {
  let m = 0;
  for (let q = 0; q < 8; q++) {
    let word = bits[q];
    bits[q] = 0;
    while (word !== 0) {
      const lowest = word & -word;
      out[m++] = (q << 5) + 31 - Math.clz32(lowest);
      word ^= lowest;
    }
  }
  return m;
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
