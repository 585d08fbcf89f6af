// Dense-math kernels for the LSTM and the mlp/nn networks, in AssemblyScript compiled to WebAssembly SIMD
// (npm run build:wasm -> dist/models/kernels/simd-kernels.wasm). Pointers are byte offsets into the imported
// (shared) memory; there is no allocator here: the JS side lays out every buffer.
//
// Every matrix product sums each output element in one fixed order, p = 0..k-1, starting from 0 or from the
// value already in C, with a separate multiply and add (WebAssembly has no fused multiply-add). The SIMD lanes,
// the edge kernels and the k-blocking all keep that order, so a row's result does not depend on which other
// rows share its call, the block it falls in, or the thread that runs it.

// ---------------------------------------------------------------------------------------------------------
// f32 matrix product: C[m x n] (+)= A[m x k] @ B[k x n]. A is read with strides (sa_i per row, sa_p per k
// step), so the same kernels serve A and A^T; B and C are row-major with leading dimensions ldb and ldc.
// ---------------------------------------------------------------------------------------------------------

/** k-block: the 4 x KC slice of A stays in L1 while the kernel sweeps B's KC rows. */
const KC: i32 = 256;

// @ts-ignore: decorator
@inline
function kernel4x8(
  pa: usize, ai: usize, ap: usize, pb: usize, ldb: usize, pc: usize, ldc: usize, k: i32, acc: bool,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const pc1 = pc + ldc, pc2 = pc1 + ldc, pc3 = pc2 + ldc;
  if (acc) {
    c00 = v128.load(pc); c01 = v128.load(pc, 16);
    c10 = v128.load(pc1); c11 = v128.load(pc1, 16);
    c20 = v128.load(pc2); c21 = v128.load(pc2, 16);
    c30 = v128.load(pc3); c31 = v128.load(pc3, 16);
  }
  let a0 = pa, a1 = pa + ai, a2 = a1 + ai, a3 = a2 + ai;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(a1);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(a2);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(a3);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    a0 += ap; a1 += ap; a2 += ap; a3 += ap;
    pb += ldb;
  }
  v128.store(pc, c00); v128.store(pc, c01, 16);
  v128.store(pc1, c10); v128.store(pc1, c11, 16);
  v128.store(pc2, c20); v128.store(pc2, c21, 16);
  v128.store(pc3, c30); v128.store(pc3, c31, 16);
}

// @ts-ignore: decorator
@inline
function kernel4x4(
  pa: usize, ai: usize, ap: usize, pb: usize, ldb: usize, pc: usize, ldc: usize, k: i32, acc: bool,
): void {
  const pc1 = pc + ldc, pc2 = pc1 + ldc, pc3 = pc2 + ldc;
  let c0 = acc ? v128.load(pc) : f32x4.splat(0);
  let c1 = acc ? v128.load(pc1) : f32x4.splat(0);
  let c2 = acc ? v128.load(pc2) : f32x4.splat(0);
  let c3 = acc ? v128.load(pc3) : f32x4.splat(0);
  let a0 = pa, a1 = pa + ai, a2 = a1 + ai, a3 = a2 + ai;
  for (let p = 0; p < k; p++) {
    const b = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0), b));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a1), b));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a2), b));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a3), b));
    a0 += ap; a1 += ap; a2 += ap; a3 += ap;
    pb += ldb;
  }
  v128.store(pc, c0);
  v128.store(pc1, c1);
  v128.store(pc2, c2);
  v128.store(pc3, c3);
}

// @ts-ignore: decorator
@inline
function kernel1x8(pa: usize, ap: usize, pb: usize, ldb: usize, pc: usize, k: i32, acc: bool): void {
  let c0 = acc ? v128.load(pc) : f32x4.splat(0);
  let c1 = acc ? v128.load(pc, 16) : f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const a = v128.load32_splat(pa);
    c0 = f32x4.add(c0, f32x4.mul(a, v128.load(pb)));
    c1 = f32x4.add(c1, f32x4.mul(a, v128.load(pb, 16)));
    pa += ap;
    pb += ldb;
  }
  v128.store(pc, c0);
  v128.store(pc, c1, 16);
}

// @ts-ignore: decorator
@inline
function kernel1x4(pa: usize, ap: usize, pb: usize, ldb: usize, pc: usize, k: i32, acc: bool): void {
  let c0 = acc ? v128.load(pc) : f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
    pa += ap;
    pb += ldb;
  }
  v128.store(pc, c0);
}

