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

/**
 * rolling(w, min_periods=1).mean(), as pandas computes it (aggregations.pyx roll_mean): Kahan-compensated running
 * sums, the last value when the trailing run of equal values fills the window, and sign clamping. O(n).
 */
export function rollingMeanMinOne(x: Float64Array, w: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(Number.NaN);
  let sum = 0;
  let compAdd = 0;
  let compRemove = 0;
  let nobs = 0;
  let negatives = 0;
  let same = 0;
  let prev = n > 0 ? x[0] : Number.NaN;
  for (let i = 0; i < n; i++) {
    // pandas removes the value leaving the window before adding the new one (the order changes rounding).
    if (i >= w) {
      const old = x[i - w];
      if (!Number.isNaN(old)) {
        nobs--;
        const y = -old - compRemove;
        const t = sum + y;
        compRemove = t - sum - y;
        sum = t;
        if (old < 0 || Object.is(old, -0)) negatives--;
      }
    }
    const v = x[i];
    if (!Number.isNaN(v)) {
      nobs++;
      const y = v - compAdd;
      const t = sum + y;
      compAdd = t - sum - y;
      sum = t;
      if (v < 0 || Object.is(v, -0)) negatives++;
      same = v === prev ? same + 1 : 1;
      prev = v;
    }
    if (nobs > 0) {
      let result = sum / nobs;
      if (same >= nobs) result = prev;
      else if (negatives === 0 && result < 0) result = 0;
      else if (negatives === nobs && result > 0) result = 0;
      out[i] = result;
    }
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
