// Scores one row with a freshly loaded model before anyone relies on it: `registry register` refuses a model
// that fails, and `tsml serve` / `predict --registry` exclude it. Loading alone misses a state whose arrays do
// not match the feature count; scoring a row catches that as an exception or a non-finite output.

import { DataError } from "../core/errors.js";
import type { ModelPredictor } from "./model-predictor-contract.js";

/**
 * Throws a DataError naming `label` unless the model lists distinct feature names and scores a row of
 * zeros (raw, before any scaler) to a finite prediction and a probability in [0, 1].
 * @example
 * checkPredictor(loadPredictor(entry.model, "registry SPX_up@3"), "registry SPX_up@3");
 */
export function checkPredictor(model: ModelPredictor, label: string): void {
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
      "the fitted state does not match its features; train it again with: tsml train",
    );
  }
  if (!Number.isFinite(pred) || !Number.isFinite(proba) || proba < 0 || proba > 1)
    throw new DataError(
      `${label}: scoring one row gave prediction ${pred} and probability ${proba}`,
      "the fitted state does not match its features; train it again with: tsml train",
    );
}
