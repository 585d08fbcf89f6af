// A stacked LSTM with a dense output head, forward and backward (BPTT) written by hand over Float32Arrays.
// Per time step only two ops touch the engine (recurrent matMul + one sigmoid over all four gates); the input
// projections and every weight gradient are single large matMuls over all time steps at once.

import type { Random } from "../../core/random.js";
import type { MatMulEngine } from "./matmul-engine.js";
import type { PassHandle } from "./simd-lstm.js";

export interface LstmShape {
  inputSize: number;
  units: number;
  layers: number;
  outputSize: number;
  /** "sequence": an output at every step (seed 004's seq-to-seq); "last": only after the last step. */
  head: "sequence" | "last";
}

/** Everything the backward pass needs from a forward pass. */
export interface LstmCache {
  steps: number;
  batch: number;
  /** Per layer: input [T*B, I], gates [T*B, 4H] (i, f, o, g after activation), c, tanh(c), h [T*B, H]. */
  layers: { input: Float32Array; gates: Float32Array; c: Float32Array; tc: Float32Array; h: Float32Array }[];
  /** Rows fed to the head [R, H]. */
  headInput: Float32Array;
  /** The SIMD engine's own record of the pass (its buffers live in the kernels' memory); layers stay empty. */
  handle?: PassHandle;
}

/** Row-major transpose of a [rows, cols] matrix. */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[base + c];
  }
  return out;
}

function addBias(x: Float32Array, rows: number, bias: Float32Array): void {
  const n = bias.length;
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) x[o + j] += bias[j];
  }
}

function columnSums(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[j] += x[o + j];
  }
}

/**
 * Parameters in a fixed order: per layer [Wx (I x 4H), Wh (H x 4H), b (4H)], then the head [Wp (H x O), bp (O)].
 * Gate blocks along 4H are i, f, o, g.
 * @example
 * const net = FusedLstm.create({ inputSize: 1, units: 100, layers: 3, outputSize: 1, head: "sequence" }, rng);
 */
export class FusedLstm {
  /** Reused work buffers: allocating ~20 MB per iteration made the garbage collector ~10% of training time. */
  private readonly buffers = new Map<string, Float32Array>();

  constructor(
    readonly shape: LstmShape,
    readonly params: Float32Array[],
  ) {}

  /** A work buffer of `size` floats under `key`, reused between calls (contents are stale unless `zero`). */
  private scratch(key: string, size: number, zero = false): Float32Array {
    let buffer = this.buffers.get(key);
    if (!buffer || buffer.length !== size) {
      buffer = new Float32Array(size);
      this.buffers.set(key, buffer);
    } else if (zero) buffer.fill(0);
    return buffer;
  }

  /** Glorot-uniform kernels (as TF's BasicLSTMCell), zero biases except forget gate = 1 (its forget_bias). */
  static create(shape: LstmShape, rng: Random): FusedLstm {
    const { inputSize, units: h, layers, outputSize } = shape;
    const uniform = (n: number, limit: number) => {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = (rng.next() * 2 - 1) * limit;
      return a;
    };
    const params: Float32Array[] = [];
    for (let l = 0; l < layers; l++) {
      const inSize = l === 0 ? inputSize : h;
      const limit = Math.sqrt(6 / (inSize + h + 4 * h));
      params.push(uniform(inSize * 4 * h, limit), uniform(h * 4 * h, limit));
      const b = new Float32Array(4 * h);
      b.fill(1, h, 2 * h);
      params.push(b);
    }
    params.push(uniform(h * outputSize, Math.sqrt(6 / (h + outputSize))), new Float32Array(outputSize));
    return new FusedLstm(shape, params);
  }

  parameterCount(): number {
    return this.params.reduce((s, p) => s + p.length, 0);
  }

