// Standard scaling fitted on training rows only (scikit-learn StandardScaler: population std, 0 -> 1).

import type { FeatureMatrix } from "../model.js";

export interface ScalerState {
  mean: number[];
  scale: number[];
}

/** Mean and population standard deviation of each column over `rows` (all rows when omitted). */
export function fitScaler(X: FeatureMatrix, rows?: Uint32Array): ScalerState {
  const mean: number[] = [];
  const scale: number[] = [];
  const n = rows ? rows.length : X.rows;
  for (const col of X.columns) {
    // The row subset is gathered once so both passes below are plain sequential loops.
    const values = rows ? takeRows(col, rows) : col;
    let s = 0;
    for (let k = 0; k < n; k++) s += values[k];
    const m = s / n;
    let v = 0;
    for (let k = 0; k < n; k++) {
      const d = values[k] - m;
      v += d * d;
    }
    const sd = Math.sqrt(v / n);
    mean.push(m);
    // A constant column (or float noise around one) scales by 1 so it maps to 0 instead of NaN.
    scale.push(sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1);
  }
  return { mean, scale };
}

/** (x - mean) / scale for the given rows (all when omitted), as a new matrix. */
export function applyScaler(X: FeatureMatrix, scaler: ScalerState | null, rows?: Uint32Array): FeatureMatrix {
  const n = rows ? rows.length : X.rows;
  const columns = X.columns.map((col, j) => {
    const out = rows ? takeRows(col, rows) : col.slice(0, n);
    if (!scaler) return out;
    const m = scaler.mean[j];
    const sc = scaler.scale[j];
    for (let k = 0; k < n; k++) out[k] = (out[k] - m) / sc;
    return out;
  });
  return { rows: n, columns };
}

/** Rows subset of a vector. */
export function takeRows(values: Float64Array, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
  return out;
}

/** scikit-learn's class_weight="balanced": n / (classes · count(class)) per row. */
export function balancedWeights(y: Float64Array): Float64Array {
  let ones = 0;
  for (let i = 0; i < y.length; i++) ones += y[i] === 1 ? 1 : 0;
  const zeros = y.length - ones;
  return y.map((v) => (v === 1 ? y.length / (2 * ones) : y.length / (2 * zeros)));
}
