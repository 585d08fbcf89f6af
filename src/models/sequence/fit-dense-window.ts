// `fit` of dense-window (seed 003): a dense network over min-max scaled price windows, classifying a label
// column; returns the class probabilities of the labelled test windows for the test metrics.

import { DataError } from "../../core/errors.js";
import { buildDenseWindowModel, predictDenseWindow, trainDenseWindow } from "./dense-window.js";
import type { SequenceFit, SequenceFitInput } from "./sequence-fit.js";

/**
 * @example const fit = await fitDenseWindow(input); // fit.outputs.kind === "classes"
 */
export async function fitDenseWindow(input: SequenceFitInput): Promise<SequenceFit> {
  const p = input.params;
  const column = input.label ?? "optimal_position";
  const labelValues = input.column(column);
  if (!labelValues)
    throw new DataError(
      `${input.source}: no label column "${column}"`,
      "run tsml features --labels optimal_position, or pass --label COL",
    );
  const classes = [...new Set(Array.from(labelValues).filter(Number.isFinite))].sort((a, b) => a - b);
  if (classes.length < 2) throw new DataError(`${input.source}: label ${column} has fewer than two classes`);
  const params = {
    steps: p.steps as number,
    units: p.units as number,
    dropout: p.dropout as number,
    lr: p.lr as number,
    batch: p.batch as number,
    epochs: p.epochs as number,
    seed: input.seed,
  };
  const { steps } = params;
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const trainEnds = Uint32Array.from(
    { length: Math.max(0, input.trainRows - steps + 1) },
    (_, i) => i + steps - 1,
  ).filter((e) => Number.isFinite(labelValues[e]));
  const targets = Float32Array.from(trainEnds, (e) => classIndex.get(labelValues[e]) as number);
  const { tf } = input.backend;
  const net = buildDenseWindowModel(tf, params, classes.length);
  const bar = input.progress(params.epochs);
  const losses = await trainDenseWindow(tf, net, input.values, trainEnds, targets, params, (e, loss) =>
    bar.tick(`epoch ${e} loss ${loss.toFixed(5)}`),
  );
  bar.done();
  const ends = input.testEnds.filter((e) => Number.isFinite(labelValues[e]));
  return {
    params,
    training: { epochs: params.epochs, losses, finalLoss: losses[losses.length - 1] },
    transform: null,
    shape: null,
    classes,
    label: column,
    weights: { layers: net, tf },
    outputs: {
      kind: "classes",
      ends,
      proba: predictDenseWindow(tf, net, input.values, ends, steps),
      truth: ends.map((e) => classIndex.get(labelValues[e]) as number),
    },
  };
}
