// Loads a model artifact into a ready classifier (plus its feature order and scaler) and predicts rows;
// shared by `predict --registry` and `tsml serve` (where it is the per-request hot path). It lives in commands/
// because loading needs the model families' code, which the export stage may only see as types.

import "../models/all-models.js";
import type { JsonArtifact } from "../artifacts/json-artifact.js";
import { DataError } from "../core/errors.js";
import type { ModelPredictor, Predictions } from "../export/model-predictor-contract.js";
import { type ModelView, modelView } from "../export/model-view.js";
import { StateReader } from "../models/common/state-reader.js";
import type { Classifier, FeatureMatrix, ModelState } from "../models/model.js";
import { loadClassifier } from "../models/registry.js";

export interface Scaler {
  mean: Float64Array;
  scale: Float64Array;
}

export interface LoadedModel {
  view: ModelView;
  classifier: Classifier;
  /** Feature names in the order the classifier expects. */
  features: string[];
  /** Standard scaler fitted on the training window, when the model was trained on scaled features. */
  scaler: Scaler | null;
  /** Column of predictProba holding class 1. */
  positiveIndex: number;
}

type Loose = Record<string, unknown>;

function readScaler(artifact: Loose, features: readonly string[]): Scaler | null {
  const raw = (artifact.scaler ??
    artifact.scaling ??
    (artifact.preprocessing as Loose | undefined)?.scaler) as Loose | undefined;
  if (!raw || typeof raw !== "object") return null;
  const mean = (raw.mean ?? raw.center) as number[] | undefined;
  const scale = (raw.scale ?? raw.std ?? raw.sd) as number[] | undefined;
  if (!Array.isArray(mean) || !Array.isArray(scale)) return null;
  if (mean.length !== features.length || scale.length !== features.length)
    throw new DataError(`model scaler has ${mean.length} means for ${features.length} features`);
  const read = new StateReader("model");
  const means = read.numbers(mean, "scaler.mean");
  // A zero-variance feature is mapped to 0, as scikit-learn's StandardScaler does.
  const scales = read.numbers(scale, "scaler.scale", { min: 0 }).map((s) => (s === 0 ? 1 : s));
  return { mean: means, scale: scales };
}

/**
 * @example
 * const loaded = loadModel(readJsonArtifact("models/SPX/rf.json", ["model"]), "models/SPX/rf.json");
 */
export function loadModel(artifact: JsonArtifact | Loose, label: string): LoadedModel {
  const view = modelView(artifact);
  if (!view.state)
    throw new DataError(
      `${label}: the model artifact has no fitted state`,
      "train it again with: tsml train",
    );
  if (view.features.length === 0) throw new DataError(`${label}: the model artifact lists no feature names`);
  const state: ModelState = { ...view.state, model: view.state.model ?? view.model };
  let scaler: Scaler | null;
  try {
    scaler = readScaler(artifact as Loose, view.features);
  } catch (error) {
    if (error instanceof DataError) throw new DataError(`${label}: ${error.message}`, error.hint);
    throw error;
  }
  const classifier = loadClassifier(state, label);
  const classes = classifier.classes();
  const positive = classes.indexOf(1);
  return {
    view,
    classifier,
    features: view.features,
    scaler,
    positiveIndex: positive >= 0 ? positive : classes.length - 1,
  };
}

/** Predicts `rows` rows given column-major features in the model's order (scaled here when needed). */
export function predictColumns(
  model: LoadedModel,
  columns: readonly Float64Array[],
  rows: number,
): Predictions {
  let X: FeatureMatrix = { rows, columns };
  if (model.scaler) {
    const { mean, scale } = model.scaler;
    X = {
      rows,
      columns: columns.map((c, j) => {
        const out = new Float64Array(rows);
        for (let i = 0; i < rows; i++) out[i] = (c[i] - mean[j]) / scale[j];
        return out;
      }),
    };
  }
  const probabilities = model.classifier.predictProba(X);
  const k = model.classifier.classes().length;
  const proba = new Float64Array(rows);
  for (let i = 0; i < rows; i++) proba[i] = probabilities[i * k + model.positiveIndex];
  return { pred: model.classifier.predict(X), proba };
}

/** The predictor the server and batch predictions use (see export/model-predictor-contract.ts). */
export function loadPredictor(
  artifact: JsonArtifact | Record<string, unknown>,
  label: string,
): ModelPredictor {
  const model = loadModel(artifact, label);
  return { features: model.features, predict: (columns, rows) => predictColumns(model, columns, rows) };
}
