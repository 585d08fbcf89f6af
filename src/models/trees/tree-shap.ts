// Exact path-dependent TreeSHAP (the values of Lundberg et al. 2018's Algorithm 2), computed per leaf as in
// Linear TreeShap (Yu et al., NeurIPS 2022): a Shapley integral of a product, by Gauss-Legendre quadrature.

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

/**
 * Every leaf's path, reduced to one entry per distinct feature on it: the interval (lo, hi] that x must lie in
 * to follow the path, and a = the product of the cover ratios of the path's edges on that feature.
 */
interface LeafPaths {
  leafNode: Int32Array;
  /** Entries of leaf l are [start[l], start[l + 1]). */
  start: Int32Array;
  feature: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
  a: Float64Array;
  maxDistinct: number;
  /** Scratch space for treeShap, sized maxDistinct (allocating it per call cost as much as the arithmetic). */
  scratch: {
    ones: Int32Array;
    factor: Float64Array;
    prefix: Float64Array;
    integral: Float64Array;
    weights: Float64Array;
  };
}

const pathCache = new WeakMap<TreeArrays, LeafPaths>();

function leafPaths(tree: TreeArrays): LeafPaths {
  const cached = pathCache.get(tree);
  if (cached) return cached;
  const { left, right, cover, feature: splitFeature, threshold } = tree;
  const leafNode: number[] = [];
  const start: number[] = [0];
  const feature: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const a: number[] = [];
  // The current path's distinct features, as a stack of parallel arrays.
  const pf: number[] = [];
  const plo: number[] = [];
  const phi: number[] = [];
  const pa: number[] = [];
  let maxDistinct = 0;
  const visit = (node: number): void => {
    if (left[node] < 0) {
      leafNode.push(node);
      for (let j = 0; j < pf.length; j++) {
        feature.push(pf[j]);
        lo.push(plo[j]);
        hi.push(phi[j]);
        a.push(pa[j]);
      }
      start.push(feature.length);
      if (pf.length > maxDistinct) maxDistinct = pf.length;
      return;
    }
    const f = splitFeature[node];
    const t = threshold[node];
    const l = left[node];
    const r = right[node];
    const total = cover[l] + cover[r];
    for (const [child, isLeft] of [
      [l, true],
      [r, false],
    ] as const) {
      const ratio = total > 0 ? cover[child] / total : 0.5;
      let m = pf.indexOf(f);
      const fresh = m < 0;
      if (fresh) {
        m = pf.length;
        pf.push(f);
        plo.push(Number.NEGATIVE_INFINITY);
        phi.push(Number.POSITIVE_INFINITY);
        pa.push(1);
      }
      const saved = [plo[m], phi[m], pa[m]];
      if (isLeft) phi[m] = Math.min(phi[m], t);
      else plo[m] = Math.max(plo[m], t);
      pa[m] *= ratio;
      visit(child);
      if (fresh) {
        pf.pop();
        plo.pop();
        phi.pop();
        pa.pop();
      } else [plo[m], phi[m], pa[m]] = saved;
    }
  };
  visit(0);
  const paths: LeafPaths = {
    leafNode: Int32Array.from(leafNode),
    start: Int32Array.from(start),
    feature: Int32Array.from(feature),
    lo: Float64Array.from(lo),
    hi: Float64Array.from(hi),
    a: Float64Array.from(a),
    maxDistinct,
    scratch: {
      ones: new Int32Array(maxDistinct),
      factor: new Float64Array(maxDistinct),
      prefix: new Float64Array(maxDistinct + 1),
      integral: new Float64Array(maxDistinct),
      weights: new Float64Array(maxDistinct),
    },
  };
  pathCache.set(tree, paths);
  return paths;
}

/** Gauss-Legendre nodes and weights on [0, 1] with n points (exact for polynomials of degree <= 2n - 1). */
interface Quadrature {
  nodes: Float64Array;
  weights: Float64Array;
  /** (1 - nodes[q])^e at [q * (2n + 1) + e], e = 0..2n (Math.pow in the inner loop is slow). */
  powers: Float64Array;
}

const quadratureCache: Quadrature[] = [];

