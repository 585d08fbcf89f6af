// Dense matrix products for the fused LSTM: a plain-JS engine and one on the active tfjs backend.

import type { LoadedBackend } from "./backend.js";

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
