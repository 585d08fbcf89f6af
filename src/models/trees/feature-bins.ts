// Quantile binning of feature columns into <= 255 bins, one Uint8Array per column, for histogram split finding.

import type { FeatureMatrix } from "../model.js";

/** Binned training features: `bins[j][i]` is the bin of row i in feature j; bin b holds x <= thresholds[j][b]. */
export interface BinnedFeatures {
  readonly rows: number;
  readonly bins: Uint8Array[];
  /** Cut points per feature (ascending, length = bin count - 1); a split after bin b is `x <= thresholds[j][b]`. */
  readonly thresholds: Float64Array[];
  /** Number of bins per feature (1 for a constant column). */
  readonly binCounts: Int32Array;
}

/**
 * Cut points for one column: midpoints between neighbouring distinct values when there are at most
 * `maxBins` of them, else midpoints at (approximately) equal-count quantiles. Midpoints between observed
 * values make routing on raw floats at predict time identical to routing on bins at fit time.
 */
export function columnThresholds(column: Float64Array, maxBins: number): Float64Array {
  const sorted = Float64Array.from(column).sort();
  const n = sorted.length;
  let distinct = n === 0 ? 0 : 1;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  const cuts: number[] = [];
  if (distinct <= maxBins) {
    for (let i = 1; i < n; i++)
      if (sorted[i] !== sorted[i - 1]) cuts.push(midpoint(sorted[i - 1], sorted[i]));
  } else {
    let last = Number.NEGATIVE_INFINITY;
    for (let q = 1; q < maxBins; q++) {
      let k = Math.round((q * n) / maxBins);
      // Move past ties so every cut separates two distinct observed values.
      while (k < n && sorted[k] === sorted[k - 1]) k++;
      if (k >= n) break;
      const cut = midpoint(sorted[k - 1], sorted[k]);
      if (cut > last) {
        cuts.push(cut);
        last = cut;
      }
    }
  }
  return Float64Array.from(cuts);
}

function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  // Guard against rounding onto b for adjacent doubles: the cut must satisfy a <= cut < b.
  return m < b ? m : a;
}

/** Bin of value x: the number of cut points strictly below x (binary search). */
export function binOf(thresholds: Float64Array, x: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bins every column of X into at most `maxBins` (<= 255) quantile bins.
 * @example
 * const binned = binFeatures({ rows: 3, columns: [Float64Array.of(1, 2, 3)] }); // binned.bins[0] = [0, 1, 2]
 */
export function binFeatures(X: FeatureMatrix, maxBins = 255): BinnedFeatures {
  const limit = Math.max(2, Math.min(255, Math.floor(maxBins)));
  const bins: Uint8Array[] = [];
  const thresholds: Float64Array[] = [];
  const binCounts = new Int32Array(X.columns.length);
  for (let j = 0; j < X.columns.length; j++) {
    const column = X.columns[j];
    const cuts = columnThresholds(column.length === X.rows ? column : column.subarray(0, X.rows), limit);
    const out = new Uint8Array(X.rows);
    for (let i = 0; i < X.rows; i++) out[i] = binOf(cuts, column[i]);
    bins.push(out);
    thresholds.push(cuts);
    binCounts[j] = cuts.length + 1;
  }
  return { rows: X.rows, bins, thresholds, binCounts };
}
