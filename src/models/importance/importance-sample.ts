// The rows importance is measured on: every row, or a seeded sample when there are more than a cap.

import { Random } from "../../core/random.js";
import type { FeatureMatrix } from "../model.js";

/**
 * Row indices for explaining a model: all `total` rows when `cap` covers them, else `cap` distinct rows drawn
 * with `seed`. The draw is one random order of the rows, so a smaller cap takes a prefix of the same order
 * (`sampleRows(n, 500, s)` is a subset of `sampleRows(n, 2000, s)`). Returned in ascending (time) order.
 * @example sampleRows(12_500, 2_000, 0).length // 2000
 */
export function sampleRows(total: number, cap: number, seed: number): Uint32Array {
  if (cap >= total) {
    const all = new Uint32Array(total);
    for (let i = 0; i < total; i++) all[i] = i;
    return all;
  }
  return new Random(seed).sample(total, Math.max(0, Math.floor(cap))).sort();
}

/** The given rows of a column-major matrix (and of its labels), copied. */
export function takeSample(
  X: FeatureMatrix,
  y: Float64Array,
  rows: Uint32Array,
): { X: FeatureMatrix; y: Float64Array } {
  const pick = (values: Float64Array) => {
    const out = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
    return out;
  };
  return { X: { rows: rows.length, columns: X.columns.map(pick) }, y: pick(y) };
}
