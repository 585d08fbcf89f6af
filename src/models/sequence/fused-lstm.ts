// A stacked LSTM with a dense output head, forward and backward (BPTT) written by hand over Float32Arrays.
// Per time step only two ops touch the engine (recurrent matMul + one sigmoid over all four gates); the input
// projections and every weight gradient are single large matMuls over all time steps at once.

import type { Random } from "../../core/random.js";
import type { MatMulEngine } from "./matmul-engine.js";

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
  constructor(
    readonly shape: LstmShape,
    readonly params: Float32Array[],
  ) {}

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
    const { units: H, layers, outputSize: O, head } = this.shape;
    const G = 4 * H;
    const rows = steps * batch;
    const cache: LstmCache = { steps, batch, layers: [], headInput: new Float32Array(0) };
    let input = x;
    let inSize = this.shape.inputSize;
    const recurrent = new Float32Array(batch * G);
    for (let l = 0; l < layers; l++) {
      const [wx, wh, b] = this.params.slice(3 * l, 3 * l + 3);
      const wxs = doubleGateG(wx, inSize, H);
      const whs = engine.resident(doubleGateG(wh, H, H), H, G);
      const bs = doubleGateG(b, 1, H);
      const gates = new Float32Array(rows * G);
      engine.matmul(input, wxs, rows, inSize, G, gates);
      addBias(gates, rows, bs);
      const c = new Float32Array(rows * H);
      const tc = new Float32Array(rows * H);
      const h = new Float32Array(rows * H);
      for (let t = 0; t < steps; t++) {
        const z = gates.subarray(t * batch * G, (t + 1) * batch * G);
        if (t > 0) {
          engine.matmul(h.subarray((t - 1) * batch * H, t * batch * H), whs, batch, H, G, recurrent);
          for (let i = 0; i < z.length; i++) z[i] += recurrent[i];
        }
        engine.sigmoid(z, z.length);
        const cOff = t * batch * H;
        const cPrev = t * batch * H - batch * H;
        for (let bi = 0; bi < batch; bi++) {
          const zo = bi * G;
          const ro = cOff + bi * H;
          for (let j = 0; j < H; j++) {
            const g = 2 * z[zo + 3 * H + j] - 1;
            z[zo + 3 * H + j] = g;
            const prev = t > 0 ? c[cPrev + bi * H + j] : 0;
            const cv = z[zo + H + j] * prev + z[zo + j] * g;
            c[ro + j] = cv;
            // 2 * cv for the tanh-as-sigmoid trick, finished after the batched sigmoid below.
            tc[ro + j] = 2 * cv;
          }
        }
        const tcs = tc.subarray(cOff, cOff + batch * H);
        engine.sigmoid(tcs, tcs.length);
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
      whs.dispose();
      cache.layers.push({ input, gates, c, tc, h });
      input = h;
      inSize = H;
    }
    const headRows = head === "sequence" ? rows : batch;
    const headInput = head === "sequence" ? input : input.subarray(rows * H - batch * H);
    const [wp, bp] = this.params.slice(3 * layers);
    const output = new Float32Array(headRows * O);
    engine.matmul(headInput, wp, headRows, H, O, output);
    addBias(output, headRows, bp);
    cache.headInput = headInput;
    return { output, cache };
  }

  /** Gradients of the loss for every parameter, given dLoss/dOutput (same layout as forward's output). */
  backward(cache: LstmCache, dOutput: Float32Array, engine: MatMulEngine): Float32Array[] {
    const { units: H, layers, outputSize: O, head } = this.shape;
    const G = 4 * H;
    const { steps, batch } = cache;
    const rows = steps * batch;
    const grads = this.params.map((p) => new Float32Array(p.length));
    const headRows = head === "sequence" ? rows : batch;
    const [wp] = this.params.slice(3 * layers);
    engine.matmul(transpose(cache.headInput, headRows, H), dOutput, H, headRows, O, grads[3 * layers]);
    columnSums(dOutput, headRows, O, grads[3 * layers + 1]);
    // dH of the top layer: every step for a sequence head, only the last step otherwise.
    let dH = new Float32Array(rows * H);
    const dHead = new Float32Array(headRows * H);
    engine.matmul(dOutput, transpose(wp, H, O), headRows, O, H, dHead);
    dH.set(dHead, head === "sequence" ? 0 : rows * H - batch * H);
    const dhNext = new Float32Array(batch * H);
    const dcNext = new Float32Array(batch * H);
    for (let l = layers - 1; l >= 0; l--) {
      const { input, gates, c, tc, h } = cache.layers[l];
      const inSize = l === 0 ? this.shape.inputSize : H;
      const [wx, wh] = this.params.slice(3 * l, 3 * l + 2);
      const whT = engine.resident(transpose(wh, H, G), G, H);
      const dZ = new Float32Array(rows * G);
      dhNext.fill(0);
      dcNext.fill(0);
      for (let t = steps - 1; t >= 0; t--) {
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
            const prev = t > 0 ? c[ro - batch * H + j] : 0;
            dZ[zo + j] = dc * g * i * (1 - i);
            dZ[zo + H + j] = dc * prev * f * (1 - f);
            dZ[zo + 2 * H + j] = dh * tv * o * (1 - o);
            dZ[zo + 3 * H + j] = dc * i * (1 - g * g);
            dcNext[no + j] = dc * f;
          }
        }
        if (t > 0) engine.matmul(dZ.subarray(t * batch * G, (t + 1) * batch * G), whT, batch, G, H, dhNext);
      }
      whT.dispose();
      // [dWx; dWh] = [x_t, h_{t-1}]^T @ dZ in one product (h_{-1} = 0), with the operand built transposed.
      const joint = new Float32Array((inSize + H) * rows);
      for (let r = 0; r < rows; r++) {
        for (let q = 0; q < inSize; q++) joint[q * rows + r] = input[r * inSize + q];
      }
      for (let r = batch; r < rows; r++) {
        const src = (r - batch) * H;
        for (let q = 0; q < H; q++) joint[(inSize + q) * rows + r] = h[src + q];
      }
      const dW = new Float32Array((inSize + H) * G);
      engine.matmul(joint, dZ, inSize + H, rows, G, dW);
      grads[3 * l].set(dW.subarray(0, inSize * G));
      grads[3 * l + 1].set(dW.subarray(inSize * G));
      columnSums(dZ, rows, G, grads[3 * l + 2]);
      if (l > 0) {
        const dInput = new Float32Array(rows * H);
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
