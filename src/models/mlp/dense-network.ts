// A small fully-connected binary classifier on typed arrays (hidden relu/tanh layers, sigmoid output),
// trained by minibatch Adam or Nesterov SGD on weighted cross-entropy; shared by `mlp` and `nn`.

import { Random } from "../../core/random.js";
import type { StateReader } from "../common/state-reader.js";
import { kernels } from "../kernels/simd-kernels.js";

export type Activation = "relu" | "tanh";

export interface NetworkShape {
  inputs: number;
  hidden: number[];
  activation: Activation;
}

export interface TrainSettings {
  solver: "adam" | "sgd";
  learningRate: number;
  /** L2 penalty: alpha/2 · ‖W‖² / batch size added to the batch loss (scikit-learn's convention). */
  alpha: number;
  batchSize: number;
  epochs: number;
  /** Stop when the epoch loss has not improved by `tol` for `patience` epochs (0 = always run every epoch). */
  tol: number;
  patience: number;
  seed: number;
}

/** Weights and biases per layer; layer l maps sizes[l] inputs to sizes[l+1] outputs, weights row-major by input. */
export interface NetworkWeights {
  sizes: number[];
  activation: Activation;
  weights: Float64Array[];
  biases: Float64Array[];
}

/** Glorot-uniform initial weights, zero biases (the initialiser of both Keras Dense and scikit-learn's MLP). */
export function initNetwork(shape: NetworkShape, rng: Random): NetworkWeights {
  const sizes = [shape.inputs, ...shape.hidden, 1];
  const weights: Float64Array[] = [];
  const biases: Float64Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const bound = Math.sqrt(6 / (sizes[l] + sizes[l + 1]));
    const w = new Float64Array(sizes[l] * sizes[l + 1]);
    for (let k = 0; k < w.length; k++) w[k] = (rng.next() * 2 - 1) * bound;
    weights.push(w);
    biases.push(new Float64Array(sizes[l + 1]));
  }
  return { sizes, activation: shape.activation, weights, biases };
}

/** A float64 block in the kernels' memory: its byte offset and a view. */
interface Block {
  ptr: number;
  v: Float64Array;
}

/**
 * One network's working set in the kernels' memory for batches of up to `capacity` rows: weights (and their
 * transposes for back-propagation), biases, every layer's activations and deltas, gradients. The products run
 * in the f64 SIMD kernel, which sums each element in the same order as a plain loop over the inputs.
 */
class NetworkBuffers {
  readonly W: Block[] = [];
  readonly WT: Block[] = [];
  readonly b: Block[] = [];
  readonly gW: Block[] = [];
  readonly gB: Block[] = [];
  /** acts[0] is the input batch; acts[l + 1] the output of layer l. */
  readonly acts: Block[] = [];
  /** deltas[l]: dLoss/d(pre-activation) of layer l's outputs. */
  readonly deltas: Block[] = [];
  private readonly owned: number[] = [];

  constructor(
    readonly sizes: number[],
    readonly activation: Activation,
    readonly capacity: number,
  ) {
    const L = sizes.length - 1;
    this.acts.push(this.block(capacity * sizes[0]));
    for (let l = 0; l < L; l++) {
      const n = sizes[l] * sizes[l + 1];
      this.W.push(this.block(n));
      this.WT.push(this.block(n));
      this.gW.push(this.block(n));
      this.b.push(this.block(sizes[l + 1]));
      this.gB.push(this.block(sizes[l + 1]));
      this.acts.push(this.block(capacity * sizes[l + 1]));
      this.deltas.push(this.block(capacity * sizes[l + 1]));
    }
  }

  private block(n: number): Block {
    const { heap } = kernels();
    const ptr = heap.alloc(8 * Math.max(1, n));
    this.owned.push(ptr);
    return { ptr, v: heap.f64(ptr, n) };
  }

  load(net: NetworkWeights): void {
    for (let l = 0; l < net.weights.length; l++) {
      this.W[l].v.set(net.weights[l]);
      this.b[l].v.set(net.biases[l]);
    }
  }

  release(): void {
    const { heap } = kernels();
    for (const ptr of this.owned) heap.release(ptr);
    this.owned.length = 0;
  }

  /** Forward pass over the first `rows` rows of acts[0]; the last layer's output is P(class 1). */
  forward(rows: number): void {
    const k = kernels().exports;
    const L = this.W.length;
    for (let l = 0; l < L; l++) {
      const nIn = this.sizes[l];
      const nOut = this.sizes[l + 1];
      const out = this.acts[l + 1].v;
      k.fill_rows_f64(this.acts[l + 1].ptr, this.b[l].ptr, rows, nOut);
      k.dgemm(0, rows, nOut, nIn, this.acts[l].ptr, nIn, this.W[l].ptr, nOut, this.acts[l + 1].ptr, nOut, 1);
      const n = rows * nOut;
      if (l === L - 1) {
        for (let i = 0; i < n; i++) {
          const z = out[i];
          out[i] = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
        }
      } else if (this.activation === "relu") {
        k.relu_f64(this.acts[l + 1].ptr, n);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.tanh(out[i]);
      }
    }
  }

