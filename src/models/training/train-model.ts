// Training one model on one series: CV (optionally a grid search), refit on the whole training window with
// scaling fitted there, train/test metrics, and importance (permutation; gain and mean |SHAP| for trees).

import { type ClassificationReport, classificationReport } from "../../metrics/classification.js";
import { applyScaler, balancedWeights, fitScaler, type ScalerState } from "../common/standard-scaler.js";
import type { CvOptions } from "../cv/cv-folds.js";
import { makeFolds } from "../cv/cv-folds.js";
import { permutationImportance } from "../importance/permutation-importance.js";
import type { Classifier, FeatureMatrix } from "../model.js";
import { getModelFactory } from "../registry.js";
import { probaOfOne } from "../tuning/fold-task.js";
import { type GridSearchResult, gridSearch } from "../tuning/grid-search.js";
import type { ParamGrid } from "../tuning/param-grid.js";
import { expandGrid } from "../tuning/param-grid.js";
import type { Scoring } from "../tuning/scoring.js";

export interface TrainInput {
  model: string;
  /** Fixed parameters (--param); with a grid, grid values override them. */
  params: Record<string, unknown>;
  /** Grid to search (null: cross-validate the fixed parameters only). */
  grid: ParamGrid | null;
  features: string[];
  /** Feature columns over all usable rows (train rows first, then test rows), time ascending. */
  columns: Float64Array[];
  y: Float64Array;
  /** Rows [0, trainRows) train; [trainRows, n) test. */
  trainRows: number;
  cv: CvOptions;
  scoring: Scoring;
  classWeight: "balanced" | null;
  jobs: number;
  seed: number;
  permutationRepeats: number;
  onTick?: (label: string) => void;
}

export interface FeatureImportance {
  feature: string;
  permutation: number;
  permutationStd: number;
  gain: number | null;
  meanAbsShap: number | null;
  /** Signed mean SHAP value (what seed 001 stores as feature_importance). */
  meanShap: number | null;
}

export interface TrainResult {
  classifier: Classifier;
  params: Record<string, unknown>;
  scaler: ScalerState | null;
  cv: GridSearchResult;
  folds: { trainRows: number; testRows: number; trainEnd: number; testStart: number }[];
  trainMetrics: ClassificationReport;
  testMetrics: ClassificationReport | null;
  importance: FeatureImportance[];
}

/** Number of CV tasks the run will execute (for the progress bar). */
export function countCvTasks(input: Pick<TrainInput, "grid" | "cv">): number {
  return (input.grid ? expandGrid(input.grid).length : 1) * input.cv.splits;
}

function rows(from: number, to: number): Uint32Array {
  const out = new Uint32Array(to - from);
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

/**
 * Rows explained by exact TreeSHAP. Its cost grows with leaves x depth^2 per tree, so unlimited-depth forests
 * (rf/et defaults) explain fewer rows: about 8-27 ms per row there against 0.4-1.4 ms for depth-limited trees.
 */
const SHAP_ROWS = 1000;
const SHAP_ROWS_UNLIMITED_DEPTH = 200;

export async function trainModel(input: TrainInput): Promise<TrainResult> {
  const factory = getModelFactory(input.model);
  const n = input.y.length;
  const trainY = input.y.subarray(0, input.trainRows);
  const trainColumns = input.columns.map((c) => c.subarray(0, input.trainRows));
  const folds = makeFolds(input.trainRows, input.cv);
  const combos = input.grid
    ? expandGrid(input.grid).map((g) => ({ ...input.params, ...g }))
    : [{ ...input.params }];
  // Constructing each combination first turns a bad parameter into one usage error before any work starts.
  for (const c of combos) factory.create(c);
  const cv = await gridSearch(
    {
      model: input.model,
      columns: trainColumns,
      y: trainY,
      folds,
      scoring: input.scoring,
      classWeight: input.classWeight,
      seed: input.seed,
    },
    combos,
    input.jobs,
    input.onTick,
  );
  const params = cv.bestParams;
  const all: FeatureMatrix = { rows: n, columns: input.columns };
  const trainIdx = rows(0, input.trainRows);
  const testIdx = rows(input.trainRows, n);
  const scaler = factory.scaled ? fitScaler(all, trainIdx) : null;
  const Xtrain = applyScaler(all, scaler, trainIdx);
  const Xtest = applyScaler(all, scaler, testIdx);
  const classifier = factory.create(params);
  await classifier.fit(Xtrain, trainY, {
    seed: input.seed,
    sampleWeight: input.classWeight === "balanced" ? balancedWeights(trainY) : undefined,
  });
  const report = (X: FeatureMatrix, y: Float64Array) =>
    classificationReport(y, classifier.predict(X), probaOfOne(classifier.predictProba(X), X.rows));
  const trainMetrics = report(Xtrain, trainY);
  const testY = input.y.subarray(input.trainRows);
  const testMetrics = testIdx.length > 0 ? report(Xtest, testY) : null;
  // Importance on held-out rows when there are any (what the model generalises from), else on training rows.
  const [impX, impY] = testIdx.length > 0 ? [Xtest, testY] : [Xtrain, trainY];
  const perm = permutationImportance(
    classifier,
    impX,
    impY,
    input.scoring,
    input.permutationRepeats,
    input.seed,
  );
  const gain = classifier.gainImportance ? classifier.gainImportance() : null;
  let shap: Float64Array | null = null;
  // Seed 001 reports the signed mean SHAP value per feature; the mean |SHAP| ranks features.
  let signedShap: Float64Array | null = null;
  if (classifier.shapValues) {
    const depthLimited = classifier.params.max_depth !== null && classifier.params.max_depth !== undefined;
    const m = Math.min(depthLimited ? SHAP_ROWS : SHAP_ROWS_UNLIMITED_DEPTH, impX.rows);
    const sub: FeatureMatrix = { rows: m, columns: impX.columns.map((c) => c.subarray(impX.rows - m)) };
    const values = classifier.shapValues(sub);
    const d = input.features.length;
    shap = new Float64Array(d);
    signedShap = new Float64Array(d);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < d; j++) {
        const v = values[i * (d + 1) + j];
        shap[j] += Math.abs(v) / m;
        signedShap[j] += v / m;
      }
    }
  }
  const importance = input.features.map((feature, j) => ({
    feature,
    permutation: perm.mean[j],
    permutationStd: perm.std[j],
    gain: gain ? gain[j] : null,
    meanAbsShap: shap ? shap[j] : null,
    meanShap: signedShap ? signedShap[j] : null,
  }));
  importance.sort((a, b) => b.permutation - a.permutation || a.feature.localeCompare(b.feature));
  return {
    classifier,
    params,
    scaler,
    cv,
    folds: folds.map((f) => ({
      trainRows: f.train.length,
      testRows: f.test.length,
      trainEnd: f.train[f.train.length - 1],
      testStart: f.test[0],
    })),
    trainMetrics,
    testMetrics,
    importance,
  };
}
