// Scores one input with a freshly loaded model before anyone relies on it: `registry register` refuses a model
// that fails, and `tsml serve` / `predict --registry` exclude it. Loading alone misses a state whose arrays do
// not match the feature count; scoring catches that as an exception or a non-finite output.

import { DataError } from "../core/errors.js";
import type { ModelPredictor, SequencePredictor } from "./model-predictor-contract.js";

const RETRAIN = "the fitted state does not match its features; train it again with: tsml train";

/** A sequence model forecasts finite values (probabilities in [0, 1]) from a flat window of prices. */
function checkSequence(model: SequencePredictor, label: string): void {
  let row: number[];
  try {
    row = model.forecast(new Array<number>(model.steps).fill(100))[0];
  } catch (error) {
    throw new DataError(
      `${label}: forecasting one window failed (${(error as Error)?.message ?? String(error)})`,
      "train it again with: tsml train",
    );
  }
  if (row.length !== model.columns.length || !row.every(Number.isFinite))
    throw new DataError(
      `${label}: forecasting one window gave ${JSON.stringify(row)}`,
      "train it again with: tsml train",
    );
}

/**
 * Throws a DataError naming `label` unless the model scores: a tabular model lists distinct feature names and
 * scores a row of zeros (raw, before any scaler) to a finite prediction and a probability in [0, 1]; a sequence
 * model forecasts finite values from one window.
 * @example
 * checkPredictor(await loadModel(entry.model, "registry SPX_up@3"), "registry SPX_up@3");
 */
export function checkPredictor(model: ModelPredictor, label: string): void {
  if (model.kind === "sequence") {
    checkSequence(model, label);
    return;
  }
  const features = model.features;
  if (!Array.isArray(features) || features.length === 0)
    throw new DataError(`${label}: the model lists no feature names`, "train it again with: tsml train");
  if (new Set(features).size !== features.length || features.some((f) => typeof f !== "string"))
    throw new DataError(`${label}: the model's feature names are not distinct strings`);
  let pred: number;
  let proba: number;
  try {
    const out = model.predict(
      features.map(() => new Float64Array(1)),
      1,
    );
    pred = out.pred[0];
    proba = out.proba[0];
  } catch (error) {
    throw new DataError(
      `${label}: scoring one row failed (${(error as Error)?.message ?? String(error)})`,
      RETRAIN,
    );
  }
  if (!Number.isFinite(pred) || !Number.isFinite(proba) || proba < 0 || proba > 1)
    throw new DataError(
      `${label}: scoring one row gave prediction ${pred} and probability ${proba}`,
      RETRAIN,
    );
}
