// Dense matrix products for the fused LSTM: a plain-JS engine, one on the active tfjs backend, and tsml's own
// WebAssembly SIMD kernels, which run whole LSTM passes over worker threads.

import { availableParallelism } from "node:os";
import { kernels } from "../kernels/simd-kernels.js";
import type { LoadedBackend } from "./backend.js";
import { type SimdLstmRunner, simdLstmRunner } from "./simd-lstm.js";

/** A right-hand operand kept on the engine (uploaded and packed once, reused across time steps). */
export interface ResidentMatrix {
  readonly data: Float32Array;
  dispose(): void;
}

/** out[m x n] = a[m x k] @ b[k x n], row-major Float32Arrays. */
export interface MatMulEngine {
  readonly name: string;
  matmul(
    a: Float32Array,
    b: Float32Array | ResidentMatrix,
    m: number,
    k: number,
    n: number,
    out: Float32Array,
  ): void;
  /** Keeps `b` (k x n) resident for repeated products; dispose() when done. */
  resident(b: Float32Array, k: number, n: number): ResidentMatrix;
  /** x[0..n) = 1 / (1 + exp(-x)) in place (vectorised on wasm, where Math.exp is the bottleneck). */
  sigmoid(x: Float32Array, n: number): void;
  /** Whole LSTM passes on the SIMD kernels; without it FusedLstm builds them from matmul and sigmoid. */
  readonly passes?: SimdLstmRunner;
}

function jsSigmoid(x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) x[i] = 1 / (1 + Math.exp(-x[i]));
}

/** Reference engine in plain JS (i-k-j order so the inner loop is contiguous); used by tests and tiny nets. */
export const jsEngine: MatMulEngine = {
  name: "js",
  resident: (b) => ({ data: b, dispose() {} }),
  matmul(a, operand, m, k, n, out) {
    const b = operand instanceof Float32Array ? operand : operand.data;
    out.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      const o = i * n;
      for (let p = 0; p < k; p++) {
        const av = a[i * k + p];
        if (av === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) out[o + j] += av * b[bp + j];
      }
    }
  },
  sigmoid: jsSigmoid,
};

interface WasmBackendInternals {
  dataIdMap: { get(id: object): { memoryOffset: number } };
  wasm: { HEAPU8: Uint8Array };
}

/**
 * Engine on a tfjs backend. On wasm the product runs in XNNPACK and the result is read straight from the wasm
 * heap (dataSync copies twice); only untransposed operands are used, as XNNPACK's transposed paths are ~10x slower.
 */
export function tfEngine(backend: LoadedBackend): MatMulEngine {
  const { tf } = backend;
  const internals = backend.name === "wasm" ? (tf.backend() as unknown as WasmBackendInternals) : null;
  const readInto = (t: import("@tensorflow/tfjs").Tensor, out: Float32Array, n: number) => {
    if (internals) {
      const offset = internals.dataIdMap.get(t.dataId).memoryOffset;
      out.set(new Float32Array(internals.wasm.HEAPU8.buffer, offset, n));
    } else {
      out.set(t.dataSync() as Float32Array);
    }
  };
  return {
    name: `tfjs-${backend.name}`,
    resident(b, k, n) {
      const tensor = tf.tensor2d(b.subarray(0, k * n), [k, n]);
      return new TfResident(b, tensor);
    },
    matmul(a, b, m, k, n, out) {
      const ta = tf.tensor2d(a.subarray(0, m * k), [m, k]);
      const tb = b instanceof TfResident ? b.tensor : tf.tensor2d(dataOf(b).subarray(0, k * n), [k, n]);
      const tc = tf.matMul(ta, tb);
      readInto(tc, out, m * n);
      ta.dispose();
      if (!(b instanceof TfResident)) tb.dispose();
      tc.dispose();
    },
    sigmoid(x, n) {
      // Below ~2k values the tensor round trip costs more than Math.exp.
      if (n < 2048) return jsSigmoid(x, n);
      const tx = tf.tensor1d(x.subarray(0, n));
      const ts = tf.sigmoid(tx);
      readInto(ts, x, n);
      tx.dispose();
      ts.dispose();
    },
  };
}

function dataOf(b: Float32Array | ResidentMatrix): Float32Array {
  return b instanceof Float32Array ? b : b.data;
}

/** A tensor that stays alive, so XNNPACK keeps its packed weights (keyed by tensor) between calls. */
class TfResident implements ResidentMatrix {
  constructor(
    readonly data: Float32Array,
    readonly tensor: import("@tensorflow/tfjs").Tensor2D,
  ) {}
  dispose(): void {
    this.tensor.dispose();
  }
}

/** Float32 buffers in the kernels' memory for the SIMD engine's one-off products, grown on demand. */
function kernelScratch() {
  const { heap } = kernels();
  const blocks: { ptr: number; floats: number }[] = [];
  return (slot: number, floats: number) => {
    const b = blocks[slot];
    if (!b || b.floats < floats) {
      if (b) heap.release(b.ptr);
      blocks[slot] = { ptr: heap.alloc(4 * floats), floats };
    }
    return blocks[slot].ptr;
  };
}

const simdEngines = new Map<number, MatMulEngine>();

/**
 * tsml's WebAssembly SIMD kernels (kernels/simd-kernels.ts): FusedLstm runs whole passes through `passes`
 * with the batch split over `threads` threads (results do not depend on the count); matmul and sigmoid
 * copy through the kernels' memory and serve everything else.
 * @example
 * const engine = simdEngine(2);
 */
export function simdEngine(threads = availableParallelism()): MatMulEngine {
  const count = Math.max(1, Math.floor(threads));
  const found = simdEngines.get(count);
  if (found) return found;
  const { exports: k, heap } = kernels();
  const scratch = kernelScratch();
  const engine: MatMulEngine = {
    name: "wasm-simd",
    get passes() {
      return simdLstmRunner(count);
    },
    resident: (b) => ({ data: b, dispose() {} }),
    matmul(a, operand, m, k2, n, out) {
      const b = dataOf(operand);
      const pa = scratch(0, m * k2);
      const pb = scratch(1, k2 * n);
      const pc = scratch(2, m * n);
      heap.f32(pa, m * k2).set(a.subarray(0, m * k2));
      heap.f32(pb, k2 * n).set(b.subarray(0, k2 * n));
      k.sgemm(0, m, n, k2, pa, k2, pb, n, pc, n, 0);
      out.set(heap.f32(pc, m * n));
    },
    sigmoid(x, n) {
      const p = scratch(0, n);
      const view = heap.f32(p, n);
      view.set(x.subarray(0, n));
      k.sigmoid_f32(p, n);
      x.set(view);
    },
  };
  simdEngines.set(count, engine);
  return engine;
}

/**
 * The engine for the LSTM on a loaded backend: tsml's SIMD kernels on wasm (or without tfjs at all), the tfjs
 * backend's own products on `--backend node` and `--backend cpu`.
 * @example
 * const engine = lstmEngine(await loadBackend(), 2);
 */
export function lstmEngine(backend: LoadedBackend | null, threads?: number): MatMulEngine {
  return backend && backend.name !== "wasm" ? tfEngine(backend) : simdEngine(threads);
}
