// The Gini tree grower against brute force: with every feature examined at every node, each split must reach the
// largest weighted Gini decrease of any cut between the node's occupied bins (checked by trying them all, with
// the impurity written the textbook way), and each leaf must be pure or have no cut that helps. The nodes range
// from the 600-row root down to a few rows, so the grower's paths for large and small nodes are both checked.

import { describe, expect, it } from "vitest";
import { Random } from "../../core/random.js";
import { growClassTree } from "./class-tree-builder.js";
import { binFeatures } from "./feature-bins.js";

function problem(rows: number, classes: number, seed: number) {
  const rng = new Random(seed);
  const columns = [
    Float64Array.from({ length: rows }, () => rng.normal()),
    Float64Array.from({ length: rows }, () => Math.round(rng.normal() * 3)),
    Float64Array.from({ length: rows }, () => rng.next() * 100),
    new Float64Array(rows).fill(7),
  ];
  const y = Uint8Array.from({ length: rows }, (_, i) => {
    const score = columns[0][i] + 0.3 * columns[1][i] + 1.5 * rng.normal();
    return Math.max(0, Math.min(classes - 1, Math.floor(score + classes / 2)));
  });
  const w = Float64Array.from({ length: rows }, () => 0.25 + rng.next() * 2);
  return { columns, y, w };
}

/** Weight x Gini impurity: W (1 - sum_k p_k^2). */
function weightedGini(sums: number[]): number {
  const W = sums.reduce((a, b) => a + b, 0);
  if (W <= 0) return 0;
  return W * (1 - sums.reduce((a, s) => a + (s / W) ** 2, 0));
}

function classSums(rows: number[], y: Uint8Array, w: Float64Array, K: number): number[] {
  const sums = new Array(K).fill(0);
  for (const r of rows) sums[y[r]] += w[r];
  return sums;
}

/** The largest Gini decrease over every feature and every cut between occupied bins leaving minLeaf rows a side. */
function bestDecrease(
  rows: number[],
  bins: Uint8Array[],
  y: Uint8Array,
  w: Float64Array,
  K: number,
  minLeaf: number,
): number {
  const parent = weightedGini(classSums(rows, y, w, K));
  let best = 0;
  for (const col of bins) {
    const occupied = [...new Set(rows.map((r) => col[r]))].sort((a, b) => a - b);
    for (const cut of occupied.slice(0, -1)) {
      const left = rows.filter((r) => col[r] <= cut);
      const right = rows.filter((r) => col[r] > cut);
      if (left.length < minLeaf || right.length < minLeaf) continue;
      const decrease =
        parent - weightedGini(classSums(left, y, w, K)) - weightedGini(classSums(right, y, w, K));
      best = Math.max(best, decrease);
    }
  }
  return best;
}

describe("growClassTree", () => {
  for (const [classes, minLeaf] of [
    [2, 1],
    [3, 1],
    [2, 4],
  ])
    it(`${classes} classes, min_samples_leaf ${minLeaf}: every split is the best cut, every leaf pure or unsplittable`, () => {
      const n = 600;
      const { columns, y, w } = problem(n, classes, 10 * classes + minLeaf);
      const binned = binFeatures({ rows: n, columns });
      const importance = new Float64Array(columns.length);
      const tree = growClassTree(
        { binned, y, classes },
        w,
        Uint32Array.from({ length: n }, (_, i) => i),
        {
          maxDepth: Number.POSITIVE_INFINITY,
          minSamplesSplit: 2,
          minSamplesLeaf: minLeaf,
          maxFeatures: columns.length,
          randomSplits: false,
          rng: new Random(5),
        },
        importance,
      );
      // The rows reaching each node, routed by raw value (thresholds lie between the bins' values).
      const reach: number[][] = Array.from({ length: tree.nodeCount }, () => []);
      for (let i = 0; i < n; i++) {
        let node = 0;
        reach[0].push(i);
        while (tree.left[node] >= 0) {
          node = columns[tree.feature[node]][i] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
          reach[node].push(i);
        }
      }
      let small = 0;
      let totalDecrease = 0;
      for (let node = 0; node < tree.nodeCount; node++) {
        const rows = reach[node];
        const sums = classSums(rows, y, w, classes);
        const W = sums.reduce((a, b) => a + b, 0);
        expect(tree.cover[node]).toBeCloseTo(W, 9);
        const best = bestDecrease(rows, binned.bins, y, w, classes, minLeaf);
        if (tree.left[node] < 0) {
          // A leaf: its class fractions, and nothing left to gain by splitting it.
          for (let k = 0; k < classes; k++)
            expect(tree.value[node * classes + k]).toBeCloseTo(sums[k] / W, 12);
          expect(best).toBeLessThan(1e-9 * W);
          continue;
        }
        if (rows.length <= 40) small++;
        const left = reach[tree.left[node]];
        const right = reach[tree.right[node]];
        expect(left.length).toBeGreaterThanOrEqual(minLeaf);
        expect(right.length).toBeGreaterThanOrEqual(minLeaf);
        const decrease =
          weightedGini(sums) -
          weightedGini(classSums(left, y, w, classes)) -
          weightedGini(classSums(right, y, w, classes));
        expect(decrease).toBeGreaterThan(0);
        expect(decrease).toBeGreaterThanOrEqual(best - 1e-9 * W);
        totalDecrease += decrease;
      }
      // Both the large nodes near the root and many small ones were checked; importance sums the decreases.
      expect(small).toBeGreaterThan(20);
      expect(importance[3]).toBe(0);
      expect(importance.reduce((a, b) => a + b, 0)).toBeCloseTo(totalDecrease, 6);
    });
});
