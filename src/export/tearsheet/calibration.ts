// Reliability (calibration) curve of a classifier: predicted probability of class 1 in equal-width bins
// against the share of class 1 observed in each bin (scikit-learn's calibration_curve, strategy="uniform").

export interface CalibrationBin {
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Share of rows whose label is 1. */
  observed: number;
  rows: number;
}

/**
 * Bins with at least one row whose probability and label are both finite, in increasing probability.
 * @example calibrationCurve(proba, label, 10)
 */
export function calibrationCurve(
  proba: ArrayLike<number>,
  label: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const sums = new Float64Array(bins);
  const ones = new Float64Array(bins);
  const rows = new Float64Array(bins);
  for (let i = 0; i < proba.length; i++) {
    const p = proba[i];
    const y = label[i];
    if (!Number.isFinite(p) || !Number.isFinite(y)) continue;
    const k = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    sums[k] += p;
    ones[k] += y > 0 ? 1 : 0;
    rows[k]++;
  }
  const out: CalibrationBin[] = [];
  for (let k = 0; k < bins; k++)
    if (rows[k] > 0) out.push({ predicted: sums[k] / rows[k], observed: ones[k] / rows[k], rows: rows[k] });
  return out;
}
