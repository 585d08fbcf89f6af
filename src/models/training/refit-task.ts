// One walk-forward refit: fit (optionally grid-search) a model on the rows of its training window that have a
// label and every feature, then predict the probability of class 1 for the bars it covers. A pure function of
// its inputs (the run's seed for every fit), so workers and the main thread give the same numbers.

import { DataError } from "../../core/errors.js";
import { applyScaler, balancedWeights, fitScaler, takeRows } from "../common/standard-scaler.js";
import { type CvOptions, makeFolds } from "../cv/cv-folds.js";
import type { Refit } from "../cv/walk-forward-schedule.js";
import type { FeatureMatrix } from "../model.js";
import { getModelFactory } from "../registry.js";
import { gridSearch } from "../tuning/grid-search.js";
import { expandGrid, type ParamGrid } from "../tuning/param-grid.js";
import type { Scoring } from "../tuning/scoring.js";

/** Everything every refit shares (sent to each worker once). */
export interface RefitData {
  model: string;
  /** Fixed parameters; with a grid, grid values override them. */
  params: Record<string, unknown>;
  /** --tune: the grid searched by CV inside each training window; null = the fixed parameters. */
  grid: ParamGrid | null;
  /** Feature columns over every bar, time ascending (NaN = not computable yet). */
  columns: Float64Array[];
  /** The label per bar (NaN where unknown). */
  y: Float64Array;
  refits: Refit[];
  /** CV inside each training window (used with a grid). */
  cv: CvOptions;
  scoring: Scoring;
  classWeight: "balanced" | null;
  seed: number;
}

export interface RefitOutcome {
  /** P(class 1) for rows [predictStart, predictEnd); NaN where a feature is missing. */
  proba: Float64Array;
  /** Training rows used (those with a label and every feature). */
  trainRows: number;
  params: Record<string, unknown>;
  /** Best mean CV score inside the training window (--tune); null without a grid. */
  cvScore: number | null;
  /** Combinations tried by the grid search (1 without one). */
  trials: number;
  seconds: number;
}

function complete(columns: readonly Float64Array[], i: number): boolean {
  for (const c of columns) if (!Number.isFinite(c[i])) return false;
  return true;
}

/**
 * Fits refit `index` and predicts its bars.
 * @example const { proba } = await runRefit(data, 0);
 */
export async function runRefit(data: RefitData, index: number): Promise<RefitOutcome> {
  const started = performance.now();
  const refit = data.refits[index];
  const factory = getModelFactory(data.model);
  const trainIdx: number[] = [];
  for (let i = refit.trainStart; i < refit.trainEnd; i++)
    if (Number.isFinite(data.y[i]) && complete(data.columns, i)) trainIdx.push(i);
  const predictIdx: number[] = [];
  for (let i = refit.predictStart; i < refit.predictEnd; i++)
    if (complete(data.columns, i)) predictIdx.push(i);
  if (trainIdx.length < 2)
    throw new DataError(
      `walk-forward refit ${index + 1}: ${trainIdx.length} training rows with a label and every feature`,
      "raise --min-train or --window",
    );
  const X: FeatureMatrix = { rows: data.y.length, columns: data.columns };
  const train = Uint32Array.from(trainIdx);
  const ytrain = takeRows(data.y, train);
  let params = { ...data.params };
  let cvScore: number | null = null;
  let trials = 1;
  if (data.grid) {
    const combos = expandGrid(data.grid).map((g) => ({ ...data.params, ...g }));
    trials = combos.length;
    const search = await gridSearch(
      {
        model: data.model,
        columns: data.columns.map((c) => takeRows(c, train)),
        y: ytrain,
        folds: makeFolds(train.length, data.cv),
        scoring: data.scoring,
        classWeight: data.classWeight,
        seed: data.seed,
      },
      combos,
      1,
    );
    params = search.bestParams;
    cvScore = search.rows[search.bestIndex].meanTestScore;
  }
  const proba = new Float64Array(refit.predictEnd - refit.predictStart).fill(Number.NaN);
  const firstClass = ytrain[0];
  if (ytrain.every((v) => v === firstClass)) {
    // One class in the whole window: any classifier predicts it; say so with a certain probability.
    for (const i of predictIdx) proba[i - refit.predictStart] = firstClass === 1 ? 1 : 0;
  } else {
    const scaler = factory.scaled ? fitScaler(X, train) : null;
    const model = factory.create(params);
    await model.fit(applyScaler(X, scaler, train), ytrain, {
      seed: data.seed,
      sampleWeight: data.classWeight === "balanced" ? balancedWeights(ytrain) : undefined,
    });
    if (predictIdx.length > 0) {
      const rows = Uint32Array.from(predictIdx);
      const p = model.predictProba(applyScaler(X, scaler, rows));
      const classes = model.classes();
      const one = classes.indexOf(1);
      for (let k = 0; k < rows.length; k++)
        proba[rows[k] - refit.predictStart] = one < 0 ? 0 : p[k * classes.length + one];
    }
  }
  return {
    proba,
    trainRows: train.length,
    params,
    cvScore,
    trials,
    seconds: (performance.now() - started) / 1000,
  };
}