// @ts-ignore: decorator
@inline
function kernel1x1(pa: usize, ap: usize, pb: usize, ldb: usize, pc: usize, k: i32, acc: bool): void {
  let c: f32 = acc ? load<f32>(pc) : 0;
  for (let p = 0; p < k; p++) {
    c = c + load<f32>(pa) * load<f32>(pb);
    pa += ap;
    pb += ldb;
  }
  store<f32>(pc, c);
}

/**
 * C[m x n] = A @ B (accumulate = 0) or C += A @ B (accumulate = 1), f32. transA = 0: A is row-major [m x k]
 * with leading dimension lda; transA = 1: A is given as its transpose, row-major [k x m] with leading dimension
 * lda (so a product X^T @ Y needs no transposed copy of X).
 */
export function sgemm(
  transA: i32, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32,
): void {
  const ai: usize = (transA ? 1 : <usize>lda) << 2;
  const ap: usize = (transA ? <usize>lda : 1) << 2;
  const ldb4: usize = <usize>ldb << 2;
  const ldc4: usize = <usize>ldc << 2;
  const n8 = n & ~7;
  const n4 = n & ~3;
  const m4 = m & ~3;
  if (k === 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldc4, 0, <usize>n << 2);
    return;
  }
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    const acc = accumulate !== 0 || k0 > 0;
    const pb0 = b + <usize>k0 * ldb4;
    const pa0 = a + <usize>k0 * ap;
    // Column panels outside, rows inside: the kc x 8 panel of B stays in L1 while every row block passes.
    let j = 0;
    for (; j < n8; j += 8) {
      const pb = pb0 + (<usize>j << 2);
      const pcj = c + (<usize>j << 2);
      let i = 0;
      for (; i < m4; i += 4) kernel4x8(pa0 + <usize>i * ai, ai, ap, pb, ldb4, pcj + <usize>i * ldc4, ldc4, kc, acc);
      for (; i < m; i++) kernel1x8(pa0 + <usize>i * ai, ap, pb, ldb4, pcj + <usize>i * ldc4, kc, acc);
    }
    if (j < n4) {
      const pb = pb0 + (<usize>j << 2);
      const pcj = c + (<usize>j << 2);
      let i = 0;
      for (; i < m4; i += 4) kernel4x4(pa0 + <usize>i * ai, ai, ap, pb, ldb4, pcj + <usize>i * ldc4, ldc4, kc, acc);
      for (; i < m; i++) kernel1x4(pa0 + <usize>i * ai, ap, pb, ldb4, pcj + <usize>i * ldc4, kc, acc);
      j += 4;
    }
    for (; j < n; j++) {
      const pb = pb0 + (<usize>j << 2);
      const pcj = c + (<usize>j << 2);
      for (let i = 0; i < m; i++) kernel1x1(pa0 + <usize>i * ai, ap, pb, ldb4, pcj + <usize>i * ldc4, kc, acc);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// f64 matrix product for the mlp/nn networks (they train in double precision, as scikit-learn does).
// ---------------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function dkernel4x4(
  pa: usize, ai: usize, ap: usize, pb: usize, ldb: usize, pc: usize, ldc: usize, k: i32, acc: bool,
): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  const pc1 = pc + ldc, pc2 = pc1 + ldc, pc3 = pc2 + ldc;
  if (acc) {
    c00 = v128.load(pc); c01 = v128.load(pc, 16);
    c10 = v128.load(pc1); c11 = v128.load(pc1, 16);
    c20 = v128.load(pc2); c21 = v128.load(pc2, 16);
    c30 = v128.load(pc3); c31 = v128.load(pc3, 16);
  }
  let a0 = pa, a1 = pa + ai, a2 = a1 + ai, a3 = a2 + ai;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load64_splat(a0);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(a1);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(a2);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(a3);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    a0 += ap; a1 += ap; a2 += ap; a3 += ap;
    pb += ldb;
  }
  v128.store(pc, c00); v128.store(pc, c01, 16);
  v128.store(pc1, c10); v128.store(pc1, c11, 16);
  v128.store(pc2, c20); v128.store(pc2, c21, 16);
  v128.store(pc3, c30); v128.store(pc3, c31, 16);
}

// @ts-ignore: decorator
@inline
function dkernel1x4(pa: usize, ap: usize, pb: usize, ldb: usize, pc: usize, k: i32, acc: bool): void {
  let c0 = acc ? v128.load(pc) : f64x2.splat(0);
  let c1 = acc ? v128.load(pc, 16) : f64x2.splat(0);
  for (let p = 0; p < k; p++) {
    const a = v128.load64_splat(pa);
    c0 = f64x2.add(c0, f64x2.mul(a, v128.load(pb)));
    c1 = f64x2.add(c1, f64x2.mul(a, v128.load(pb, 16)));
    pa += ap;
    pb += ldb;
  }
  v128.store(pc, c0);
  v128.store(pc, c1, 16);
}

