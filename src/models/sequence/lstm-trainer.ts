// Training loop for the fused LSTM: seed 004's random sorted batches per iteration (or shuffled epochs), Adam,
// MSE (regression) or logistic loss (up/down), early stopping on a validation tail, and windowed prediction.

import { DataError } from "../../core/errors.js";
import { Random } from "../../core/random.js";
import { Adam } from "./adam.js";
import { FusedLstm } from "./fused-lstm.js";
import type { MatMulEngine } from "./matmul-engine.js";
import { horizonTargets, sampleWindowStarts, shiftedTargets, timeMajorWindows } from "./windows.js";

export interface LstmTrainParams {
  steps: number;
  layers: number;
  units: number;
  lr: number;
  batch: number;
  /** Random-batch iterations (seed 004); ignored when `epochs` is set. */
  iterations: number;
  /** Full shuffled passes over every window instead of random batches. */
  epochs: number | null;
  horizon: number;
  /** Fraction of the training rows held out at the end for early stopping (0 disables it). */
  validation: number;
  /** Evaluations without improvement before stopping (0 disables early stopping). */
  patience: number;
  seed: number;
}

export interface LstmTask {
  kind: "regression" | "classification";
  /** Model-scale series (z-scored), float32. */
  series: Float32Array;
  /** Rows [0, trainRows) are the training window. */
  trainRows: number;
  /** classification: label per row (1 up, 0 down, NaN unknown) for the window ending at that row. */
  labels?: Float64Array;
}

export interface TrainReport {
  iterations: number;
  finalLoss: number;
  bestValidationLoss: number | null;
  stoppedEarly: boolean;
  losses: { iteration: number; loss: number }[];
  msPerIteration: number;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Window starts whose window (and target) lie inside rows [from, to). */
function validStarts(task: LstmTask, params: LstmTrainParams, from: number, to: number): Uint32Array {
  const { steps, horizon } = params;
  const out: number[] = [];
  const lastStart = task.kind === "regression" ? to - steps - horizon : to - steps;
  for (let s = Math.max(0, from); s <= lastStart; s++) {
    if (task.kind === "classification" && !Number.isFinite(task.labels?.[s + steps - 1] ?? Number.NaN))
      continue;
    out.push(s);
  }
  return Uint32Array.from(out);
}

/** Loss and dLoss/dOutput for one batch. */
function lossAndGradient(
  task: LstmTask,
  params: LstmTrainParams,
  head: "sequence" | "last",
  starts: Uint32Array,
  output: Float32Array,
): { loss: number; grad: Float32Array } {
  const { steps, horizon } = params;
  const grad = new Float32Array(output.length);
  let loss = 0;
  if (task.kind === "classification") {
    const labels = task.labels as Float64Array;
    for (let b = 0; b < starts.length; b++) {
      const y = labels[starts[b] + steps - 1];
      const p = sigmoid(output[b]);
      loss -= y === 1 ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12));
      grad[b] = (p - y) / starts.length;
    }
    return { loss: loss / starts.length, grad };
  }
  const target =
    head === "sequence"
      ? shiftedTargets(task.series, starts, steps)
      : horizonTargets(task.series, starts, steps, horizon);
  for (let i = 0; i < output.length; i++) {
    const e = output[i] - target[i];
    loss += e * e;
    grad[i] = (2 * e) / output.length;
  }
  return { loss: loss / output.length, grad };
}

/** Last-step outputs [starts.length, outputSize] for windows starting at `starts`, in chunks. */
export function predictWindows(
  net: FusedLstm,
  series: Float32Array,
  starts: ArrayLike<number>,
  steps: number,
  engine: MatMulEngine,
  chunk = 500,
): Float32Array {
  const O = net.shape.outputSize;
  const out = new Float32Array(starts.length * O);
  for (let from = 0; from < starts.length; from += chunk) {
    const part = Array.prototype.slice.call(starts, from, Math.min(starts.length, from + chunk)) as number[];
    const x = timeMajorWindows(series, part, steps);
    const { output } = net.forward(x, steps, part.length, engine);
    const lastRows = net.shape.head === "sequence" ? output.subarray((steps - 1) * part.length * O) : output;
    out.set(lastRows.subarray(0, part.length * O), from * O);
  }
  return out;
}