  /**
   * Gradients of the batch loss into gW/gB, from the output deltas already in deltas[L-1]; the L2 term
   * alpha · W / rows starts each weight gradient.
   */
  backward(rows: number, alpha: number): void {
    const k = kernels().exports;
    for (let l = this.W.length - 1; l >= 0; l--) {
      const nIn = this.sizes[l];
      const nOut = this.sizes[l + 1];
      const W = this.W[l].v;
      k.l2_start_f64(this.gW[l].ptr, this.W[l].ptr, nIn * nOut, alpha, rows);
      k.dgemm(1, nIn, nOut, rows, this.acts[l].ptr, nIn, this.deltas[l].ptr, nOut, this.gW[l].ptr, nOut, 1);
      k.column_sums_f64(this.deltas[l].ptr, rows, nOut, this.gB[l].ptr);
      if (l === 0) continue;
      const WT = this.WT[l].v;
      for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) WT[j * nIn + i] = W[i * nOut + j];
      const next = this.deltas[l - 1];
      k.dgemm(0, rows, nIn, nOut, this.deltas[l].ptr, nOut, this.WT[l].ptr, nIn, next.ptr, nIn, 0);
      if (this.activation === "relu") k.relu_backward_f64(next.ptr, this.acts[l].ptr, rows * nIn);
      else k.tanh_backward_f64(next.ptr, this.acts[l].ptr, rows * nIn);
    }
  }
}

/** Rows per forward call when predicting (bounds the activations held at once). */
const PREDICT_ROWS = 4096;

/** P(class 1) for row-major inputs. */
export function predictNetwork(net: NetworkWeights, input: Float64Array, rows: number): Float64Array {
  const d = net.sizes[0];
  const out = new Float64Array(rows);
  const buf = new NetworkBuffers(net.sizes, net.activation, Math.max(1, Math.min(rows, PREDICT_ROWS)));
  try {
    buf.load(net);
    const last = buf.acts[buf.acts.length - 1].v;
    for (let from = 0; from < rows; from += PREDICT_ROWS) {
      const n = Math.min(PREDICT_ROWS, rows - from);
      buf.acts[0].v.set(input.subarray(from * d, (from + n) * d));
      buf.forward(n);
      out.set(last.subarray(0, n), from);
    }
  } finally {
    buf.release();
  }
  return out;
}

/**
 * Gradients of the mean weighted cross-entropy (plus alpha/2 · ‖W‖² / rows) over all rows, for checks:
 * weights then biases per layer.
 */
export function networkGradients(
  net: NetworkWeights,
  X: Float64Array,
  y: Float64Array,
  weight: Float64Array,
  alpha: number,
): { weights: Float64Array[]; biases: Float64Array[] } {
  const rows = y.length;
  const buf = new NetworkBuffers(net.sizes, net.activation, rows);
  try {
    buf.load(net);
    buf.acts[0].v.set(X.subarray(0, rows * net.sizes[0]));
    buf.forward(rows);
    const out = buf.acts[buf.acts.length - 1].v;
    const delta = buf.deltas[buf.deltas.length - 1].v;
    for (let r = 0; r < rows; r++) delta[r] = (weight[r] * (out[r] - y[r])) / rows;
    buf.backward(rows, alpha);
    return {
      weights: buf.gW.map((g) => Float64Array.from(g.v)),
      biases: buf.gB.map((g) => Float64Array.from(g.v)),
    };
  } finally {
    buf.release();
  }
}