  /**
   * x is time-major [T, B, inputSize]. Returns the head output: [T*B, O] (time-major) or [B, O].
   * The g-gate columns of the weights are doubled on the way in so that one sigmoid covers all gates:
   * tanh(z) = 2 * sigmoid(2z) - 1.
   */
  forward(
    x: Float32Array,
    steps: number,
    batch: number,
    engine: MatMulEngine,
  ): { output: Float32Array; cache: LstmCache } {
    if (engine.passes) {
      const { output, handle } = engine.passes.forward(this, x, steps, batch);
      return { output, cache: { steps, batch, layers: [], headInput: new Float32Array(0), handle } };
    }
    const { units: H, layers, outputSize: O, head } = this.shape;
    const G = 4 * H;
    const rows = steps * batch;
    const cache: LstmCache = { steps, batch, layers: [], headInput: new Float32Array(0) };
    let input = x;
    let inSize = this.shape.inputSize;
    const recurrent = new Float32Array(batch * G);
    const zeros = new Float32Array(batch * H);
    for (let l = 0; l < layers; l++) {
      const [wx, wh, b] = this.params.slice(3 * l, 3 * l + 3);
      const wxs = doubleGateG(wx, inSize, H);
      const whs = engine.resident(doubleGateG(wh, H, H), H, G);
      const bs = doubleGateG(b, 1, H);
      const gates = this.scratch(`gates${l}`, rows * G);
      engine.matmul(input, wxs, rows, inSize, G, gates);
      const c = this.scratch(`c${l}`, rows * H);
      const tc = this.scratch(`tc${l}`, rows * H);
      const h = this.scratch(`h${l}`, rows * H);
      for (let t = 0; t < steps; t++) {
        const z = gates.subarray(t * batch * G, (t + 1) * batch * G);
        // The bias is added here rather than in its own pass over all steps (one sweep of memory less).
        if (t > 0) {
          engine.matmul(h.subarray((t - 1) * batch * H, t * batch * H), whs, batch, H, G, recurrent);
          for (let r = 0; r < batch; r++) {
            const o = r * G;
            for (let j = 0; j < G; j++) z[o + j] += recurrent[o + j] + bs[j];
          }
        } else addBias(z, batch, bs);
        engine.sigmoid(z, z.length);
        const cOff = t * batch * H;
        const cPrevRow = t > 0 ? c.subarray(cOff - batch * H, cOff) : zeros;
        cellState(z, cPrevRow, c, tc, batch, H, cOff);
        const tcs = tc.subarray(cOff, cOff + batch * H);
        engine.sigmoid(tcs, tcs.length);
        cellOutput(z, tc, h, batch, H, cOff);
      }
      whs.dispose();
      cache.layers.push({ input, gates, c, tc, h });
      input = h;
      inSize = H;
    }
    const headRows = head === "sequence" ? rows : batch;
    const headInput = head === "sequence" ? input : input.subarray(rows * H - batch * H);
    const [wp, bp] = this.params.slice(3 * layers);
    // The head is H x O with O tiny: plain loops beat a tensor round trip of the whole hidden sequence.
    const output = new Float32Array(headRows * O);
    for (let r = 0; r < headRows; r++) {
      for (let k = 0; k < O; k++) {
        let sum = bp[k];
        for (let j = 0; j < H; j++) sum += headInput[r * H + j] * wp[j * O + k];
        output[r * O + k] = sum;
      }
    }
    cache.headInput = headInput;
    return { output, cache };
  }

  /** Gradients of the loss for every parameter, given dLoss/dOutput (same layout as forward's output). */
  backward(cache: LstmCache, dOutput: Float32Array, engine: MatMulEngine): Float32Array[] {
    if (cache.handle) {
      if (!engine.passes) throw new Error("backward(): the cache comes from the SIMD engine's forward()");
      return engine.passes.backward(this, cache.handle, dOutput);
    }
    const { units: H, layers, outputSize: O, head } = this.shape;
    const G = 4 * H;
    const { steps, batch } = cache;
    const rows = steps * batch;
    const grads = this.params.map((p) => new Float32Array(p.length));
    const headRows = head === "sequence" ? rows : batch;
    const [wp] = this.params.slice(3 * layers);
    const headInput = cache.headInput;
    const dWp = grads[3 * layers];
    columnSums(dOutput, headRows, O, grads[3 * layers + 1]);
    // dH of the top layer: every step for a sequence head, only the last step otherwise.
    let dH = this.scratch("dH", rows * H, true);
    const headOffset = head === "sequence" ? 0 : rows * H - batch * H;
    for (let r = 0; r < headRows; r++) {
      for (let k = 0; k < O; k++) {
        const d = dOutput[r * O + k];
        for (let j = 0; j < H; j++) {
          dWp[j * O + k] += headInput[r * H + j] * d;
          dH[headOffset + r * H + j] += d * wp[j * O + k];
        }
      }
    }
    const dhNext = new Float32Array(batch * H);
    const zeros = new Float32Array(batch * H);
    const dcNext = new Float32Array(batch * H);
    for (let l = layers - 1; l >= 0; l--) {
      const { input, gates, c, tc, h } = cache.layers[l];
      const inSize = l === 0 ? this.shape.inputSize : H;
      const [wx, wh] = this.params.slice(3 * l, 3 * l + 2);
      const whT = engine.resident(transpose(wh, H, G), G, H);
      const dZ = this.scratch("dZ", rows * G);
      const db = grads[3 * l + 2];
      dhNext.fill(0);
      dcNext.fill(0);
      for (let t = steps - 1; t >= 0; t--) {
        const off = t * batch * H;
        const cPrevRow = t > 0 ? c.subarray(off - batch * H, off) : zeros;
        cellBackward(gates, tc, dH, dhNext, dcNext, cPrevRow, dZ, db, batch, H, t);
        if (t > 0) engine.matmul(dZ.subarray(t * batch * G, (t + 1) * batch * G), whT, batch, G, H, dhNext);
      }
      whT.dispose();
      // [dWx; dWh] = [x_t, h_{t-1}]^T @ dZ in one product (h_{-1} = 0), with the operand built transposed.
      const joint = this.scratch(`joint${l}`, (inSize + H) * rows);
      for (let q = 0; q < H; q++) joint.fill(0, (inSize + q) * rows, (inSize + q) * rows + batch);
      for (let r = 0; r < rows; r++) {
        for (let q = 0; q < inSize; q++) joint[q * rows + r] = input[r * inSize + q];
      }
      for (let r = batch; r < rows; r++) {
        const src = (r - batch) * H;
        for (let q = 0; q < H; q++) joint[(inSize + q) * rows + r] = h[src + q];
      }
      const dW = this.scratch(`dW${l}`, (inSize + H) * G);
      engine.matmul(joint, dZ, inSize + H, rows, G, dW);
      grads[3 * l].set(dW.subarray(0, inSize * G));
      grads[3 * l + 1].set(dW.subarray(inSize * G));
      if (l > 0) {
        const dInput = this.scratch(l % 2 === 0 ? "dInputA" : "dInputB", rows * H);
        engine.matmul(dZ, transpose(wx, inSize, G), rows, G, inSize, dInput);
        dH = dInput;
      }
    }
    return grads;
  }
}

