// Small dense linear algebra for the linear models: Cholesky solve of a symmetric positive-definite system.

/**
 * Solves A x = b for symmetric positive-definite A (n x n, row-major), in place on copies.
 * Returns null when A is not positive definite (the caller adds a ridge and retries).
 */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return null;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j];
      }
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= L[i * n + k] * z[k];
    z[i] = sum / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * x[k];
    x[i] = sum / L[i * n + i];
  }
  return x;
}

/** Cholesky solve that adds a growing diagonal jitter until A is positive definite (for alpha = 0, collinearity). */
export function robustSolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += A[i * n + i];
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const M = jitter === 0 ? A : A.slice();
    if (jitter > 0) for (let i = 0; i < n; i++) M[i * n + i] += jitter;
    const x = choleskySolve(M, b, n);
    if (x) return x;
    jitter = jitter === 0 ? (1e-12 * trace) / n || 1e-12 : jitter * 10;
  }
  return new Float64Array(n);
}
