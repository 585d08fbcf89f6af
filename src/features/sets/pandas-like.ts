// pandas operations the seeds rely on, reproduced on Float64Array: shift, ewm(adjust=False), rolling(min_periods=1).

/** pandas Series.shift(k): positive k looks back, negative k looks forward; vacated rows are NaN. */
export function shift(x: Float64Array, k: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const j = i - k;
    if (j >= 0 && j < n) out[i] = x[j];
  }
  return out;
}

/**
 * pandas ewm(span, adjust=False).mean(): y0 = x0, y = ((1-a) y + a x) / ((1-a) + a), a = 2/(span+1).
 * The division by (1-a)+a and the skip when y equals x are kept because pandas does both (aggregations.pyx ewm)
 * and (1-a)+a is not always exactly 1 in floating point.
 * Missing inputs keep the previous value (ignore_na=False weights are not needed: the seeds' inputs are complete).
 */
export function pandasEwmMean(x: Float64Array, span: number): Float64Array {
  const a = 2 / (span + 1);
  const oldWeight = 1 - a;
  const out = new Float64Array(x.length).fill(Number.NaN);
  let avg = Number.NaN;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(avg)) avg = v;
    else if (!Number.isNaN(v) && avg !== v) avg = (oldWeight * avg + a * v) / (oldWeight + a);
    out[i] = avg;
  }
  return out;
}

/** rolling(w, min_periods=1).mean(): the mean of the available values among the last w (NaNs skipped). */
export function rollingMeanMinOne(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = 0; i < x.length; i++) {
    let s = 0;
    let count = 0;
    let same = true;
    for (let j = Math.max(0, i - w + 1); j <= i; j++) {
      if (Number.isNaN(x[j])) continue;
      if (count > 0 && x[j] !== x[i]) same = false;
      s += x[j];
      count++;
    }
    // pandas returns the value itself for a window of identical values (no rounding residue).
    if (count > 0) out[i] = same && x[i] === x[i] ? x[i] : s / count;
  }
  return out;
}

/** rolling(w, min_periods=1).std(): sample std (ddof=1) of the available values; NaN below 2, 0 when all equal. */
export function rollingStdMinOne(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = 0; i < x.length; i++) {
    let s = 0;
    let count = 0;
    let same = true;
    for (let j = Math.max(0, i - w + 1); j <= i; j++) {
      if (Number.isNaN(x[j])) continue;
      if (count > 0 && x[j] !== x[i]) same = false;
      s += x[j];
      count++;
    }
    if (count < 2) continue;
    if (same) {
      out[i] = 0;
      continue;
    }
    const mean = s / count;
    let v = 0;
    for (let j = Math.max(0, i - w + 1); j <= i; j++) if (!Number.isNaN(x[j])) v += (x[j] - mean) ** 2;
    out[i] = Math.sqrt(v / (count - 1));
  }
  return out;
}