/** Validation loss on the model scale: MSE of last-step outputs, or log loss for classification. */
function validationLoss(
  net: FusedLstm,
  task: LstmTask,
  params: LstmTrainParams,
  starts: Uint32Array,
  engine: MatMulEngine,
) {
  const out = predictWindows(net, task.series, starts, params.steps, engine);
  let loss = 0;
  const O = net.shape.outputSize;
  for (let b = 0; b < starts.length; b++) {
    if (task.kind === "classification") {
      const p = sigmoid(out[b]);
      loss -=
        (task.labels as Float64Array)[starts[b] + params.steps - 1] === 1
          ? Math.log(p + 1e-12)
          : Math.log(1 - p + 1e-12);
    } else {
      for (let k = 0; k < O; k++)
        loss += (out[b * O + k] - task.series[starts[b] + params.steps + k]) ** 2 / O;
    }
  }
  return loss / Math.max(1, starts.length);
}

/**
 * Trains a new network on `task`.
 * @example
 * const { net, report } = trainLstm(task, params, engine, (i, loss) => bar.tick(`loss ${loss}`));
 */
export function trainLstm(
  task: LstmTask,
  params: LstmTrainParams,
  engine: MatMulEngine,
  onStep: (step: number, total: number, loss: number) => void = () => {},
): { net: FusedLstm; report: TrainReport } {
  const head = task.kind === "regression" && params.horizon === 1 ? "sequence" : "last";
  const outputSize = task.kind === "regression" ? params.horizon : 1;
  const rng = new Random(params.seed);
  const net = FusedLstm.create(
    { inputSize: 1, units: params.units, layers: params.layers, outputSize, head },
    rng,
  );
  const adam = new Adam(net.params, params.lr);
  const useValidation = params.patience > 0 && params.validation > 0;
  const fitRows = useValidation ? Math.floor(task.trainRows * (1 - params.validation)) : task.trainRows;
  const trainStarts = validStarts(task, params, 0, fitRows);
  const valStarts = useValidation
    ? validStarts(task, params, fitRows - params.steps, task.trainRows)
    : new Uint32Array(0);
  if (trainStarts.length === 0)
    throw new DataError(
      `no training windows of ${params.steps} steps`,
      "lower --steps or move --split-date later",
    );
  const batch = Math.min(params.batch, trainStarts.length);
  const perEpoch = Math.ceil(trainStarts.length / batch);
  const total = params.epochs !== null ? params.epochs * perEpoch : params.iterations;
  const evalEvery = Math.max(1, params.epochs !== null ? perEpoch : Math.round(total / 20));
  const losses: TrainReport["losses"] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestParams: Float32Array[] | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  let lastLoss = Number.NaN;
  let order = trainStarts;
  const started = performance.now();
  let step = 0;
  for (; step < total; step++) {
    let starts: Uint32Array;
    if (params.epochs !== null) {
      const within = step % perEpoch;
      if (within === 0)
        order = new Random(params.seed + step / perEpoch).shuffle(Uint32Array.from(trainStarts));
      starts = order.subarray(within * batch, Math.min(order.length, (within + 1) * batch));
    } else {
      const picks = sampleWindowStarts(trainStarts.length, batch, params.seed, step);
      starts = Uint32Array.from(picks, (p) => trainStarts[p]).sort();
    }
    const x = timeMajorWindows(task.series, starts, params.steps);
    const { output, cache } = net.forward(x, params.steps, starts.length, engine);
    const { loss, grad } = lossAndGradient(task, params, head, starts, output);
    adam.update(net.backward(cache, grad, engine));
    lastLoss = loss;
    onStep(step + 1, total, loss);
    if ((step + 1) % evalEvery === 0 || step + 1 === total) {
      losses.push({ iteration: step + 1, loss });
      if (useValidation && valStarts.length > 0) {
        const v = validationLoss(net, task, params, valStarts, engine);
        if (v < best) {
          best = v;
          bestParams = net.params.map((p) => Float32Array.from(p));
          sinceBest = 0;
        } else if (++sinceBest >= params.patience) {
          stoppedEarly = true;
          step++;
          break;
        }
      }
    }
  }
  const elapsed = performance.now() - started;
  if (bestParams) for (let k = 0; k < bestParams.length; k++) net.params[k].set(bestParams[k]);
  return {
    net,
    report: {
      iterations: step,
      finalLoss: lastLoss,
      bestValidationLoss: Number.isFinite(best) ? best : null,
      stoppedEarly,
      losses,
      msPerIteration: elapsed / Math.max(1, step),
    },
  };
}
