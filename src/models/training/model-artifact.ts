// The model artifact (kind "model", JSON): everything `tsml predict` needs, and what `train` learned and measured.

import { DataError, TsmlError } from "../../core/errors.js";
import type { ClassificationMetricSet } from "../../metrics/classification.js";
import type { ScalerState } from "../common/standard-scaler.js";
import { StateReader } from "../common/state-reader.js";
import type { Classifier, FeatureMatrix, ModelState } from "../model.js";
import { loadClassifier } from "../registry.js";
import type { CvResultRow } from "../tuning/grid-search.js";
import type { FeatureImportance, ImportanceSample } from "./train-model.js";

export interface ModelArtifactBody {
  model: string;
  ticker: string;
  params: Record<string, unknown>;
  state: ModelState;
  features: string[];
  scaler: ScalerState | null;
  target: string;
  horizon: number;
  training: { start: string; end: string; rows: number };
  test: { start: string; end: string; rows: number } | null;
  splitDate: string | null;
  cv: {
    method: string;
    splits: number;
    purge: number;
    embargo: number;
    scoring: string;
    tuned: boolean;
    bestIndex: number;
    jobs: number;
    seconds: number;
    folds: { trainRows: number; testRows: number; trainEnd: number; testStart: number }[];
    results: CvResultRow[];
  };
  classWeight: string | null;
  /** snake_case names (`roc_auc`); older model files spell them in camelCase (export/model-view reads both). */
  metrics: { train: ClassificationMetricSet; test: ClassificationMetricSet | null };
  importance: FeatureImportance[];
  /** The rows importance was measured on; absent in model files written before it was recorded. */
  importanceSample?: ImportanceSample;
}

/** A loaded model ready to score new rows. */
export interface LoadedModel {
  classifier: Classifier;
  scaler: ScalerState | null;
  features: string[];
}

/** Feature names: a non-empty list of distinct strings. */
export function readFeatureNames(read: StateReader, value: unknown): string[] {
  const names = read.array(value, "features");
  if (names.length === 0)
    read.fail("features", "is empty, expected the feature names the model was fitted on");
  names.forEach((name, j) => {
    if (typeof name !== "string" || name === "")
      read.fail(`features[${j}]`, `is ${JSON.stringify(name)}, expected a name`);
  });
  if (new Set(names).size !== names.length) read.fail("features", "names a feature twice");
  return names as string[];
}

/** The standard scaler (or null): one finite mean and one positive finite scale per feature. */
export function readScalerState(read: StateReader, value: unknown, features: number): ScalerState | null {
  if (value === null || value === undefined) return null;
  const scaler = read.object(value, "scaler");
  return {
    mean: Array.from(read.numbers(scaler.mean, "scaler.mean", { length: features })),
    scale: Array.from(
      read.numbers(scaler.scale, "scaler.scale", { length: features, min: Number.MIN_VALUE }),
    ),
  };
}

/**
 * Scores one row (every feature at its training mean when scaled) right after loading: a model whose feature
 * count differs from its artifact's feature list, or whose probabilities are not in [0, 1], fails here, before
 * any output is written.
 */
export function probeModel(classifier: Classifier, features: number, source: string): void {
  try {
    classifier.predictProba({
      rows: 1,
      columns: Array.from({ length: features }, () => new Float64Array(1)),
    });
  } catch (error) {
    if (error instanceof TsmlError) throw new DataError(`${source}: ${error.message}`, error.hint);
    throw error;
  }
}

/**
 * A model artifact's classifier, feature names and scaler, all checked; any malformed field is a DataError
 * (exit 3) naming `source` (the file) and the field.
 * @example const loaded = loadModel(readModelArtifact(path), path);
 */
export function loadModel(body: ModelArtifactBody, source = "model file"): LoadedModel {
  const read = new StateReader(typeof body.model === "string" ? body.model : "model");
  let features: string[];
  let scaler: ScalerState | null;
  try {
    features = readFeatureNames(read, body.features);
    scaler = readScalerState(read, body.scaler, features.length);
    const stateModel = (body.state as { model?: unknown } | null)?.model;
    if (stateModel !== undefined && stateModel !== body.model)
      read.fail(
        "state.model",
        `is ${JSON.stringify(stateModel)} but the artifact says ${JSON.stringify(body.model)}`,
      );
  } catch (error) {
    if (error instanceof DataError) throw new DataError(`${source}: ${error.message}`, error.hint);
    throw error;
  }
  const classifier = loadClassifier(body.state, source, body.model);
  probeModel(classifier, features.length, source);
  return { classifier, scaler, features };
}

/** Scaled feature matrix for a loaded model. */
export function scaleForModel(loaded: LoadedModel, columns: Float64Array[], rows: number): FeatureMatrix {
  if (!loaded.scaler) return { rows, columns };
  const { mean, scale } = loaded.scaler;
  return {
    rows,
    columns: columns.map((c, j) => c.map((v) => (v - mean[j]) / scale[j])),
  };
}
