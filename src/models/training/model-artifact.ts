// The model artifact (kind "model", JSON): everything `tsml predict` needs, and what `train` learned and measured.

import type { ClassificationReport } from "../../metrics/classification.js";
import type { ScalerState } from "../common/standard-scaler.js";
import type { Classifier, FeatureMatrix, ModelState } from "../model.js";
import { getModelFactory } from "../registry.js";
import type { CvResultRow } from "../tuning/grid-search.js";
import type { FeatureImportance } from "./train-model.js";

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
  metrics: { train: ClassificationReport; test: ClassificationReport | null };
  importance: FeatureImportance[];
}

/** A loaded model ready to score new rows. */
export interface LoadedModel {
  classifier: Classifier;
  scaler: ScalerState | null;
  features: string[];
}

export function loadModel(body: ModelArtifactBody): LoadedModel {
  const factory = getModelFactory(body.model);
  return { classifier: factory.load(body.state), scaler: body.scaler, features: body.features };
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
