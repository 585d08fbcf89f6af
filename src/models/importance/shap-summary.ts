// Per-feature sums of |SHAP| and signed SHAP over rows: the parts mean |SHAP| (the ranking) is assembled from.

import type { Classifier, FeatureMatrix } from "../model.js";

export interface ShapSums {
  abs: Float64Array;
  signed: Float64Array;
}

/**
 * Rows per SHAP task. Chunks are fixed, whatever the worker count, and added in order, so the means are
 * bit-identical for any --jobs.
 */
export const SHAP_CHUNK_ROWS = 64;

/** Sums over rows [from, to) of X of each feature's |SHAP| and SHAP value (the model must have shapValues). */
export function shapSums(model: Classifier, X: FeatureMatrix, from: number, to: number): ShapSums {
  if (!model.shapValues) throw new Error(`${model.name} has no SHAP values`);
  const d = X.columns.length;
  const values = model.shapValues({ rows: to - from, columns: X.columns.map((c) => c.subarray(from, to)) });
  const abs = new Float64Array(d);
  const signed = new Float64Array(d);
  for (let i = 0; i < to - from; i++) {
    for (let j = 0; j < d; j++) {
      const v = values[i * (d + 1) + j];
      abs[j] += Math.abs(v);
      signed[j] += v;
    }
  }
  return { abs, signed };
}
