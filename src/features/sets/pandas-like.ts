// pandas operations the seeds rely on, reproduced on Float64Array: shift, ewm(adjust=False), rolling(min_periods=1) mean and std.

/** pandas Series.shift(k): positive k looks back, negative k looks forward; vacated rows are NaN. */
export function shift(x: Float64Array, k: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  // Two block copies (memcpy and fill) instead of a bounds-checked loop: shifts were a fifth of seed000's time.
  const moved = Math.max(0, n - Math.abs(k));
  if (k >= 0) {
    out.fill(Number.NaN, 0, n - moved);
    out.set(x.subarray(0, moved), n - moved);
  } else {
    out.set(x.subarray(n - moved), 0);
    out.fill(Number.NaN, moved);
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

/**
 * rolling(w, min_periods=1).std() (ddof=1), as pandas computes it (aggregations.pyx roll_var, then zsqrt): Welford's
 * online update with Kahan-compensated means, values leaving the window removed before new ones are added, 0 when
 * the trailing run of equal values fills the window, NaN below 2 values, and a negative rounding result clamped to 0.
 * The online update (not a two-pass sum) is kept because it decides whether a near-flat window is exactly 0, which
 * decides which CCI rows are infinite and dropped. O(n).
 */
export function rollingStdMinOne(x: Float64Array, w: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(Number.NaN);
  let nobs = 0;
  let mean = 0;
  let ssqdm = 0;
  let compAdd = 0;
  let compRemove = 0;
  let same = 0;
  let prev = n > 0 ? x[0] : Number.NaN;
  for (let i = 0; i < n; i++) {
    if (i >= w) {
      const old = x[i - w];
      if (!Number.isNaN(old)) {
        nobs--;
        if (nobs > 0) {
          const prevMean = mean - compRemove;
          const y = old - compRemove;
          const t = y - mean;
          compRemove = t + mean - y;
          mean -= t / nobs;
          ssqdm -= (old - prevMean) * (old - mean);
        } else {
          mean = 0;
          ssqdm = 0;
        }
      }
    }
    const v = x[i];
    if (!Number.isNaN(v)) {
      nobs++;
      same = v === prev ? same + 1 : 1;
      prev = v;
      const prevMean = mean - compAdd;
      const y = v - compAdd;
      const t = y - mean;
      compAdd = t + mean - y;
      mean += t / nobs;
      ssqdm += (v - prevMean) * (v - mean);
    }
    if (nobs >= 2) {
      const variance = same >= nobs ? 0 : ssqdm / (nobs - 1);
      out[i] = variance < 0 ? 0 : Math.sqrt(variance);
    }
  }
  return out;
}
