import { describe, expect, it } from "vitest";
import { syntheticProblem } from "../../../test/support/contract-suite.js";
import { Random } from "../../core/random.js";
import { StateReader } from "../common/state-reader.js";
import type { FeatureMatrix } from "../model.js";
import { getModelFactory } from "../registry.js";
import { TreeArrays } from "./tree-arrays.js";
import { expectedValue, treeShap } from "./tree-shap.js";

/** E[f(x) | x_S] with the covers as background: follow x on features in S, else average children by cover. */
function conditional(tree: TreeArrays, x: Float64Array, inS: (f: number) => boolean, node = 0): number {
  if (tree.left[node] < 0) return tree.value[node];
  const f = tree.feature[node];
  const l = tree.left[node];
  const r = tree.right[node];
  if (inS(f)) return conditional(tree, x, inS, x[f] <= tree.threshold[node] ? l : r);
  const cl = tree.cover[l];
  const cr = tree.cover[r];
  return (cl * conditional(tree, x, inS, l) + cr * conditional(tree, x, inS, r)) / (cl + cr);
}

/** Shapley values by enumerating every subset (M <= 5). */
function bruteForceShap(tree: TreeArrays, x: Float64Array, M: number): Float64Array {
  const phi = new Float64Array(M);
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  for (let j = 0; j < M; j++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if (mask & (1 << j)) continue;
      const size = popcount(mask);
      const weight = (fact(size) * fact(M - size - 1)) / fact(M);
      const withJ = conditional(tree, x, (f) => ((mask | (1 << j)) & (1 << f)) !== 0);
      const without = conditional(tree, x, (f) => (mask & (1 << f)) !== 0);
      phi[j] += weight * (withJ - without);
    }
  }
  return phi;
}

function popcount(v: number): number {
  let c = 0;
  for (; v; v &= v - 1) c++;
  return c;
}

/**
 * A tiny hand-made tree of depth 3 over 3 features that splits on feature 0 twice on one path
 * (exercising the path unwinding), with uneven covers.
 */
function tinyTree(): TreeArrays {
  //            0: f0 <= 0
  //      1: f1 <= 0        2: f0 <= 1
  //   3: f0<=-1  4:leaf   5: f2 <= 0.5   6: leaf
  //  7,8 leaves           9,10 leaves
  const feature = Int32Array.of(0, 1, 0, 0, -1, 2, -1, -1, -1, -1, -1);
  const threshold = Float64Array.of(0, 0, 1, -1, 0, 0.5, 0, 0, 0, 0, 0);
  const left = Int32Array.of(1, 3, 5, 7, -1, 9, -1, -1, -1, -1, -1);
  const right = Int32Array.of(2, 4, 6, 8, -1, 10, -1, -1, -1, -1, -1);
  const value = Float64Array.of(0, 0, 0, 0, 2.5, 0, -1, 4, -3, 1.5, 0.25);
  const cover = new Float64Array(11);
  const leafCover: Record<number, number> = { 4: 7, 6: 5, 7: 3, 8: 11, 9: 2, 10: 13 };
  for (let node = 10; node >= 0; node--)
    cover[node] = left[node] < 0 ? leafCover[node] : cover[left[node]] + cover[right[node]];
  return new TreeArrays(1, feature, threshold, left, right, value, cover);
}

describe("treeShap", () => {
  it("matches brute-force Shapley values on a tiny tree with a repeated feature", () => {
    const tree = tinyTree();
    const rng = new Random(1);
    for (let trial = 0; trial < 40; trial++) {
      const x = Float64Array.of(rng.normal() * 1.5, rng.normal(), rng.normal() + 0.5);
      const phi = new Float64Array(3);
      treeShap(tree, x, 0, phi);
      const expected = bruteForceShap(tree, x, 3);
      for (let j = 0; j < 3; j++) expect(phi[j]).toBeCloseTo(expected[j], 12);
      // Local accuracy: the values add up to f(x) - E[f].
      const fx =
        tree.value[
          tree.leafOf(
            [...x].map((v) => Float64Array.of(v)),
            0,
          )
        ];
      expect(phi[0] + phi[1] + phi[2]).toBeCloseTo(fx - expectedValue(tree, 0), 12);
    }
  });

  it("gives zero to a feature the tree never uses", () => {
    const tree = tinyTree();
    const phi = new Float64Array(4);
    treeShap(tree, Float64Array.of(0.3, -2, 0.1, 99), 0, phi);
    expect(phi[3]).toBe(0);
  });

  it("matches brute force on trees grown by rf and gbdt (4 features)", async () => {
    const { X, y } = syntheticProblem(300, 4, 9);
    const cases: [string, Record<string, unknown>][] = [
      ["rf", { n_estimators: 1, max_depth: 4, bootstrap: false, max_features: null }],
      ["gbdt", { n_estimators: 1, max_depth: 4 }],
    ];
    for (const [name, params] of cases) {
      const model = getModelFactory(name).create(params);
      await model.fit(X, y, { seed: 1 });
      const json = (model.toState().state as { trees: unknown[] }).trees[0];
      const tree = TreeArrays.fromJson(new StateReader(name), json, "trees[0]", 4);
      const k = tree.outputs - 1;
      const single = new TreeArrays(
        1,
        tree.feature,
        tree.threshold,
        tree.left,
        tree.right,
        tree.value.filter((_, i) => i % tree.outputs === k),
        tree.cover,
      );
      for (let i = 0; i < 10; i++) {
        const x = Float64Array.from(X.columns.map((c) => c[i]));
        const expected = bruteForceShap(single, x, 4);
        // Memoised (twice: filling, then reading the memo) and computed afresh.
        for (const memoise of [true, true, false]) {
          const phi = new Float64Array(4);
          treeShap(single, x, 0, phi, memoise);
          for (let j = 0; j < 4; j++) expect(phi[j]).toBeCloseTo(expected[j], 10);
        }
      }
    }
  });
});

