// Exact path-dependent TreeSHAP (Lundberg et al. 2018, Algorithm 2) on a TreeArrays, covers as background.

import type { TreeArrays } from "./tree-arrays.js";

/** Cover-weighted mean of the leaf values (output k): the model's expected value under the training data. */
export function expectedValue(tree: TreeArrays, k: number): number {
  const { left, right, cover, value, outputs } = tree;
  const mean = new Float64Array(tree.nodeCount);
  // Children always have larger indices than their parent, so a reverse sweep sees children first.
  for (let node = tree.nodeCount - 1; node >= 0; node--) {
    const l = left[node];
    if (l < 0) mean[node] = value[node * outputs + k];
    else {
      const r = right[node];
      const total = cover[l] + cover[r];
      mean[node] = total > 0 ? (cover[l] * mean[l] + cover[r] * mean[r]) / total : (mean[l] + mean[r]) / 2;
    }
  }
  return mean[0];
}

/** Path buffers, reused across rows of one tree (sized for the tree's depth). */
interface Path {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

const pathCache = new WeakMap<TreeArrays, Path>();

/**
 * Adds the SHAP values of row `x` (one value per feature) for output k of `tree` into `phi`.
 * sum(phi) = f(x) - expectedValue(tree, k) exactly (up to rounding).
 */
export function treeShap(tree: TreeArrays, x: Float64Array, k: number, phi: Float64Array): void {
  let path = pathCache.get(tree);
  if (!path) {
    const depth = tree.maxDepth();
    const size = ((depth + 2) * (depth + 3)) / 2;
    path = {
      feature: new Int32Array(size),
      zero: new Float64Array(size),
      one: new Float64Array(size),
      weight: new Float64Array(size),
    };
    pathCache.set(tree, path);
  }
  recurse(tree, x, k, phi, path, 0, 0, 0, 1, 1, -1);
}

function recurse(
  tree: TreeArrays,
  x: Float64Array,
  k: number,
  phi: Float64Array,
  path: Path,
  node: number,
  parentOffset: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  featureIndex: number,
): void {
  // This level's path starts after the parent's (depth + 1 elements); copy the parent's path into it.
  const offset = parentOffset + (node === 0 ? 0 : depth);
  const { feature: pf, zero: pz, one: po, weight: pw } = path;
  if (node !== 0) {
    pf.copyWithin(offset, parentOffset, parentOffset + depth);
    pz.copyWithin(offset, parentOffset, parentOffset + depth);
    po.copyWithin(offset, parentOffset, parentOffset + depth);
    pw.copyWithin(offset, parentOffset, parentOffset + depth);
  }
  extendPath(path, offset, depth, zeroFraction, oneFraction, featureIndex);

  const { left, right, cover, value, outputs } = tree;
  if (left[node] < 0) {
    const leafValue = value[node * outputs + k];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(path, offset, depth, i);
      phi[pf[offset + i]] += w * (po[offset + i] - pz[offset + i]) * leafValue;
    }
    return;
  }
  const split = tree.feature[node];
  const goesLeft = x[split] <= tree.threshold[node];
  const hot = goesLeft ? left[node] : right[node];
  const cold = goesLeft ? right[node] : left[node];
  const w = cover[node];
  const hotZero = w > 0 ? cover[hot] / w : 0.5;
  const coldZero = w > 0 ? cover[cold] / w : 0.5;
  let incomingZero = 1;
  let incomingOne = 1;
  let pathIndex = 0;
  for (; pathIndex <= depth; pathIndex++) if (pf[offset + pathIndex] === split) break;
  if (pathIndex !== depth + 1) {
    incomingZero = pz[offset + pathIndex];
    incomingOne = po[offset + pathIndex];
    unwindPath(path, offset, depth, pathIndex);
    depth -= 1;
  }
  recurse(tree, x, k, phi, path, hot, offset, depth + 1, hotZero * incomingZero, incomingOne, split);
  recurse(tree, x, k, phi, path, cold, offset, depth + 1, coldZero * incomingZero, 0, split);
}

function extendPath(path: Path, o: number, depth: number, zero: number, one: number, feature: number): void {
  const { feature: pf, zero: pz, one: po, weight: pw } = path;
  pf[o + depth] = feature;
  pz[o + depth] = zero;
  po[o + depth] = one;
  pw[o + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    pw[o + i + 1] += (one * pw[o + i] * (i + 1)) / (depth + 1);
    pw[o + i] = (zero * pw[o + i] * (depth - i)) / (depth + 1);
  }
}

function unwindPath(path: Path, o: number, depth: number, pathIndex: number): void {
  const { feature: pf, zero: pz, one: po, weight: pw } = path;
  const one = po[o + pathIndex];
  const zero = pz[o + pathIndex];
  let nextOnePortion = pw[o + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = pw[o + i];
      pw[o + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * one);
      nextOnePortion = tmp - (pw[o + i] * zero * (depth - i)) / (depth + 1);
    } else {
      pw[o + i] = (pw[o + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = pathIndex; i < depth; i++) {
    pf[o + i] = pf[o + i + 1];
    pz[o + i] = pz[o + i + 1];
    po[o + i] = po[o + i + 1];
  }
}

function unwoundPathSum(path: Path, o: number, depth: number, pathIndex: number): number {
  const { zero: pz, one: po, weight: pw } = path;
  const one = po[o + pathIndex];
  const zero = pz[o + pathIndex];
  let nextOnePortion = pw[o + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (nextOnePortion * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      nextOnePortion = pw[o + i] - tmp * zero * ((depth - i) / (depth + 1));
    } else if (zero !== 0) {
      total += pw[o + i] / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}