// @ts-ignore: decorator
@inline
function dkernel1x1(pa: usize, ap: usize, pb: usize, ldb: usize, pc: usize, k: i32, acc: bool): void {
  let c: f64 = acc ? load<f64>(pc) : 0;
  for (let p = 0; p < k; p++) {
    c = c + load<f64>(pa) * load<f64>(pb);
    pa += ap;
    pb += ldb;
  }
  store<f64>(pc, c);
}

/** As sgemm, in f64. */
export function dgemm(
  transA: i32, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32,
): void {
  const ai: usize = (transA ? 1 : <usize>lda) << 3;
  const ap: usize = (transA ? <usize>lda : 1) << 3;
  const ldb8: usize = <usize>ldb << 3;
  const ldc8: usize = <usize>ldc << 3;
  const n4 = n & ~3;
  const m4 = m & ~3;
  if (k === 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldc8, 0, <usize>n << 3);
    return;
  }
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    const acc = accumulate !== 0 || k0 > 0;
    const pb0 = b + <usize>k0 * ldb8;
    for (let i = 0; i < m4; i += 4) {
      const pa = a + <usize>i * ai + <usize>k0 * ap;
      const pc = c + <usize>i * ldc8;
      let j = 0;
      for (; j < n4; j += 4) dkernel4x4(pa, ai, ap, pb0 + (<usize>j << 3), ldb8, pc + (<usize>j << 3), ldc8, kc, acc);
      for (; j < n; j++) {
        for (let r = 0; r < 4; r++)
          dkernel1x1(pa + <usize>r * ai, ap, pb0 + (<usize>j << 3), ldb8, pc + <usize>r * ldc8 + (<usize>j << 3), kc, acc);
      }
    }
    for (let i = m4; i < m; i++) {
      const pa = a + <usize>i * ai + <usize>k0 * ap;
      const pc = c + <usize>i * ldc8;
      let j = 0;
      for (; j < n4; j += 4) dkernel1x4(pa, ap, pb0 + (<usize>j << 3), ldb8, pc + (<usize>j << 3), kc, acc);
      for (; j < n; j++) dkernel1x1(pa, ap, pb0 + (<usize>j << 3), ldb8, pc + (<usize>j << 3), kc, acc);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Vector exp, sigmoid and tanh in f32 (Cephes' expf and tanhf polynomials, ~1-2 ulp).
// ---------------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function vexp(x: v128): v128 {
  // Clamped so that 2^n stays a finite normal number: exp(-87.3) ~ 1.2e-38, exp(88.3) ~ 2.2e38.
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.3)), f32x4.splat(88.3));
  const fx = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  const z = f32x4.mul(x, x);
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), x), f32x4.splat(1));
  const n = i32x4.trunc_sat_f32x4_s(fx);
  const pow2n = i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}

// @ts-ignore: decorator
@inline
function vsigmoid(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), vexp(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline
function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  // |x| < 0.625: odd polynomial (1 - e^-2x would lose digits to cancellation there).
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  // Otherwise 1 - 2 / (e^2|x| + 1), with the sign of x.
  const e = vexp(f32x4.add(ax, ax));
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** x[0..n) = 1 / (1 + exp(-x)) in place. */
export function sigmoid_f32(x: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const p = x + (<usize>i << 2);
    v128.store(p, vsigmoid(v128.load(p)));
  }
  for (; i < n; i++) {
    const p = x + (<usize>i << 2);
    store<f32>(p, f32x4.extract_lane(vsigmoid(f32x4.splat(load<f32>(p))), 0));
  }
}

/** x[0..n) = tanh(x) in place. */
export function tanh_f32(x: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const p = x + (<usize>i << 2);
    v128.store(p, vtanh(v128.load(p)));
  }
  for (; i < n; i++) {
    const p = x + (<usize>i << 2);
    store<f32>(p, f32x4.extract_lane(vtanh(f32x4.splat(load<f32>(p))), 0));
  }
}

// ---------------------------------------------------------------------------------------------------------
// LSTM cell, gate blocks i, f, o, g along 4H. Columns go 4 at a time; when H is not a multiple of 4 the last
// ones go one at a time through the same code (a lane loaded by splat, lane 0 stored).
// ---------------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function ld(p: usize, wide: bool): v128 {
  return wide ? v128.load(p) : v128.load32_splat(p);
}

