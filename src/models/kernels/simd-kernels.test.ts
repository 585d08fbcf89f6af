import { describe, expect, it } from "vitest";
import { Random } from "../../core/random.js";
import { kernels } from "./simd-kernels.js";

const { exports: k, heap } = kernels();
const rng = new Random(17);

/** Naive product in the kernels' documented order: acc from 0 (or C), p = 0..k-1, rounded like the type. */
function naive(
  round: (v: number) => number,
  transA: boolean,
  m: number,
  n: number,
  kk: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c0: ArrayLike<number> | null,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = c0 ? c0[i * n + j] : 0;
      for (let p = 0; p < kk; p++)
        acc = round(acc + round((transA ? a[p * m + i] : a[i * kk + p]) * b[p * n + j]));
      out.push(acc);
    }
  return out;
}

// 1 x 1 x 1, odd sizes, sizes that are not multiples of the 4 x 8 micro-kernel, k over the 256-row k-block.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [5, 9, 3],
  [101, 100, 400],
  [17, 13, 300],
  [4, 8, 0],
];

describe.each([
  ["sgemm (f32)", 4, Math.fround],
  ["dgemm (f64)", 8, (v: number) => v],
] as const)("%s", (_name, bytes, round) => {
  const run = (transA: boolean, m: number, n: number, kk: number, accumulate: boolean) => {
    const a = Array.from({ length: m * kk }, () => round(rng.normal()));
    const b = Array.from({ length: kk * n }, () => round(rng.normal()));
    const c0 = Array.from({ length: m * n }, () => round(rng.normal()));
    const pa = heap.alloc(bytes * a.length);
    const pb = heap.alloc(bytes * b.length);
    const pc = heap.alloc(bytes * c0.length);
    const view = (p: number, len: number) => (bytes === 4 ? heap.f32(p, len) : heap.f64(p, len));
    view(pa, a.length).set(a);
    view(pb, b.length).set(b);
    view(pc, c0.length).set(c0);
    const gemm = bytes === 4 ? k.sgemm : k.dgemm;
    gemm(transA ? 1 : 0, m, n, kk, pa, transA ? m : kk, pb, n, pc, n, accumulate ? 1 : 0);
    const got = Array.from(view(pc, m * n));
    for (const p of [pa, pb, pc]) heap.release(p);
    return { got, want: naive(round, transA, m, n, kk, a, b, accumulate ? c0 : null) };
  };

  it.each(SHAPES)("matches a triple loop exactly, %i x %i x %i, A and A^T, = and +=", (m, n, kk) => {
    for (const transA of [false, true])
      for (const accumulate of [false, true]) {
        const { got, want } = run(transA, m, n, kk, accumulate);
        expect(got).toEqual(want);
      }
  });
});

describe("vector sigmoid and tanh", () => {
  const xs = Float32Array.from(
    [0, -0, 1e-8, -1e-4, 0.3, -0.62, 0.63, 1, -2.5, 5, 9, -9, 20, -20, 87, -87, 88.5, -90, 200, -200],
    Math.fround,
  );
  const n = xs.length + 3; // a tail of 3 values after the 4-wide loop
  const input = Float32Array.from({ length: n }, (_, i) =>
    i < xs.length ? xs[i] : (i - xs.length) * 0.7 - 1,
  );

  it.each([
    ["sigmoid", (p: number, len: number) => k.sigmoid_f32(p, len), (v: number) => 1 / (1 + Math.exp(-v))],
    ["tanh", (p: number, len: number) => k.tanh_f32(p, len), Math.tanh],
  ] as const)("%s is within a few float32 ulps of Math's", (_name, run, exact) => {
    const p = heap.alloc(4 * n);
    const view = heap.f32(p, n);
    view.set(input);
    run(p, n);
    for (let i = 0; i < n; i++) {
      const want = exact(input[i]);
      // Relative error for normal results; absolute 1e-38 where the exact value is subnormal or zero.
      expect(Math.abs(view[i] - want)).toBeLessThanOrEqual(Math.max(4e-7 * Math.abs(want), 1e-38));
    }
    heap.release(p);
  });
});

describe("KernelHeap", () => {
  it("reuses released blocks, merges neighbours, and keeps views valid across growth", () => {
    const a = heap.alloc(100);
    const b = heap.alloc(100);
    const view = heap.f32(a, 25);
    view.fill(3);
    heap.release(b);
    expect(heap.alloc(64)).toBe(b);
    const big = heap.alloc(64 * 2 ** 20); // grows the memory
    expect(view[24]).toBe(3);
    view[0] = 5;
    expect(heap.f32(a, 1)[0]).toBe(5);
    heap.release(big);
    heap.release(a);
    heap.release(b);
    expect(heap.alloc(200)).toBe(a); // a and b (128 bytes each) merged
    heap.release(a);
  });
});
