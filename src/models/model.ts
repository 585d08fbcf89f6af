// The contract every tabular model implements: fit (with optional sample weights), predict, predictProba,
// and a JSON state for save/load. Sequence models (LSTM, window nets) live under models/sequence/.

import type { Logger } from "../core/log.js";
import type { ParamSchema } from "./param-schema.js";

/**
 * Features in column-major order, exactly as Frame stores them (no copy needed from a Frame):
 * `columns[j][i]` is feature j of row i.
 */
export interface FeatureMatrix {
  readonly rows: number;
  readonly columns: readonly Float64Array[];
}

export interface FitOptions {
  /** Seed for every random step of this fit (bootstrap, feature sampling, initial weights). */
  seed: number;
  /** Optional per-row weights (class weights are turned into these by the caller). */
  sampleWeight?: Float64Array;
  log?: Logger;
}

/** A JSON-serialisable snapshot of a fitted model (parameters + learned state). */
export interface ModelState {
  model: string;
  params: Record<string, unknown>;
  classes: number[];
  state: unknown;
}

export interface Classifier {
  /** Registry name, e.g. "rf". */
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** `y` holds class labels as numbers (0/1 for binary labels). */
  fit(X: FeatureMatrix, y: Float64Array, options: FitOptions): Promise<void>;
  /** Class labels in the order used by `predictProba`, ascending. */
  classes(): Float64Array;
  /** rows x classes, row-major: probability of classes()[k] for row i at [i * k + k]. */
  predictProba(X: FeatureMatrix): Float64Array;
  /** Predicted class label per row. */
  predict(X: FeatureMatrix): Float64Array;
  toState(): ModelState;
  /** Trees: total split gain per feature (unnormalised). */
  gainImportance?(): Float64Array;
  /** Exact TreeSHAP: rows x (features + 1) row-major, last column the expected value, for the positive class. */
  shapValues?(X: FeatureMatrix): Float64Array;
}

/** A registered model family. */
export interface ModelFactory {
  readonly name: string;
  readonly description: string;
  /** Every parameter: type, range, default (scikit-learn's unless the docs say otherwise), description. */
  readonly schema: ParamSchema;
  /** The schema's defaults, keyed by name. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** The `--tune` grid (seed 000's grid where it defines one). */
  readonly grid: Readonly<Record<string, readonly unknown[]>>;
  /** Whether the model sees standard-scaled features (seed 000's Pipeline scales for every model). */
  readonly scaled: boolean;
  /**
   * A fit that takes milliseconds: starting worker threads (each loads the model code) costs more than the
   * parallel folds save, so without --jobs this family trains on the main thread (same results either way).
   */
  readonly fitsInProcess?: boolean;
  /** A new model; parameters outside the schema are a UsageError. */
  create(params: Record<string, unknown>): Classifier;
  /** A fitted model from `toState()` output; any malformed field (type, shape, non-finite value) is a DataError. */
  load(state: ModelState): Classifier;
}