function quadrature(n: number): Quadrature {
  const cached = quadratureCache[n];
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  // Newton iteration on the roots of the Legendre polynomial P_n (Numerical Recipes' gauleg).
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 1;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      derivative = (n * (z * p1 - p2)) / (z * z - 1);
      const step = p1 / derivative;
      z -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    const w = 2 / ((1 - z * z) * derivative * derivative);
    nodes[i] = (1 - z) / 2;
    nodes[n - 1 - i] = (1 + z) / 2;
    weights[i] = w / 2;
    weights[n - 1 - i] = w / 2;
  }
  const stride = 2 * n + 1;
  const powers = new Float64Array(n * stride);
  for (let q = 0; q < n; q++) {
    powers[q * stride] = 1;
    for (let e = 1; e < stride; e++) powers[q * stride + e] = powers[q * stride + e - 1] * (1 - nodes[q]);
  }
  quadratureCache[n] = { nodes, weights, powers };
  return quadratureCache[n];
}

/**
 * The SHAP weights of one leaf for one pattern (bit j of `mask` set when x satisfies the path's condition on
 * its j-th distinct feature), per unit leaf value: out[at + j] for the path's feature j.
 *
 * Every b = 0 feature gets the same weight -C * integral (1-t)^(z-1) prod_ones, with C = prod of their a_j, so
 * only the b = 1 features need an integral each.
 */
function leafWeights(paths: LeafPaths, leaf: number, mask: number, out: Float64Array, at: number): void {
  const { start, a } = paths;
  const { ones, factor, prefix, integral } = paths.scratch;
  const s = start[leaf];
  const n = start[leaf + 1] - s;
  let m = 0;
  let z = 0;
  let C = 1;
  for (let j = 0; j < n; j++) {
    if (mask & (1 << j)) {
      ones[m] = j;
      integral[m++] = 0;
    } else {
      z++;
      C *= a[s + j];
    }
  }
  let zeroIntegral = 0;
  const Q = Math.ceil(n / 2);
  const { nodes, weights, powers } = quadrature(Q);
  for (let q = 0; q < Q; q++) {
    const t = nodes[q];
    prefix[0] = 1;
    for (let j = 0; j < m; j++) {
      const aj = a[s + ones[j]];
      factor[j] = aj + (1 - aj) * t;
      prefix[j + 1] = prefix[j] * factor[j];
    }
    // (1 - t)^(z - 1) and (1 - t)^z; z <= n <= 2Q.
    const uz1 = z > 0 ? powers[q * (2 * Q + 1) + z - 1] : 0;
    zeroIntegral += weights[q] * uz1 * prefix[m];
    // Product of every b = 1 factor but j = prefix[j] * (product of the factors after j).
    let suffix = weights[q] * C * powers[q * (2 * Q + 1) + z];
    for (let j = m - 1; j >= 0; j--) {
      integral[j] += prefix[j] * suffix;
      suffix *= factor[j];
    }
  }
  const each = -C * zeroIntegral;
  for (let j = 0; j < n; j++) out[at + j] = each;
  for (let j = 0; j < m; j++) out[at + ones[j]] = (1 - a[s + ones[j]]) * integral[j];
}

/**
 * Leaf weights memoised per (leaf, pattern), the idea of Fast TreeSHAP v2 (Yang 2021): a leaf with n distinct
 * path features has at most 2^n patterns, far fewer than the rows explained for shallow trees. Filled lazily;
 * kept with the tree when its table is small (depth-6 boosting trees: <= 64 leaves x 64 patterns x 6), else
 * kept while the tree is the one being explained (up to depth-8 trees), else not used.
 */
interface Memo {
  /** Pattern p of leaf l is entry patternStart[l] + p; its weights start at weightStart[l] + p * n_l. */
  patternStart: Int32Array;
  weightStart: Int32Array;
  known: Uint8Array;
  weights: Float64Array;
}

/** Most weights one tree's memo holds for as long as the tree lives (256 KiB). */
const MEMO_LIMIT = 1 << 15;
/**
 * Most weights of a memo kept only while its tree is the one being explained (8 MiB, enough for depth-8 forest
 * trees: 256 leaves x 256 patterns x 8). ensembleShap explains all rows with one tree before the next, so one
 * such memo at a time serves them: SHAP of 500 rows on a 100-tree depth-8 forest went from 1.9 s to 1.05-1.15 s.
 */
const PASSING_MEMO_LIMIT = 1 << 20;

/** Where each leaf's patterns and weights start in a memo; null when the tree's paths are too long for one. */
interface MemoLayout {
  patternStart: Int32Array;
  weightStart: Int32Array;
}

