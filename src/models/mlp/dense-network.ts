// A small fully-connected binary classifier on typed arrays (hidden relu/tanh layers, sigmoid output),
// trained by minibatch Adam or Nesterov SGD on weighted cross-entropy; shared by `mlp` and `nn`.

import { Random } from "../../core/random.js";

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

/** Forward pass for `rows` row-major inputs; returns every layer's activations (last = P(class 1)). */
function forward(net: NetworkWeights, input: Float64Array, rows: number): Float64Array[] {
  const acts: Float64Array[] = [input];
  const L = net.weights.length;
  for (let l = 0; l < L; l++) {
    const nIn = net.sizes[l];
    const nOut = net.sizes[l + 1];
    const W = net.weights[l];
    const b = net.biases[l];
    const prev = acts[l];
    const out = new Float64Array(rows * nOut);
    for (let r = 0; r < rows; r++) {
      const o = r * nOut;
      out.set(b, o);
      const p = r * nIn;
      for (let i = 0; i < nIn; i++) {
        const a = prev[p + i];
        if (a === 0) continue;
        const wi = i * nOut;
        for (let k = 0; k < nOut; k++) out[o + k] += a * W[wi + k];
      }
    }
    const last = l === L - 1;
    for (let k = 0; k < out.length; k++) {
      const z = out[k];
      if (last) out[k] = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      else if (net.activation === "relu") out[k] = Math.max(z, 0);
      else out[k] = Math.tanh(z);
    }
    acts.push(out);
  }
  return acts;
}

/** P(class 1) for row-major inputs. */
export function predictNetwork(net: NetworkWeights, input: Float64Array, rows: number): Float64Array {
  const acts = forward(net, input, rows);
  return acts[acts.length - 1];
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
  const batchX = new Float64Array(batchSize * d);
  const losses: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let stale = 0;
  let step = 0;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    rng.shuffle(order);
    let epochLoss = 0;
    for (let start = 0; start < n; start += batchSize) {
      const rows = Math.min(batchSize, n - start);
      for (let r = 0; r < rows; r++)
        batchX.set(X.subarray(order[start + r] * d, order[start + r] * d + d), r * d);
      const acts = forward(net, batchX, rows);
      // Output delta for sigmoid + cross-entropy: w (p - y) / batch.
      let delta = new Float64Array(rows);
      const out = acts[L];
      for (let r = 0; r < rows; r++) {
        const row = order[start + r];
        const p = Math.min(1 - 1e-15, Math.max(1e-15, out[r]));
        epochLoss -= weight[row] * (y[row] === 1 ? Math.log(p) : Math.log(1 - p));
        delta[r] = (weight[row] * (out[r] - y[row])) / rows;
      }
      for (let l = L - 1; l >= 0; l--) {
        const nIn = net.sizes[l];
        const nOut = net.sizes[l + 1];
        const W = net.weights[l];
        const gW = gradW[l];
        const gB = gradB[l];
        const prev = acts[l];
        gB.fill(0);
        for (let k = 0; k < gW.length; k++) gW[k] = (settings.alpha * W[k]) / rows;
        for (let r = 0; r < rows; r++) {
          const o = r * nOut;
          const p = r * nIn;
          for (let k = 0; k < nOut; k++) gB[k] += delta[o + k];
          for (let i = 0; i < nIn; i++) {
            const a = prev[p + i];
            if (a === 0) continue;
            const wi = i * nOut;
            for (let k = 0; k < nOut; k++) gW[wi + k] += a * delta[o + k];
          }
        }
        if (l > 0) {
          const next = new Float64Array(rows * nIn);
          for (let r = 0; r < rows; r++) {
            const o = r * nOut;
            const p = r * nIn;
            for (let i = 0; i < nIn; i++) {
              const a = prev[p + i];
              const deriv = net.activation === "relu" ? (a > 0 ? 1 : 0) : 1 - a * a;
              if (deriv === 0) continue;
              const wi = i * nOut;
              let s = 0;
              for (let k = 0; k < nOut; k++) s += delta[o + k] * W[wi + k];
              next[p + i] = s * deriv;
            }
          }
          delta = next;
        }
      }
      step++;
      for (let l = 0; l < L; l++) {
        update(net.weights[l], gradW[l], m1W[l], m2W[l], settings, step);
        update(net.biases[l], gradB[l], m1B[l], m2B[l], settings, step);
      }
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

export function networkFromJson(json: ReturnType<typeof networkToJson>): NetworkWeights {
  return {
    sizes: json.sizes,
    activation: json.activation,
    weights: json.weights.map((w) => Float64Array.from(w)),
    biases: json.biases.map((b) => Float64Array.from(b)),
  };
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
