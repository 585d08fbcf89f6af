// The model artifact (kind "model", JSON): everything `tsml predict` needs, and what `train` learned and measured.
// It is loaded for scoring by models/scoring/load-model.ts.

import type { ClassificationMetricSet } from "../../metrics/classification.js";
import type { ScalerState } from "../common/standard-scaler.js";
import type { ModelState } from "../model.js";
import type { CvResultRow } from "../tuning/grid-search.js";
import type { FeatureImportance, ImportanceSample } from "./train-model.js";

/** Train's metric set: the classification metrics plus the majority-class baseline's accuracy on the same rows. */
export type TrainMetricSet = ClassificationMetricSet & { baseline_accuracy?: number };

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
  metrics: { train: TrainMetricSet; test: TrainMetricSet | null };
  /**
   * Always predicting the training window's more frequent class: its accuracy on the training and test rows
   * (what accuracy must beat). Absent in model files written before it was recorded.
   */
  baseline?: { class: 0 | 1; train: number; test: number | null };
  importance: FeatureImportance[];
  /** The rows importance was measured on; absent in model files written before it was recorded. */
  importanceSample?: ImportanceSample;
}
