// The sequence model families (lstm, lstm-clf, dense-window) as declared data: task, on-disk format, parameter
// schema, horizon, fit, and how one window's raw network outputs become output columns. Training, prediction,
// the scorer and the checks ask the family instead of testing model names. Free of TensorFlow.js: `fit` loads
// its trainer when called.

import type { ParamSchema } from "../param-schema.js";
import type { SequenceFit, SequenceFitInput } from "./sequence-fit.js";
import { isSequenceModel, SEQUENCE_MODELS, type SequenceModelName } from "./sequence-names.js";
import { sequenceParamSchema } from "./sequence-params.js";
import { invertSeriesTransform, type SeriesTransformState } from "./series-transform.js";

/** The parts of a saved sequence model that decoding reads. */
export interface DecodeMeta {
  horizon: number;
  classes: readonly number[];
  transform: SeriesTransformState | null;
}

export interface SequenceFamily {
  readonly name: SequenceModelName;
  readonly description: string;
  /** Regression forecasts values per horizon; classification gives the class and its probabilities. */
  readonly task: "regression" | "classification";
  /** Fused LSTM weights (tsml's own, no TensorFlow.js to score) or a tfjs Layers model. */
  readonly format: "tsml-fused-lstm" | "tfjs-layers";
  readonly schema: ParamSchema;
  /** Values forecast per window, from the (checked) parameters. */
  horizon(params: Readonly<Record<string, unknown>>): number;
  /** The last window end whose outcome is known in a series of `rows` rows (test windows end there). */
  lastScoredEnd(rows: number, horizon: number): number;
  /** Output column names, as `tsml predict` writes them. */
  columns(meta: DecodeMeta): string[];
  /** Window `i`'s raw outputs -> one output row; `times(k)` dates the value k + 1 bars after the window. */
  decode(meta: DecodeMeta, out: ArrayLike<number>, i: number, times: (k: number) => number): number[];
  /** Trains on the rows before the split and returns the network with the outputs its test metrics need. */
  fit(input: SequenceFitInput): Promise<SequenceFit>;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const lstm: SequenceFamily = {
  name: "lstm",
  description: "stacked LSTM forecasting the next `horizon` values of a price series (seed 004)",
  task: "regression",
  format: "tsml-fused-lstm",
  schema: sequenceParamSchema("lstm"),
  horizon: (params) => params.horizon as number,
  lastScoredEnd: (rows, horizon) => rows - 1 - horizon,
  fit: async (input) => (await import("./fit-fused-lstm.js")).fitFusedLstm("regression", input),
  columns: (meta) =>
    meta.horizon === 1
      ? ["prediction"]
      : Array.from({ length: meta.horizon }, (_, k) => `prediction_${k + 1}`),
  decode(meta, out, i, times) {
    const transform = meta.transform as SeriesTransformState;
    return Array.from({ length: meta.horizon }, (_, k) =>
      invertSeriesTransform(transform, times(k), out[i * meta.horizon + k]),
    );
  },
};

const lstmClassifier: SequenceFamily = {
  name: "lstm-clf",
  description: "stacked LSTM classifying the next step as up or down",
  task: "classification",
  format: "tsml-fused-lstm",
  schema: sequenceParamSchema("lstm-clf"),
  horizon: () => 1,
  lastScoredEnd: (rows) => rows - 2,
  fit: async (input) => (await import("./fit-fused-lstm.js")).fitFusedLstm("classification", input),
  // pred / proba as `tsml predict` writes for tabular classifiers, so the backtest reads them unchanged.
  columns: () => ["pred", "proba"],
  decode(_meta, out, i) {
    const p = sigmoid(out[i]);
    return [p >= 0.5 ? 1 : 0, p];
  },
};

const denseWindow: SequenceFamily = {
  name: "dense-window",
  description: "dense network over a min-max scaled price window, classifying a label column (seed 003)",
  task: "classification",
  format: "tfjs-layers",
  schema: sequenceParamSchema("dense-window"),
  horizon: () => 1,
  lastScoredEnd: (rows) => rows - 1,
  fit: async (input) => (await import("./fit-dense-window.js")).fitDenseWindow(input),
  columns: (meta) => ["pred", ...meta.classes.map((c) => `proba_${c}`)],
  decode(meta, out, i) {
    const c = meta.classes.length;
    let best = 0;
    for (let k = 1; k < c; k++) if (out[i * c + k] > out[i * c + best]) best = k;
    return [meta.classes[best], ...Array.from({ length: c }, (_, k) => out[i * c + k])];
  },
};

const FAMILIES: Readonly<Record<SequenceModelName, SequenceFamily>> = {
  lstm,
  "lstm-clf": lstmClassifier,
  "dense-window": denseWindow,
};

/** Every sequence family, in SEQUENCE_MODELS order. */
export function sequenceFamilies(): SequenceFamily[] {
  return SEQUENCE_MODELS.map((name) => FAMILIES[name]);
}

/** The family of a sequence model name, or null for any other name. */
export function sequenceFamily(name: string): SequenceFamily | null {
  return isSequenceModel(name) ? FAMILIES[name] : null;
}
