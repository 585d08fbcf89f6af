// One unit of CV work: fit one parameter combination on one fold's training rows and score its validation rows.

import { TsmlError } from "../../core/errors.js";
import { applyScaler, balancedWeights, fitScaler, takeRows } from "../common/standard-scaler.js";
import type { Fold } from "../cv/cv-folds.js";
import type { FeatureMatrix } from "../model.js";
import { getModelFactory } from "../registry.js";
import { type Scoring, scoreModel } from "./scoring.js";

/** Everything a worker needs once: the training window, its folds and how to score. */
export interface CvDataset {
  model: string;
  columns: Float64Array[];
  y: Float64Array;
  folds: Fold[];
  scoring: Scoring;
  classWeight: "balanced" | null;
  seed: number;
}

export interface FoldResult {
  combo: number;
  fold: number;
  testScore: number;
  trainScore: number;
  fitSeconds: number;
  error: string | null;
}

/**
 * Deterministic in its inputs (the seed is the run's seed for every fit, like a fixed random_state), so the
 * results do not depend on which worker runs it or in which order.
 */
export async function runFoldTask(
  data: CvDataset,
  params: Record<string, unknown>,
  combo: number,
  foldIndex: number,
): Promise<FoldResult> {
  const fold = data.folds[foldIndex];
  const factory = getModelFactory(data.model);
  const X: FeatureMatrix = { rows: data.y.length, columns: data.columns };
  const scaler = factory.scaled ? fitScaler(X, fold.train) : null;
  const Xtrain = applyScaler(X, scaler, fold.train);
  const Xtest = applyScaler(X, scaler, fold.test);
  const ytrain = takeRows(data.y, fold.train);
  const ytest = takeRows(data.y, fold.test);
  const started = performance.now();
  try {
    const model = factory.create(params);
    const sampleWeight = data.classWeight === "balanced" ? balancedWeights(ytrain) : undefined;
    await model.fit(Xtrain, ytrain, { seed: data.seed, sampleWeight });
    const fitSeconds = (performance.now() - started) / 1000;
    const testScore = scoreModel(data.scoring, model, Xtest, ytest);
    const trainScore = scoreModel(data.scoring, model, Xtrain, ytrain);
    return { combo, fold: foldIndex, testScore, trainScore, fitSeconds, error: null };
  } catch (error) {
    // A failing fit scores NaN (scikit-learn's error_score=nan); usage errors (bad params) still stop the run.
    if (error instanceof TsmlError && error.exitCode === 2) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const fitSeconds = (performance.now() - started) / 1000;
    return {
      combo,
      fold: foldIndex,
      testScore: Number.NaN,
      trainScore: Number.NaN,
      fitSeconds,
      error: message,
    };
  }
}
