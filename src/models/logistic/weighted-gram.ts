// The Newton system of a logistic fit, Xᵀ·diag(h)·X and Xᵀ·r, from one dgemm of the SIMD kernels over X held
// row-major in the kernels' memory (the scalar JavaScript pair loop it replaced took about 3x as long on 37,500 x 21).

import { type Kernels, kernels } from "../kernels/simd-kernels.js";

/** Rows per dgemm call. */
const CHUNK_ROWS = 2048;
/** X is kept in the kernels' memory for the whole fit up to this many doubles (64 MB); above, chunks are re-copied. */
const KEEP_DOUBLES = 8_000_000;

/**
 * X = the columns plus, when `withOnes`, a last column of ones (the intercept), copied once per fit.
 * @example
 * const gram = new WeightedGram(X.columns, X.rows, true);
 * try { gram.newtonSystem(r, h, grad, hess); } finally { gram.release(); }
 */
export class WeightedGram {
  private readonly k: Kernels;
  private readonly p: number;
  private readonly chunk: number;
  private readonly kept: boolean;
  private readonly xPtr: number;
  private readonly wPtr: number;
  private readonly cPtr: number;

  constructor(
    private readonly columns: readonly Float64Array[],
    private readonly n: number,
    private readonly withOnes: boolean,
    keepDoubles = KEEP_DOUBLES,
  ) {
    this.k = kernels();
    this.p = columns.length + (withOnes ? 1 : 0);
    this.chunk = Math.min(CHUNK_ROWS, Math.max(1, n));
    this.kept = n * this.p <= keepDoubles;
    const { heap } = this.k;
    this.xPtr = heap.alloc((this.kept ? Math.max(1, n) : this.chunk) * this.p * 8);
    this.wPtr = heap.alloc(this.chunk * (this.p + 1) * 8);
    this.cPtr = heap.alloc(this.p * (this.p + 1) * 8);
    if (this.kept) this.copyRows(0, n, this.xPtr);
  }

  /** hess = Xᵀ·diag(h)·X (p x p, row-major) and grad = Xᵀ·r: the product of X with [diag(h)·X | r]. */
  newtonSystem(r: Float64Array, h: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const { p, chunk, n } = this;
    const q = p + 1;
    const { exports: k, heap } = this.k;
    heap.f64(this.cPtr, p * q).fill(0);
    const w = heap.f64(this.wPtr, chunk * q);
    for (let start = 0; start < n; start += chunk) {
      const count = Math.min(chunk, n - start);
      const xPtr = this.kept ? this.xPtr + start * p * 8 : this.xPtr;
      if (!this.kept) this.copyRows(start, count, xPtr);
      const x = heap.f64(xPtr, count * p);
      for (let i = 0, at = 0, out = 0; i < count; i++, out++) {
        const hi = h[start + i];
        for (let j = 0; j < p; j++, at++, out++) w[out] = hi * x[at];
        w[out] = r[start + i];
      }
      k.dgemm(1, p, q, count, xPtr, p, this.wPtr, q, this.cPtr, q, 1);
    }
    const c = heap.f64(this.cPtr, p * q);
    for (let j = 0; j < p; j++) {
      for (let m = 0; m < p; m++) hess[j * p + m] = c[j * q + m];
      grad[j] = c[j * q + p];
    }
  }

  /** Returns the kernels' memory. */
  release(): void {
    const { heap } = this.k;
    heap.release(this.cPtr);
    heap.release(this.wPtr);
    heap.release(this.xPtr);
  }

  private copyRows(start: number, count: number, ptr: number): void {
    const { p, columns } = this;
    const x = this.k.heap.f64(ptr, count * p);
    for (let j = 0; j < columns.length; j++) {
      const col = columns[j];
      for (let i = 0, at = j; i < count; i++, at += p) x[at] = col[start + i];
    }
    if (this.withOnes) for (let i = 0, at = p - 1; i < count; i++, at += p) x[at] = 1;
  }
}
