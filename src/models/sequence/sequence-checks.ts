// Checks a sequence model folder's tsml.json and weights on load (and the weights before they are saved): the
// parameters against the schema, shape against parameters, finite scaling and weights. A model that would
// forecast NaN for every row is refused with the field named instead.

import { DataError } from "../../core/errors.js";
import { StateReader } from "../common/state-reader.js";
import type { LstmShape } from "./fused-lstm.js";
import type { SequenceModelMeta } from "./sequence-artifact.js";
import type { SequenceModelName } from "./sequence-names.js";
import { savedSequenceParams } from "./sequence-params.js";

/** Lengths of the fused LSTM's tensors, in save order: per layer W_x, W_h, b, then the head's W and b. */
export function lstmTensorLengths(shape: LstmShape): number[] {
  const { inputSize, units: h, layers, outputSize } = shape;
  const out: number[] = [];
  for (let l = 0; l < layers; l++) out.push((l === 0 ? inputSize : h) * 4 * h, h * 4 * h, 4 * h);
  out.push(h * outputSize, outputSize);
  return out;
}

/** The index of the first NaN or infinite weight, or -1. */
function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/**
 * Refuses to save (or load) weights that are not all finite: a diverged fit predicts NaN everywhere.
 * @example checkFiniteWeights("lstm", net.params, "training");
 */
export function checkFiniteWeights(
  model: string,
  tensors: readonly ArrayLike<number>[],
  where: string,
): void {
  tensors.forEach((tensor, t) => {
    const at = firstNonFinite(tensor);
    if (at >= 0)
      throw new DataError(
        `${model}: ${where} weight ${at} of tensor ${t} is ${tensor[at]}`,
        where === "training"
          ? "the fit diverged: lower --lr (or --param lr=...) and train again"
          : "the model folder is damaged; train it again (tsml train)",
      );
  });
}

/**
 * Checks everything in tsml.json that prediction relies on and returns the parameters in canonical form;
 * errors are DataErrors naming the field.
 */
export function checkSequenceMeta(meta: SequenceModelMeta): Record<string, unknown> {
  const model: SequenceModelName = meta.model;
  const read = new StateReader(model);
  const dense = model === "dense-window";
  if (meta.format !== (dense ? "tfjs-layers" : "tsml-fused-lstm"))
    read.fail("format", `is ${JSON.stringify(meta.format)}, which ${model} does not write`);
  const params = savedSequenceParams(model, meta.params);
  const steps = read.integer(meta.steps, "steps", 1);
  if (steps !== params.steps) read.fail("steps", `is ${steps} but params.steps is ${params.steps}`);
  const horizon = read.integer(meta.horizon, "horizon", 1);
  if (horizon !== (dense ? 1 : params.horizon))
    read.fail("horizon", `is ${horizon} but params.horizon is ${params.horizon ?? 1}`);
  read.number(meta.lastTime, "lastTime");
  read.number(meta.stepMs, "stepMs", 0);
  const classes = read.numbers(meta.classes, "classes");
  if (model === "lstm" && classes.length !== 0) read.fail("classes", "is not empty for a regression model");
  if (model === "lstm-clf") read.binaryClasses(Array.from(classes));
  if (dense) {
    if (classes.length < 2) read.fail("classes", `has ${classes.length} classes, expected 2 or more`);
    for (let k = 1; k < classes.length; k++)
      if (!(classes[k] > classes[k - 1])) read.fail("classes", "is not strictly ascending");
    return params;
  }
  const transform = read.object(meta.transform, "transform");
  read.number(transform.mean, "transform.mean");
  read.number(transform.std, "transform.std", Number.MIN_VALUE);
  if (transform.trend !== null) {
    const trend = read.object(transform.trend, "transform.trend");
    for (const key of ["slope", "intercept", "originMs"]) read.number(trend[key], `transform.trend.${key}`);
  }
  const shape = read.object(meta.shape, "shape");
  const expected: LstmShape = {
    inputSize: 1,
    units: params.units as number,
    layers: params.layers as number,
    outputSize: model === "lstm" ? horizon : 1,
    head: model === "lstm" && horizon === 1 ? "sequence" : "last",
  };
  for (const key of Object.keys(expected) as (keyof LstmShape)[])
    if (shape[key] !== expected[key])
      read.fail(
        `shape.${key}`,
        `is ${JSON.stringify(shape[key])}, expected ${JSON.stringify(expected[key])}`,
      );
  const lengths = lstmTensorLengths(expected);
  const tensors = read.array(read.object(meta.weights, "weights").tensors, "weights.tensors", lengths.length);
  tensors.forEach((tensor, t) => {
    const entry = read.object(tensor, `weights.tensors[${t}]`);
    read.integer(entry.length, `weights.tensors[${t}].length`, lengths[t], lengths[t]);
  });
  return params;
}