/** Copy of a [rows, 4H] matrix with its g-gate block doubled (see forward). */
function doubleGateG(w: Float32Array, rows: number, H: number): Float32Array {
  const out = Float32Array.from(w);
  const G = 4 * H;
  for (let r = 0; r < rows; r++) {
    const o = r * G + 3 * H;
    for (let j = 0; j < H; j++) out[o + j] *= 2;
  }
  return out;
}

// The per-step elementwise passes live in small functions of their own so V8 optimises them as tight loops
// (inside the long forward/backward bodies they ran ~12 ns per cell).

/** c = f * c_prev + i * g (g = 2 sigmoid(2z) - 1 written back into the gates), and 2c for the tanh trick. */
function cellState(
  z: Float32Array,
  cPrevRow: Float32Array,
  c: Float32Array,
  tc: Float32Array,
  batch: number,
  H: number,
  cOff: number,
): void {
  const G = 4 * H;
  for (let bi = 0; bi < batch; bi++) {
    const zo = bi * G;
    const ro = cOff + bi * H;
    const po = bi * H;
    for (let j = 0; j < H; j++) {
      const g = 2 * z[zo + 3 * H + j] - 1;
      z[zo + 3 * H + j] = g;
      const cv = z[zo + H + j] * cPrevRow[po + j] + z[zo + j] * g;
      c[ro + j] = cv;
      tc[ro + j] = 2 * cv;
    }
  }
}

/** tanh(c) = 2 sigmoid(2c) - 1 (the sigmoid already applied to tc), h = o * tanh(c). */
function cellOutput(
  z: Float32Array,
  tc: Float32Array,
  h: Float32Array,
  batch: number,
  H: number,
  cOff: number,
): void {
  const G = 4 * H;
  for (let bi = 0; bi < batch; bi++) {
    const zo = bi * G + 2 * H;
    const ro = cOff + bi * H;
    for (let j = 0; j < H; j++) {
      const tv = 2 * tc[ro + j] - 1;
      tc[ro + j] = tv;
      h[ro + j] = z[zo + j] * tv;
    }
  }
}

/** One step of BPTT through the cell: gate pre-activation gradients dZ, bias gradient, and the carries. */
function cellBackward(
  gates: Float32Array,
  tc: Float32Array,
  dH: Float32Array,
  dhNext: Float32Array,
  dcNext: Float32Array,
  cPrevRow: Float32Array,
  dZ: Float32Array,
  db: Float32Array,
  batch: number,
  H: number,
  t: number,
): void {
  const G = 4 * H;
  const off = t * batch * H;
  for (let bi = 0; bi < batch; bi++) {
    const zo = (t * batch + bi) * G;
    const ro = off + bi * H;
    const no = bi * H;
    for (let j = 0; j < H; j++) {
      const i = gates[zo + j];
      const f = gates[zo + H + j];
      const o = gates[zo + 2 * H + j];
      const g = gates[zo + 3 * H + j];
      const tv = tc[ro + j];
      const dh = dH[ro + j] + dhNext[no + j];
      const dc = dcNext[no + j] + dh * o * (1 - tv * tv);
      const zi = dc * g * i * (1 - i);
      const zf = dc * cPrevRow[no + j] * f * (1 - f);
      const zOut = dh * tv * o * (1 - o);
      const zg = dc * i * (1 - g * g);
      dZ[zo + j] = zi;
      dZ[zo + H + j] = zf;
      dZ[zo + 2 * H + j] = zOut;
      dZ[zo + 3 * H + j] = zg;
      // Bias gradient accumulated here instead of a separate column-sum pass.
      db[j] += zi;
      db[H + j] += zf;
      db[2 * H + j] += zOut;
      db[3 * H + j] += zg;
      dcNext[no + j] = dc * f;
    }
  }
}