/** Trains in place; returns the loss of each epoch. */
export function trainNetwork(
  net: NetworkWeights,
  X: Float64Array,
  y: Float64Array,
  weight: Float64Array,
  settings: TrainSettings,
): number[] {
  const n = y.length;
  const d = net.sizes[0];
  const L = net.weights.length;
  const rng = new Random(settings.seed ^ 0x5eed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const gradW = net.weights.map((w) => new Float64Array(w.length));
  const gradB = net.biases.map((b) => new Float64Array(b.length));
  const m1W = net.weights.map((w) => new Float64Array(w.length));
  const m2W = net.weights.map((w) => new Float64Array(w.length));
  const m1B = net.biases.map((b) => new Float64Array(b.length));
  const m2B = net.biases.map((b) => new Float64Array(b.length));
  const batchSize = Math.max(1, Math.min(settings.batchSize, n));
  const buf = new NetworkBuffers(net.sizes, net.activation, batchSize);
  const losses: number[] = [];
  try {
    buf.load(net);
    const batchX = buf.acts[0].v;
    // Rows are gathered in an ordinary array and copied in once: many small copies into a view of the kernels'
    // shared memory cost more than the copy itself.
    const gather = new Float64Array(batchSize * d);
    const out = buf.acts[L].v;
    const delta = buf.deltas[L - 1].v;
    let best = Number.POSITIVE_INFINITY;
    let stale = 0;
    let step = 0;
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      rng.shuffle(order);
      let epochLoss = 0;
      for (let start = 0; start < n; start += batchSize) {
        const rows = Math.min(batchSize, n - start);
        for (let r = 0; r < rows; r++) {
          const src = order[start + r] * d;
          for (let j = 0; j < d; j++) gather[r * d + j] = X[src + j];
        }
        batchX.set(gather.subarray(0, rows * d));
        buf.forward(rows);
        // Output delta for sigmoid + cross-entropy: w (p - y) / batch.
        for (let r = 0; r < rows; r++) {
          const row = order[start + r];
          const p = Math.min(1 - 1e-15, Math.max(1e-15, out[r]));
          epochLoss -= weight[row] * (y[row] === 1 ? Math.log(p) : Math.log(1 - p));
          delta[r] = (weight[row] * (out[r] - y[row])) / rows;
        }
        buf.backward(rows, settings.alpha);
        step++;
        // The optimiser runs on ordinary arrays (see `gather`), then the weights go back in one copy each.
        for (let l = 0; l < L; l++) {
          gradW[l].set(buf.gW[l].v);
          gradB[l].set(buf.gB[l].v);
          update(net.weights[l], gradW[l], m1W[l], m2W[l], settings, step);
          update(net.biases[l], gradB[l], m1B[l], m2B[l], settings, step);
        }
        buf.load(net);
      }
      epochLoss /= n;
      losses.push(epochLoss);
      if (settings.patience > 0) {
        if (epochLoss > best - settings.tol) {
          stale++;
          if (stale >= settings.patience) break;
        } else stale = 0;
        best = Math.min(best, epochLoss);
      }
    }
  } finally {
    buf.release();
  }
  return losses;
}

/** Adam (β 0.9/0.999, ε 1e-8) or SGD with Nesterov momentum 0.9, as both libraries default to. */
function update(
  param: Float64Array,
  grad: Float64Array,
  m1: Float64Array,
  m2: Float64Array,
  s: TrainSettings,
  step: number,
): void {
  const lr = s.learningRate;
  if (s.solver === "adam") {
    const c1 = 1 - 0.9 ** step;
    const c2 = 1 - 0.999 ** step;
    const rate = (lr * Math.sqrt(c2)) / c1;
    for (let k = 0; k < param.length; k++) {
      m1[k] = 0.9 * m1[k] + 0.1 * grad[k];
      m2[k] = 0.999 * m2[k] + 0.001 * grad[k] * grad[k];
      param[k] -= (rate * m1[k]) / (Math.sqrt(m2[k]) + 1e-8);
    }
  } else {
    for (let k = 0; k < param.length; k++) {
      m1[k] = 0.9 * m1[k] - lr * grad[k];
      param[k] += 0.9 * m1[k] - lr * grad[k];
    }
  }
}

/** JSON form of the weights. */
export function networkToJson(net: NetworkWeights) {
  return {
    sizes: net.sizes,
    activation: net.activation,
    weights: net.weights.map((w) => [...w]),
    biases: net.biases.map((b) => [...b]),
  };
}

/**
 * The network saved by `networkToJson`, every field checked: layer sizes (one output), one weight matrix and bias
 * vector of the right length per layer, finite values.
 */
export function networkFromJson(read: StateReader, json: unknown, field: string): NetworkWeights {
  const net = read.object(json, field);
  const sizes = Array.from(read.numbers(net.sizes, `${field}.sizes`, { integer: true, min: 1 }));
  if (sizes.length < 2 || sizes[sizes.length - 1] !== 1)
    read.fail(`${field}.sizes`, `is [${sizes}], expected input, hidden and one output size`);
  const layers = sizes.length - 1;
  const weights = read
    .array(net.weights, `${field}.weights`, layers)
    .map((w, l) => read.numbers(w, `${field}.weights[${l}]`, { length: sizes[l] * sizes[l + 1] }));
  const biases = read
    .array(net.biases, `${field}.biases`, layers)
    .map((b, l) => read.numbers(b, `${field}.biases[${l}]`, { length: sizes[l + 1] }));
  const activation = read.choice(net.activation, `${field}.activation`, ["relu", "tanh"] as const);
  return { sizes, activation, weights, biases };
}

/** Row-major copy of column-major features. */
export function rowMajor(columns: readonly Float64Array[], rows: number): Float64Array {
  const d = columns.length;
  const out = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) {
    const col = columns[j];
    for (let i = 0; i < rows; i++) out[i * d + j] = col[i];
  }
  return out;
}
