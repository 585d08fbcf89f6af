import { describe, expect, it } from "vitest";
import { sampleRows, takeSample } from "./importance-sample.js";

describe("sampleRows", () => {
  it("takes every row, in order, when the cap covers them", () => {
    expect([...sampleRows(5, 5, 1)]).toEqual([0, 1, 2, 3, 4]);
    expect([...sampleRows(5, Number.POSITIVE_INFINITY, 1)]).toEqual([0, 1, 2, 3, 4]);
    expect(sampleRows(0, 10, 1)).toHaveLength(0);
  });

  it("draws `cap` distinct rows in ascending order, the same for the same seed", () => {
    const a = sampleRows(10_000, 700, 3);
    expect(a).toHaveLength(700);
    expect(new Set(a).size).toBe(700);
    for (let k = 1; k < a.length; k++) expect(a[k]).toBeGreaterThan(a[k - 1]);
    expect(a[a.length - 1]).toBeLessThan(10_000);
    expect([...sampleRows(10_000, 700, 3)]).toEqual([...a]);
    expect([...sampleRows(10_000, 700, 4)]).not.toEqual([...a]);
    // Spread over the whole window (not the first or last rows): the mean index is near the middle.
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean - 5000)).toBeLessThan(600);
  });

  it("a smaller cap takes a subset of a larger one's rows (SHAP rows lie within the importance rows)", () => {
    const big = new Set(sampleRows(5000, 2000, 9));
    for (const row of sampleRows(5000, 500, 9)) expect(big.has(row)).toBe(true);
  });

  it("takeSample copies the chosen rows of every column and of the labels", () => {
    const X = { rows: 4, columns: [Float64Array.of(10, 11, 12, 13), Float64Array.of(20, 21, 22, 23)] };
    const { X: s, y } = takeSample(X, Float64Array.of(0, 1, 0, 1), Uint32Array.of(1, 3));
    expect(s.rows).toBe(2);
    expect(s.columns.map((c) => [...c])).toEqual([
      [11, 13],
      [21, 23],
    ]);
    expect([...y]).toEqual([1, 1]);
  });
});
