// Sequential minimal optimisation for the C-SVC dual (libsvm's solver: second-order working-set selection).

/** Kernel rows on demand: K(i, ·) over the training rows, with a bounded row cache. */
export interface KernelRows {
  row(i: number): Float32Array;
  diagonal(i: number): number;
}

export interface SmoResult {
  alpha: Float64Array;
  rho: number;
  iterations: number;
}

const TAU = 1e-12;

/**
 * Solves min ½αᵀQα − Σα, 0 ≤ αᵢ ≤ Cᵢ, Σ yᵢαᵢ = 0 with Q = yᵢyⱼK(i, j) (Fan, Chen & Lin 2005, as libsvm does,
 * without shrinking). Stops when the maximal KKT violation falls under `eps` (libsvm's default 1e-3).
 */
export function solveSmo(
  kernel: KernelRows,
  y: Int8Array,
  C: Float64Array,
  eps: number,
  maxIter: number,
): SmoResult {
  const n = y.length;
  const alpha = new Float64Array(n);
  const grad = new Float64Array(n).fill(-1);
  const upper = (i: number) => alpha[i] >= C[i];
  const lower = (i: number) => alpha[i] <= 0;
  // Shrinking (libsvm): bounded variables that cannot be selected leave the active set, so selection and
  // gradient updates touch fewer rows; their gradients are rebuilt from the support vectors before stopping.
  const active = new Int32Array(n);
  for (let t = 0; t < n; t++) active[t] = t;
  let activeSize = n;
  let unshrunk = false;
  let counter = Math.min(n, 1000);
  const reconstruct = () => {
    grad.fill(-1);
    for (let j = 0; j < n; j++) {
      if (alpha[j] <= 0) continue;
      const row = kernel.row(j);
      const c = y[j] * alpha[j];
      for (let t = 0; t < n; t++) grad[t] += y[t] * c * row[t];
    }
    for (let t = 0; t < n; t++) active[t] = t;
    activeSize = n;
  };
  const shrink = () => {
    let gMax1 = Number.NEGATIVE_INFINITY;
    let gMax2 = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < activeSize; k++) {
      const t = active[k];
      if (y[t] === 1 ? !upper(t) : !lower(t)) gMax1 = Math.max(gMax1, -y[t] * grad[t]);
      if (y[t] === 1 ? !lower(t) : !upper(t)) gMax2 = Math.max(gMax2, y[t] * grad[t]);
    }
    if (!unshrunk && gMax1 + gMax2 <= eps * 10) {
      unshrunk = true;
      reconstruct();
    }
    for (let k = 0; k < activeSize; k++) {
      const t = active[k];
      let out = false;
      if (upper(t)) out = y[t] === 1 ? -grad[t] > gMax1 : -grad[t] > gMax2;
      else if (lower(t)) out = y[t] === 1 ? grad[t] > gMax2 : grad[t] > gMax1;
      if (out) {
        activeSize--;
        active[k] = active[activeSize];
        active[activeSize] = t;
        k--;
      }
    }
  };
  let iter = 0;
  for (; iter < maxIter; iter++) {
    if (--counter === 0) {
      counter = Math.min(n, 1000);
      shrink();
    }
    // Select i: maximal -y G among I_up.
    let gMax = Number.NEGATIVE_INFINITY;
    let i = -1;
    for (let k = 0; k < activeSize; k++) {
      const t = active[k];
      if (y[t] === 1 ? !upper(t) : !lower(t)) {
        const v = -y[t] * grad[t];
        if (v >= gMax) {
          gMax = v;
          i = t;
        }
      }
    }
    // Select j by the second-order gain among I_low.
    let gMax2 = Number.NEGATIVE_INFINITY;
    let j = -1;
    if (i >= 0) {
      const Qi = kernel.row(i);
      const Kii = kernel.diagonal(i);
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < activeSize; k++) {
        const t = active[k];
        if (y[t] === 1 ? !lower(t) : !upper(t)) {
          const yg = y[t] * grad[t];
          if (yg >= gMax2) gMax2 = yg;
          const b = gMax + yg;
          if (b > 0) {
            let a = Kii + kernel.diagonal(t) - 2 * Qi[t];
            if (a <= 0) a = TAU;
            const gain = -(b * b) / a;
            if (gain <= best) {
              best = gain;
              j = t;
            }
          }
        }
      }
    }
    if (i < 0 || j < 0 || gMax + gMax2 < eps) {
      // Optimal on the active set: rebuild every gradient and check once more on all rows.
      if (activeSize < n) {
        reconstruct();
        // Select on every row next (no shrinking first), so a truly optimal point stops there.
        counter = Math.min(n, 1000);
        continue;
      }
      break;
    }
    const Qj = kernel.row(j);
    const Qi = kernel.row(i);
    const Kii = kernel.diagonal(i);
    const yi = y[i];
    const yj = y[j];
    const Kij = Qi[j];
    const oldAi = alpha[i];
    const oldAj = alpha[j];
    const Ci = C[i];
    const Cj = C[j];
    let quad = Kii + kernel.diagonal(j) - 2 * Kij;
    if (quad <= 0) quad = TAU;
    if (yi !== yj) {
      const delta = (-grad[i] - grad[j]) / quad;
      const diff = alpha[i] - alpha[j];
      alpha[i] += delta;
      alpha[j] += delta;
      if (diff > 0) {
        if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = diff;
        }
      } else if (alpha[i] < 0) {
        alpha[i] = 0;
        alpha[j] = -diff;
      }
      if (diff > Ci - Cj) {
        if (alpha[i] > Ci) {
          alpha[i] = Ci;
          alpha[j] = Ci - diff;
        }
      } else if (alpha[j] > Cj) {
        alpha[j] = Cj;
        alpha[i] = Cj + diff;
      }
    } else {
      const delta = (grad[i] - grad[j]) / quad;
      const sum = alpha[i] + alpha[j];
      alpha[i] -= delta;
      alpha[j] += delta;
      if (sum > Ci) {
        if (alpha[i] > Ci) {
          alpha[i] = Ci;
          alpha[j] = sum - Ci;
        }
      } else if (alpha[j] < 0) {
        alpha[j] = 0;
        alpha[i] = sum;
      }
      if (sum > Cj) {
        if (alpha[j] > Cj) {
          alpha[j] = Cj;
          alpha[i] = sum - Cj;
        }
      } else if (alpha[i] < 0) {
        alpha[i] = 0;
        alpha[j] = sum;
      }
    }
    const dAi = alpha[i] - oldAi;
    const dAj = alpha[j] - oldAj;
    // G_t += Q_ti ΔA_i + Q_tj ΔA_j with Q_ts = y_t y_s K_ts.
    const ci = yi * dAi;
    const cj = yj * dAj;
    for (let k = 0; k < activeSize; k++) {
      const t = active[k];
      grad[t] += y[t] * (Qi[t] * ci + Qj[t] * cj);
    }
  }
  if (activeSize < n) reconstruct();
  return { alpha, rho: computeRho(y, alpha, grad, C), iterations: iter };
}

/** The offset: mean of yG over free vectors, else the midpoint of the feasible interval (libsvm). */
function computeRho(y: Int8Array, alpha: Float64Array, grad: Float64Array, C: Float64Array): number {
  let ub = Number.POSITIVE_INFINITY;
  let lb = Number.NEGATIVE_INFINITY;
  let sumFree = 0;
  let free = 0;
  for (let t = 0; t < y.length; t++) {
    const yg = y[t] * grad[t];
    const atUpper = alpha[t] >= C[t];
    const atLower = alpha[t] <= 0;
    if (atUpper) {
      if (y[t] === -1) ub = Math.min(ub, yg);
      else lb = Math.max(lb, yg);
    } else if (atLower) {
      if (y[t] === 1) ub = Math.min(ub, yg);
      else lb = Math.max(lb, yg);
    } else {
      free++;
      sumFree += yg;
    }
  }
  return free > 0 ? sumFree / free : (ub + lb) / 2;
}
