// The branch-free ensemble walk against the definition: follow `x[feature] <= threshold ? left : right` from
// the root of each tree to a leaf and add scale x value, tree by tree. The sums must agree to the last bit
// (same order of additions). The inputs carry what the rank trick has to get right: values equal to a
// threshold, NaN (goes right at every split), ±Infinity, -0 against a 0 threshold, repeated thresholds across
// trees, trees whose children are stored out of order, single-leaf trees, multi-output leaves, and row counts
// that are not a multiple of the four interleaved walks or of the 2,048-row block.

import { describe, expect, it } from "vitest";
import { Random } from "../../core/random.js";
import { CompiledEnsemble } from "./compiled-ensemble.js";
import { TreeArrays } from "./tree-arrays.js";

/** A random tree of `splits` splits whose nodes are numbered in a shuffled (but parent-first) order. */
function randomTree(
  rng: Random,
  features: number,
  splits: number,
  outputs: number,
  cuts: number[],
): TreeArrays {
  // Grow a shape first: each split turns a random leaf into a node with two leaves.
  const kids: [number, number][] = [[-1, -1]];
  const leaves = [0];
  for (let s = 0; s < splits; s++) {
    const at = rng.int(leaves.length);
    const node = leaves[at];
    const a = kids.length;
    kids.push([-1, -1], [-1, -1]);
    // Half the time the right child gets the smaller label, so children are not always stored side by side.
    kids[node] = rng.next() < 0.5 ? [a, a + 1] : [a + 1, a];
    leaves.splice(at, 1, a, a + 1);
  }
  const n = kids.length;
  const feature = new Int32Array(n);
  const threshold = new Float64Array(n);
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  const value = new Float64Array(n * outputs);
  for (let k = 0; k < n; k++) {
    if (kids[k][0] >= 0) {
      [left[k], right[k]] = kids[k];
      feature[k] = rng.int(features);
      threshold[k] = cuts[rng.int(cuts.length)];
    }
    for (let o = 0; o < outputs; o++) value[k * outputs + o] = rng.normal();
  }
  return new TreeArrays(outputs, feature, threshold, left, right, value, new Float64Array(n).fill(1));
}

/** The definition, written out plainly. */
function naive(
  trees: TreeArrays[],
  columns: Float64Array[],
  rows: number,
  outputs: number,
  scale: (t: number) => number,
  outputOf: (t: number) => number,
): Float64Array {
  const out = new Float64Array(rows * outputs);
  trees.forEach((tree, t) => {
    for (let i = 0; i < rows; i++) {
      let node = 0;
      while (tree.left[node] >= 0)
        node = columns[tree.feature[node]][i] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      if (tree.outputs === 1) out[i * outputs + outputOf(t)] += scale(t) * tree.value[node];
      else
        for (let k = 0; k < outputs; k++) out[i * outputs + k] += scale(t) * tree.value[node * outputs + k];
    }
  });
  return out;
}

function inputs(rng: Random, features: number, rows: number, cuts: number[]): Float64Array[] {
  const awkward = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, ...cuts];
  return Array.from({ length: features }, () =>
    Float64Array.from({ length: rows }, () =>
      rng.next() < 0.4 ? awkward[rng.int(awkward.length)] : Math.round(rng.normal() * 40) / 10,
    ),
  );
}

describe("CompiledEnsemble", () => {
  const cuts = [-2.5, -1, -0.3, 0, 0, 0.3, 1, 1.7, 2.5, Number.POSITIVE_INFINITY];

  for (const rows of [1, 3, 4, 7, 2048, 2049, 4103]) {
    it(`matches the plain walk bit for bit on ${rows} rows (one output per tree, boosting layout)`, () => {
      const rng = new Random(rows);
      const features = 5;
      const trees = Array.from({ length: 24 }, (_, t) =>
        randomTree(rng, features, t % 6 === 0 ? 0 : 1 + rng.int(30), 1, cuts),
      );
      const columns = inputs(rng, features, rows, cuts);
      const scale = (t: number) => 0.5 + (t % 3);
      const outputOf = (t: number) => t % 3;
      const out = new Float64Array(rows * 3);
      CompiledEnsemble.of(trees, features).accumulate({ rows, columns }, out, 3, scale, outputOf);
      expect(Array.from(out)).toEqual(Array.from(naive(trees, columns, rows, 3, scale, outputOf)));
    });
  }

  it("matches the plain walk with several values per leaf (forest class fractions)", () => {
    const rng = new Random(11);
    const features = 3;
    const rows = 1001;
    const trees = Array.from({ length: 9 }, () => randomTree(rng, features, 1 + rng.int(40), 4, cuts));
    const columns = inputs(rng, features, rows, cuts);
    const out = new Float64Array(rows * 4);
    CompiledEnsemble.of(trees, features).accumulate({ rows, columns }, out, 4, () => 1 / 9);
    expect(Array.from(out)).toEqual(
      Array.from(
        naive(
          trees,
          columns,
          rows,
          4,
          () => 1 / 9,
          () => 0,
        ),
      ),
    );
  });

  it("sends NaN right and a value equal to the threshold left", () => {
    // root: x0 <= 1 ? leaf 1 (value 10) : leaf 2 (value 20)
    const tree = new TreeArrays(
      1,
      Int32Array.from([0, 0, 0]),
      Float64Array.from([1, 0, 0]),
      Int32Array.from([1, -1, -1]),
      Int32Array.from([2, -1, -1]),
      Float64Array.from([0, 10, 20]),
      Float64Array.from([3, 2, 1]),
    );
    const columns = [Float64Array.from([1, Number.NaN, 1.0000000000000002, Number.NEGATIVE_INFINITY])];
    const out = new Float64Array(4);
    CompiledEnsemble.of([tree], 1).accumulate({ rows: 4, columns }, out, 1, () => 1);
    expect(Array.from(out)).toEqual([10, 20, 20, 10]);
  });

  it("compiles an array of trees once and reuses it", () => {
    const rng = new Random(5);
    const trees = [randomTree(rng, 2, 5, 1, cuts)];
    expect(CompiledEnsemble.of(trees, 2)).toBe(CompiledEnsemble.of(trees, 2));
    expect(CompiledEnsemble.of([...trees], 2)).not.toBe(CompiledEnsemble.of(trees, 2));
  });
});
