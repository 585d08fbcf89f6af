// Seed 002's window classifier: a lookback window scaled to [0, 1] per window -> Dense 1024 relu -> Dense 1024
// relu -> Dropout 0.2 -> softmax over the position classes, Adam + sparse categorical cross-entropy,
// training windows reshuffled every epoch. Built with tfjs-layers so it saves as a standard model.json.

import { Random } from "../../core/random.js";
import type { Tf } from "./backend.js";
import { minMaxWindows } from "./windows.js";

export interface DenseWindowParams {
  steps: number;
  units: number;
  dropout: number;
  lr: number;
  batch: number;
  epochs: number;
  seed: number;
}

export type LayersModel = import("@tensorflow/tfjs").LayersModel;

/** The network; every initializer and the dropout are seeded so a run repeats on one backend. */
export function buildDenseWindowModel(tf: Tf, params: DenseWindowParams, classes: number): LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: params.seed * 7 + k });
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [params.steps],
      units: params.units,
      activation: "relu",
      kernelInitializer: init(1),
    }),
  );
  model.add(tf.layers.dense({ units: params.units, activation: "relu", kernelInitializer: init(2) }));
  model.add(tf.layers.dropout({ rate: params.dropout, seed: params.seed }));
  model.add(tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: init(3) }));
  model.compile({ optimizer: tf.train.adam(params.lr), loss: "sparseCategoricalCrossentropy" });
  return model;
}

/**
 * Trains on windows ending at `ends` (inclusive last row) with class indices `targets`.
 * @example
 * await trainDenseWindow(tf, model, close, ends, targets, params, (e, loss) => log(e, loss));
 */
export async function trainDenseWindow(
  tf: Tf,
  model: LayersModel,
  series: ArrayLike<number>,
  ends: Uint32Array,
  targets: Float32Array,
  params: DenseWindowParams,
  onEpoch: (epoch: number, loss: number) => void = () => {},
): Promise<number[]> {
  const losses: number[] = [];
  for (let epoch = 0; epoch < params.epochs; epoch++) {
    const order = new Random(params.seed + epoch).shuffle(Uint32Array.from(ends.keys()));
    let sum = 0;
    let count = 0;
    for (let from = 0; from < order.length; from += params.batch) {
      const idx = order.subarray(from, Math.min(order.length, from + params.batch));
      const starts = Uint32Array.from(idx, (i) => ends[i] - params.steps + 1);
      const y = Float32Array.from(idx, (i) => targets[i]);
      const xs = tf.tensor2d(minMaxWindows(series, starts, params.steps), [idx.length, params.steps]);
      const ys = tf.tensor1d(y);
      const loss = (await model.trainOnBatch(xs, ys)) as number;
      xs.dispose();
      ys.dispose();
      sum += loss * idx.length;
      count += idx.length;
    }
    losses.push(sum / count);
    onEpoch(epoch + 1, sum / count);
  }
  return losses;
}

/** Class probabilities [ends.length, classes] row-major. */
export function predictDenseWindow(
  tf: Tf,
  model: LayersModel,
  series: ArrayLike<number>,
  ends: ArrayLike<number>,
  steps: number,
): Float32Array {
  const starts = Uint32Array.from(ends as ArrayLike<number>, (e) => e - steps + 1);
  return tf
    .tidy(() => {
      const xs = tf.tensor2d(minMaxWindows(series, starts, steps), [starts.length, steps]);
      return (model.predict(xs) as import("@tensorflow/tfjs").Tensor).dataSync() as Float32Array;
    })
    .slice();
}
