// Input checks shared by every model family: the clear errors the contract suite asks for.

import { DataError } from "../../core/errors.js";
import type { FeatureMatrix } from "../model.js";

/**
 * Refuses what no model can learn from: too few rows, NaN/infinite features, labels other than 0/1,
 * a single class, or sample weights of the wrong length. Constant columns are accepted (they carry no signal,
 * and the scaler maps them to 0), as scikit-learn does.
 */
export function checkFitInput(
  model: string,
  X: FeatureMatrix,
  y: Float64Array,
  sampleWeight: Float64Array | undefined,
  minRows = 2,
): void {
  checkTrainingShape(model, X, y, minRows);
  let ones = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1)
      throw new DataError(
        `${model}: label at row ${i + 1} is ${v}; labels must be 0 or 1`,
        "pick a 0/1 --target",
      );
    ones += v;
  }
  if (ones === 0 || ones === y.length)
    throw new DataError(
      `${model}: the training rows hold a single class (${ones === 0 ? 0 : 1}) only`,
      "use a longer training window, fewer CV splits, or a label with both outcomes",
    );
  if (sampleWeight && sampleWeight.length !== y.length)
    throw new DataError(`${model}: ${sampleWeight.length} sample weights for ${y.length} rows`);
}

/** NaN or infinite features are refused with the row and column named. */
/** Rows, labels and columns line up, there are enough rows, and every feature value is finite. */
export function checkTrainingShape(model: string, X: FeatureMatrix, y: Float64Array, minRows: number): void {
  if (y.length !== X.rows) throw new DataError(`${model}: ${X.rows} feature rows but ${y.length} labels`);
  if (X.rows < minRows)
    throw new DataError(
      `${model}: too few rows to train (${X.rows}, need at least ${minRows})`,
      "use a longer training window or an earlier --split-date",
    );
  if (X.columns.length === 0) throw new DataError(`${model}: no feature columns`, "pass --features a,b,...");
  checkFinite(model, X);
}

export function checkFinite(model: string, X: FeatureMatrix): void {
  for (let j = 0; j < X.columns.length; j++) {
    const column = X.columns[j];
    for (let i = 0; i < X.rows; i++) {
      if (!Number.isFinite(column[i]))
        throw new DataError(
          `${model}: feature column ${j + 1} has a missing or infinite value (${column[i]}) at row ${i + 1}`,
          "drop warm-up rows (tsml features does) or fill the gaps before training",
        );
    }
  }
}

/** Prediction input must have the fitted number of columns and finite values. */
export function checkPredictInput(model: string, X: FeatureMatrix, features: number): void {
  if (X.columns.length !== features)
    throw new DataError(`${model}: model was fitted on ${features} features but got ${X.columns.length}`);
  checkFinite(model, X);
}

/** Weights default to 1 per row. */
export function weightsOrOnes(sampleWeight: Float64Array | undefined, rows: number): Float64Array {
  return sampleWeight ?? new Float64Array(rows).fill(1);
}