// @ts-ignore: decorator
@inline
function st(p: usize, v: v128, wide: bool): void {
  if (wide) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

// @ts-ignore: decorator
@inline
function cellForwardAt(
  zr: usize, bias: usize, cPrev: usize, c: usize, tc: usize, h: usize, H4: usize, j: usize, wide: bool,
): void {
  const zi = zr + j, zf = zi + H4, zo = zf + H4, zg = zo + H4;
  const bi = bias + j, bf = bi + H4, bo = bf + H4, bg = bo + H4;
  const gi = vsigmoid(f32x4.add(ld(zi, wide), ld(bi, wide)));
  const gf = vsigmoid(f32x4.add(ld(zf, wide), ld(bf, wide)));
  const go = vsigmoid(f32x4.add(ld(zo, wide), ld(bo, wide)));
  const gg = vtanh(f32x4.add(ld(zg, wide), ld(bg, wide)));
  st(zi, gi, wide);
  st(zf, gf, wide);
  st(zo, go, wide);
  st(zg, gg, wide);
  const prev = cPrev ? ld(cPrev + j, wide) : f32x4.splat(0);
  const cv = f32x4.add(f32x4.mul(gf, prev), f32x4.mul(gi, gg));
  const t = vtanh(cv);
  st(c + j, cv, wide);
  st(tc + j, t, wide);
  st(h + j, f32x4.mul(go, t), wide);
}

/**
 * One time step forward for `batch` rows. z [batch x 4H] holds x W_x + h_prev W_h; the bias is added here,
 * then z is overwritten with the activated gates (sigmoid i, f, o; tanh g), and c = f c_prev + i g,
 * tc = tanh(c), h = o tc are written ([batch x H] each). cPrev = 0 means a zero initial state.
 */
export function lstm_cell_forward(
  z: usize, bias: usize, cPrev: usize, c: usize, tc: usize, h: usize, batch: i32, H: i32,
): void {
  const H4: usize = <usize>H << 2;
  const W4: usize = <usize>(H & ~3) << 2;
  for (let r = 0; r < batch; r++) {
    const zr = z + <usize>r * (H4 << 2);
    const rowH = <usize>r * H4;
    const cp = cPrev ? cPrev + rowH : 0;
    let j: usize = 0;
    for (; j < W4; j += 16) cellForwardAt(zr, bias, cp, c + rowH, tc + rowH, h + rowH, H4, j, true);
    for (; j < H4; j += 4) cellForwardAt(zr, bias, cp, c + rowH, tc + rowH, h + rowH, H4, j, false);
  }
}

// @ts-ignore: decorator
@inline
function cellBackwardAt(
  gr: usize, tc: usize, dH: usize, dhNext: usize, dcNext: usize, cPrev: usize, dr: usize, db: usize,
  H4: usize, j: usize, wide: bool,
): void {
  const one = f32x4.splat(1);
  const i = ld(gr + j, wide);
  const f = ld(gr + H4 + j, wide);
  const o = ld(gr + 2 * H4 + j, wide);
  const g = ld(gr + 3 * H4 + j, wide);
  const t = ld(tc + j, wide);
  const dh = f32x4.add(ld(dH + j, wide), ld(dhNext + j, wide));
  const dc = f32x4.add(ld(dcNext + j, wide), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(t, t))));
  const prev = cPrev ? ld(cPrev + j, wide) : f32x4.splat(0);
  const zi = f32x4.mul(f32x4.mul(f32x4.mul(dc, g), i), f32x4.sub(one, i));
  const zf = f32x4.mul(f32x4.mul(f32x4.mul(dc, prev), f), f32x4.sub(one, f));
  const zo = f32x4.mul(f32x4.mul(f32x4.mul(dh, t), o), f32x4.sub(one, o));
  const zg = f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g)));
  st(dr + j, zi, wide);
  st(dr + H4 + j, zf, wide);
  st(dr + 2 * H4 + j, zo, wide);
  st(dr + 3 * H4 + j, zg, wide);
  st(db + j, f32x4.add(ld(db + j, wide), zi), wide);
  st(db + H4 + j, f32x4.add(ld(db + H4 + j, wide), zf), wide);
  st(db + 2 * H4 + j, f32x4.add(ld(db + 2 * H4 + j, wide), zo), wide);
  st(db + 3 * H4 + j, f32x4.add(ld(db + 3 * H4 + j, wide), zg), wide);
  st(dcNext + j, f32x4.mul(dc, f), wide);
}

