// Training one model on one series: CV (optionally a grid search), refit on the whole training window with
// scaling fitted there, train/test metrics, and importance (permutation; gain and mean |SHAP| for trees).

import { DataError } from "../../core/errors.js";
import { type ClassificationReport, classificationReport } from "../../metrics/classification.js";
import { applyScaler, balancedWeights, fitScaler, type ScalerState } from "../common/standard-scaler.js";
import type { CvOptions } from "../cv/cv-folds.js";
import { makeFolds } from "../cv/cv-folds.js";
import { explainModel } from "../importance/explain-model.js";
import type { ExplainData } from "../importance/explain-task.js";
import { sampleRows, takeSample } from "../importance/importance-sample.js";
import { ModelWorkers } from "../importance/model-workers.js";
import type { Classifier, FeatureMatrix, ModelState } from "../model.js";
import { getModelFactory } from "../registry.js";
import { type FoldRunner, type GridSearchResult, gridSearch } from "../tuning/grid-search.js";
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
  /** Where the CV tasks run instead of local threads (`--queue`: the job queue's workers). */
  foldRunner?: FoldRunner;
  seed: number;
  permutationRepeats: number;
  /** Cap on the rows permutation importance is measured on (default IMPORTANCE_ROWS; Infinity = all). */
  importanceRows?: number;
  /** Cap on the rows TreeSHAP explains (default SHAP_ROWS, or SHAP_ROWS_UNLIMITED_DEPTH for unlimited depth). */
  shapRows?: number;
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
  importanceSample: ImportanceSample;
}

/** The rows importance was measured on (recorded in the model artifact and printed by `train`). */
export interface ImportanceSample {
  /** The test rows, or the training rows when there are none. */
  set: "test" | "train";
  /** How many rows that set has. */
  available: number;
  /** Rows permutation importance was computed on: all of them, or a seeded sample when fewer. */
  permutationRows: number;
  /** Shuffles per feature. */
  repeats: number;
  /** Rows TreeSHAP explained (a seeded sample when fewer than `available`); null for models without SHAP. */
  shapRows: number | null;
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

/** Rows permutation importance is measured on by default (a seeded sample of the test rows when more). */
export const IMPORTANCE_ROWS = 1000;

/**
 * Rows explained by exact TreeSHAP by default. Its cost grows with leaves x depth^2 per tree, so unlimited-depth
 * forests (rf/et defaults) explain fewer rows: about 8-27 ms per row there against 0.4-1.4 ms for depth-limited
 * trees.
 */
export const SHAP_ROWS = 500;
export const SHAP_ROWS_UNLIMITED_DEPTH = 100;

/** The fitted state as it will be written (through JSON) and the classifier loaded from it. */
function loadFitted(model: string, fitted: ModelState): { state: ModelState; classifier: Classifier } {
  const factory = getModelFactory(model);
  // What is written must load again: a fit that diverged (NaN weights become null in JSON) stops here.
  try {
    const state = JSON.parse(JSON.stringify(fitted)) as ModelState;
    return { state, classifier: factory.load(state) };
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    throw new DataError(
      `${model}: the fitted model does not survive saving (${error.message})`,
      "the fit diverged: lower the learning rate or change the parameters",
    );
  }
}

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
  const all: FeatureMatrix = { rows: n, columns: input.columns };
  const trainIdx = rows(0, input.trainRows);
  const testIdx = rows(input.trainRows, n);
  const scaler = factory.scaled ? fitScaler(all, trainIdx) : null;
  const Xtrain = applyScaler(all, scaler, trainIdx);
  const Xtest = applyScaler(all, scaler, testIdx);
  const testY = input.y.subarray(input.trainRows);
  // Importance on held-out rows when there are any (what the model generalises from), else on training rows;
  // on a seeded sample of them when there are more than the cap.
  const [impX, impY] = testIdx.length > 0 ? [Xtest, testY] : [Xtrain, trainY];
  const permutationRows = sampleRows(impX.rows, input.importanceRows ?? IMPORTANCE_ROWS, input.seed);
  const permutation = takeSample(impX, impY, permutationRows);
  const data: ExplainData = {
    scoring: input.scoring,
    repeats: input.permutationRepeats,
    seed: input.seed,
    train: Xtrain.columns as Float64Array[],
    trainY,
    test: Xtest.columns as Float64Array[],
    permutation: permutation.X.columns as Float64Array[],
    permutationY: permutation.y,
    shap: [],
  };
  const balanced = input.classWeight === "balanced";
  // The main thread explains too, so `jobs` threads need jobs - 1 workers.
  const pool = ModelWorkers.open(data, input.jobs - 1);
  try {
    // With one combination the final parameters are known before CV: a worker fits the final model meanwhile.
    const early = pool && combos.length === 1 ? pool.fit(input.model, combos[0], balanced) : null;
    // (A CV failure is thrown below; this keeps the early fit's own failure from going unhandled meanwhile.)
    early?.catch(() => {});
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
      input.foldRunner,
    );
    const params = cv.bestParams;
    let fitted: ModelState;
    if (early) fitted = await early;
    else if (pool) fitted = await pool.fit(input.model, params, balanced);
    else {
      const model = factory.create(params);
      await model.fit(Xtrain, trainY, {
        seed: input.seed,
        sampleWeight: balanced ? balancedWeights(trainY) : undefined,
      });
      fitted = model.toState();
    }
    const { state, classifier } = loadFitted(input.model, fitted);
    let shapRows: Uint32Array | null = null;
    if (classifier.shapValues) {
      const depthLimited = classifier.params.max_depth !== null && classifier.params.max_depth !== undefined;
      const cap = input.shapRows ?? (depthLimited ? SHAP_ROWS : SHAP_ROWS_UNLIMITED_DEPTH);
      shapRows = sampleRows(impX.rows, cap, input.seed);
      data.shap = takeSample(impX, impY, shapRows).X.columns as Float64Array[];
    }
    if (pool) await pool.load(state, data.shap);
    const explained = await explainModel(classifier, data, pool);
    const trainMetrics = classificationReport(trainY, explained.train.pred, explained.train.proba);
    const testMetrics =
      testIdx.length > 0 ? classificationReport(testY, explained.test.pred, explained.test.proba) : null;
    const perm = explained.permutation;
    const gain = classifier.gainImportance ? classifier.gainImportance() : null;
    // Seed 001 reports the signed mean SHAP value per feature; the mean |SHAP| ranks features.
    const shap = explained.shap?.meanAbs ?? null;
    const signedShap = explained.shap?.mean ?? null;
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
      importanceSample: {
        set: testIdx.length > 0 ? "test" : "train",
        available: impX.rows,
        permutationRows: permutationRows.length,
        repeats: input.permutationRepeats,
        shapRows: shapRows ? shapRows.length : null,
      },
    };
  } finally {
    await pool?.close();
  }
}