describe("treeShap's memo of leaf weights", () => {
  it("gives the values computed afresh, on deep trees with many features per path too", async () => {
    const { X, y } = syntheticProblem(600, 18, 21);
    for (const [name, params] of [
      ["gbdt", { n_estimators: 3, max_depth: 6 }],
      ["rf", { n_estimators: 3, max_features: null }],
    ] as const) {
      const model = getModelFactory(name).create(params);
      await model.fit(X, y, { seed: 4 });
      const trees = (model.toState().state as { trees: unknown[] }).trees;
      for (let t = 0; t < trees.length; t++) {
        const tree = TreeArrays.fromJson(new StateReader(name), trees[t], `trees[${t}]`, 18);
        const k = tree.outputs - 1;
        for (let i = 0; i < 80; i++) {
          const x = Float64Array.from(X.columns.map((c) => c[i % 40]));
          const memoised = new Float64Array(18);
          const fresh = new Float64Array(18);
          treeShap(tree, x, k, memoised);
          treeShap(tree, x, k, fresh, false);
          for (let j = 0; j < 18; j++) expect(memoised[j]).toBeCloseTo(fresh[j], 12);
        }
      }
    }
  });
});

/** Weights a full memo of the tree needs: sum over leaves of 2^n x n, n = distinct features on the leaf's path. */
function memoWeights(tree: TreeArrays, node = 0, path: number[] = []): number {
  if (tree.left[node] < 0) {
    const n = new Set(path).size;
    return 2 ** n * n;
  }
  const on = [...path, tree.feature[node]];
  return memoWeights(tree, tree.left[node], on) + memoWeights(tree, tree.right[node], on);
}

describe("treeShap's memo for depth-8 trees (kept only while its tree is explained)", () => {
  it("gives the values computed afresh, whether rows go tree by tree or trees alternate", async () => {
    // Labels unrelated to the features, so the trees grow to full depth on many distinct features per path.
    const rng = new Random(5);
    const X = {
      rows: 4000,
      columns: Array.from({ length: 12 }, () => Float64Array.from({ length: 4000 }, () => rng.normal())),
    };
    const y = Float64Array.from({ length: 4000 }, () => (rng.next() < 0.5 ? 1 : 0));
    const model = getModelFactory("rf").create({ n_estimators: 3, max_depth: 8, max_features: null });
    await model.fit(X, y, { seed: 3 });
    const trees = (model.toState().state as { trees: unknown[] }).trees.map((json, t) =>
      TreeArrays.fromJson(new StateReader("rf"), json, `trees[${t}]`, 12),
    );
    // Larger than the memo kept with a tree (2^15 weights), within the one kept while it is explained (2^20).
    for (const tree of trees) {
      expect(memoWeights(tree)).toBeGreaterThan(2 ** 15);
      expect(memoWeights(tree)).toBeLessThanOrEqual(2 ** 20);
    }
    const rowsOf = (i: number) => Float64Array.from(X.columns.map((c) => c[i % 50]));
    const check = (t: number, i: number) => {
      const memoised = new Float64Array(12);
      const fresh = new Float64Array(12);
      treeShap(trees[t], rowsOf(i), 1, memoised);
      treeShap(trees[t], rowsOf(i), 1, fresh, false);
      for (let j = 0; j < 12; j++) expect(memoised[j]).toBeCloseTo(fresh[j], 12);
    };
    // Tree by tree (as ensembleShap goes), then alternating trees so the memo is rebuilt on every call.
    for (let t = 0; t < trees.length; t++) for (let i = 0; i < 120; i++) check(t, i);
    for (let i = 0; i < 60; i++) for (let t = 0; t < trees.length; t++) check(t, i);
  });
});

describe("shapValues of the tree families", () => {
  const { X, y } = syntheticProblem(400, 5, 13);
  const rows: FeatureMatrix = { rows: 60, columns: X.columns.map((c) => c.subarray(0, 60)) };
  const cases: [string, Record<string, unknown>][] = [
    ["rf", { n_estimators: 8 }],
    ["et", { n_estimators: 8, max_depth: 6 }],
    ["gbdt", { n_estimators: 25, max_depth: 4 }],
  ];
  for (const [name, params] of cases) {
    it(`${name}: every row's SHAP values sum to the prediction minus the expected value`, async () => {
      const model = getModelFactory(name).create(params);
      await model.fit(X, y, { seed: 2 });
      const shap = model.shapValues!(rows);
      const proba = model.predictProba(rows);
      const stride = 6;
      for (let i = 0; i < rows.rows; i++) {
        let sum = 0;
        for (let j = 0; j < 5; j++) sum += shap[i * stride + j];
        const p = proba[2 * i + 1];
        // rf/et explain the probability; gbdt explains the log-odds.
        const prediction = name === "gbdt" ? Math.log(p / (1 - p)) : p;
        expect(sum + shap[i * stride + 5]).toBeCloseTo(prediction, 9);
      }
      // The expected value is the same for every row, and the signal column x0 gets the most attribution.
      expect(shap[5]).toBeCloseTo(shap[(rows.rows - 1) * stride + 5], 12);
      const meanAbs = (j: number) => {
        let s = 0;
        for (let i = 0; i < rows.rows; i++) s += Math.abs(shap[i * stride + j]);
        return s;
      };
      expect(meanAbs(0)).toBeGreaterThan(meanAbs(4));
    });
  }
});