/**
 * One step of back-propagation through the cell for `batch` rows: from dH (this step's gradient from above)
 * plus dhNext (from the next step's recurrent product) and the cell carry dcNext, writes the gate
 * pre-activation gradients dZ [batch x 4H], adds them to the bias gradient db (rows in order), and updates
 * dcNext in place. cPrev = 0 means a zero initial state.
 */
export function lstm_cell_backward(
  gates: usize, tc: usize, dH: usize, dhNext: usize, dcNext: usize, cPrev: usize, dZ: usize, db: usize,
  batch: i32, H: i32,
): void {
  const H4: usize = <usize>H << 2;
  const W4: usize = <usize>(H & ~3) << 2;
  for (let r = 0; r < batch; r++) {
    const gr = gates + <usize>r * (H4 << 2);
    const dr = dZ + <usize>r * (H4 << 2);
    const rowH = <usize>r * H4;
    const cp = cPrev ? cPrev + rowH : 0;
    let j: usize = 0;
    for (; j < W4; j += 16)
      cellBackwardAt(gr, tc + rowH, dH + rowH, dhNext + rowH, dcNext + rowH, cp, dr, db, H4, j, true);
    for (; j < H4; j += 4)
      cellBackwardAt(gr, tc + rowH, dH + rowH, dhNext + rowH, dcNext + rowH, cp, dr, db, H4, j, false);
  }
}

// ---------------------------------------------------------------------------------------------------------
// f64 element-wise passes of the mlp/nn networks (JS loops over views of a shared memory run ~10x slower than
// over ordinary arrays, so they live here). Each keeps the plain loop's arithmetic exactly.
// ---------------------------------------------------------------------------------------------------------

/** Every row of out [rows x n] = b [n]. */
export function fill_rows_f64(out: usize, b: usize, rows: i32, n: i32): void {
  const bytes = <usize>n << 3;
  for (let r = 0; r < rows; r++) memory.copy(out + <usize>r * bytes, b, bytes);
}

/** x = max(x, 0) (NaN stays NaN, -0 becomes +0, as Math.max). */
export function relu_f64(x: usize, n: i32): void {
  const zero = f64x2.splat(0);
  const n2 = n & ~1;
  let i = 0;
  for (; i < n2; i += 2) {
    const p = x + (<usize>i << 3);
    v128.store(p, f64x2.max(v128.load(p), zero));
  }
  if (i < n) {
    const p = x + (<usize>i << 3);
    store<f64>(p, max(load<f64>(p), 0.0));
  }
}

/** d = a > 0 ? d : 0 (the relu derivative applied to the back-propagated delta). */
export function relu_backward_f64(d: usize, a: usize, n: i32): void {
  const zero = f64x2.splat(0);
  const n2 = n & ~1;
  let i = 0;
  for (; i < n2; i += 2) {
    const o = <usize>i << 3;
    v128.store(d + o, v128.and(v128.load(d + o), f64x2.gt(v128.load(a + o), zero)));
  }
  if (i < n) {
    const o = <usize>i << 3;
    if (!(load<f64>(a + o) > 0)) store<f64>(d + o, 0);
  }
}

/** d = (1 - a^2) == 0 ? 0 : d (1 - a^2) (the tanh derivative from the activation a = tanh(z)). */
export function tanh_backward_f64(d: usize, a: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const v = load<f64>(a + o);
    const deriv = 1 - v * v;
    store<f64>(d + o, deriv == 0 ? 0 : load<f64>(d + o) * deriv);
  }
}

/** out[j] = sum over rows r (in order, from 0) of x[r, j]. */
export function column_sums_f64(x: usize, rows: i32, n: i32, out: usize): void {
  const bytes = <usize>n << 3;
  memory.fill(out, 0, bytes);
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * bytes;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      v128.store(out + o, f64x2.add(v128.load(out + o), v128.load(row + o)));
    }
    if (j < n) {
      const o = <usize>j << 3;
      store<f64>(out + o, load<f64>(out + o) + load<f64>(row + o));
    }
  }
}

/** out = (alpha * w) / rows, element-wise (the L2 term that starts a weight gradient). */
export function l2_start_f64(out: usize, w: usize, n: i32, alpha: f64, rows: f64): void {
  const va = f64x2.splat(alpha);
  const vr = f64x2.splat(rows);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(out + o, f64x2.div(f64x2.mul(va, v128.load(w + o)), vr));
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(out + o, (alpha * load<f64>(w + o)) / rows);
  }
}
