import { describe, expect, it } from "vitest";
import { WeightedGram } from "./weighted-gram.js";

/** The definitions, summed directly: hess[j][k] = Σ h·x_j·x_k, grad[j] = Σ r·x_j (x_p = 1 with an intercept). */
function direct(columns: Float64Array[], r: Float64Array, h: Float64Array, withOnes: boolean) {
  const n = r.length;
  const cols = withOnes ? [...columns, new Float64Array(n).fill(1)] : columns;
  const p = cols.length;
  const hess = new Float64Array(p * p);
  const grad = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) grad[j] += r[i] * cols[j][i];
    for (let k = 0; k < p; k++) for (let i = 0; i < n; i++) hess[j * p + k] += h[i] * cols[j][i] * cols[k][i];
  }
  return { hess, grad };
}

function problem(n: number, d: number) {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const columns = Array.from({ length: d }, () => Float64Array.from({ length: n }, next));
  // Repeated values and an all-zero column, as real feature tables have.
  columns[0].fill(0.25, 0, Math.floor(n / 3));
  if (d > 2) columns[2].fill(0);
  const r = Float64Array.from({ length: n }, next);
  const h = Float64Array.from({ length: n }, () => Math.abs(next()));
  return { columns, r, h };
}

describe("WeightedGram", () => {
  // 5,000 rows: three dgemm chunks (2,048 rows each), the last one partial.
  for (const [label, keep] of [
    ["X kept in the kernels' memory", undefined],
    ["X copied chunk by chunk", 1],
  ] as const) {
    for (const withOnes of [true, false]) {
      it(`equals the direct sums (${label}, intercept ${withOnes})`, () => {
        const { columns, r, h } = problem(5000, 7);
        const p = columns.length + (withOnes ? 1 : 0);
        const gram = new WeightedGram(columns, 5000, withOnes, keep);
        const hess = new Float64Array(p * p);
        const grad = new Float64Array(p);
        try {
          gram.newtonSystem(r, h, grad, hess);
          // A second call with other weights must not keep anything of the first.
          gram.newtonSystem(r, h, grad, hess);
        } finally {
          gram.release();
        }
        const want = direct(columns, r, h, withOnes);
        for (let k = 0; k < p * p; k++) expect(hess[k]).toBeCloseTo(want.hess[k], 9);
        for (let j = 0; j < p; j++) expect(grad[j]).toBeCloseTo(want.grad[j], 9);
        expect(hess[2 * p + 2]).toBe(0);
      });
    }
  }

  it("handles one row", () => {
    const gram = new WeightedGram([Float64Array.of(3)], 1, true);
    const hess = new Float64Array(4);
    const grad = new Float64Array(2);
    try {
      gram.newtonSystem(Float64Array.of(0.5), Float64Array.of(2), grad, hess);
    } finally {
      gram.release();
    }
    expect(Array.from(hess)).toEqual([18, 6, 6, 2]);
    expect(Array.from(grad)).toEqual([1.5, 0.5]);
  });
});