const layoutCache = new WeakMap<LeafPaths, MemoLayout | null>();
const memoCache = new WeakMap<LeafPaths, Memo | null>();
let passing: { paths: LeafPaths; memo: Memo } | null = null;

function memoLayout(paths: LeafPaths): MemoLayout | null {
  const cached = layoutCache.get(paths);
  if (cached !== undefined) return cached;
  const leaves = paths.leafNode.length;
  let layout: MemoLayout | null = null;
  if (paths.maxDistinct <= 15) {
    const patternStart = new Int32Array(leaves + 1);
    const weightStart = new Int32Array(leaves + 1);
    for (let l = 0; l < leaves; l++) {
      const n = paths.start[l + 1] - paths.start[l];
      patternStart[l + 1] = patternStart[l] + (1 << n);
      weightStart[l + 1] = weightStart[l] + (1 << n) * n;
    }
    if (weightStart[leaves] <= PASSING_MEMO_LIMIT) layout = { patternStart, weightStart };
  }
  layoutCache.set(paths, layout);
  return layout;
}

function memoFor(paths: LeafPaths): Memo | null {
  const cached = memoCache.get(paths);
  if (cached !== undefined) return cached;
  if (passing?.paths === paths) return passing.memo;
  const layout = memoLayout(paths);
  if (layout === null) return null;
  const leaves = paths.leafNode.length;
  const patterns = layout.patternStart[leaves];
  const weightCount = layout.weightStart[leaves];
  if (weightCount <= MEMO_LIMIT) {
    const memo = { ...layout, known: new Uint8Array(patterns), weights: new Float64Array(weightCount) };
    memoCache.set(paths, memo);
    return memo;
  }
  // A large memo reuses the previous large one's buffers; only the "known" flags need clearing.
  const previous = passing?.memo;
  const known =
    previous && previous.known.buffer.byteLength >= patterns
      ? new Uint8Array(previous.known.buffer, 0, patterns).fill(0)
      : new Uint8Array(patterns);
  const weights =
    previous && previous.weights.length >= weightCount ? previous.weights : new Float64Array(weightCount);
  passing = { paths, memo: { ...layout, known, weights } };
  return passing.memo;
}

/**
 * Adds the SHAP values of row `x` (one value per feature) for output k of `tree` into `phi`;
 * sum(phi) = f(x) - expectedValue(tree, k) up to rounding.
 *
 * Why this is exact: the path-dependent game v(S) is a sum over leaves of value * prod_i (i in S ? b_i : a_i),
 * with b_i = 1 when x satisfies the path's conditions on feature i. For one such product game the Shapley value
 * of feature i is (b_i - a_i) * integral_0^1 prod_{j != i} (a_j (1 - t) + b_j t) dt, a polynomial of degree
 * d - 1 that ceil(d / 2) Gauss-Legendre points integrate exactly. Cost per leaf O(d^2 / 2) multiplications,
 * or O(d) once the leaf's weights for x's pattern are memoised (`memoise` false skips the memo, for tests).
 */
export function treeShap(
  tree: TreeArrays,
  x: Float64Array,
  k: number,
  phi: Float64Array,
  memoise = true,
): void {
  const paths = leafPaths(tree);
  const { leafNode, start, feature, lo, hi } = paths;
  const { value, outputs } = tree;
  const memo = memoise ? memoFor(paths) : null;
  const scratch = paths.scratch.weights;
  for (let leaf = 0; leaf < leafNode.length; leaf++) {
    const v = value[leafNode[leaf] * outputs + k];
    if (v === 0) continue;
    const s = start[leaf];
    const n = start[leaf + 1] - s;
    if (n === 0) continue;
    // b_j = 1 where x satisfies the path's conditions on its j-th distinct feature.
    let mask = 0;
    for (let j = 0; j < n; j++) {
      const xj = x[feature[s + j]];
      if (lo[s + j] < xj && xj <= hi[s + j]) mask |= 1 << j;
    }
    let w = scratch;
    let at = 0;
    if (memo) {
      w = memo.weights;
      at = memo.weightStart[leaf] + mask * n;
      const p = memo.patternStart[leaf] + mask;
      if (memo.known[p] === 0) {
        leafWeights(paths, leaf, mask, w, at);
        memo.known[p] = 1;
      }
    } else leafWeights(paths, leaf, mask, w, 0);
    for (let j = 0; j < n; j++) phi[feature[s + j]] += v * w[at + j];
  }
}
