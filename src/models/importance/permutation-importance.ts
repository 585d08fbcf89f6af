// Permutation importance (scikit-learn's permutation_importance): the score drop when one column is shuffled.

import { Random } from "../../core/random.js";
import type { Classifier, FeatureMatrix } from "../model.js";
import { type Scoring, scoreModel } from "../tuning/scoring.js";

export interface PermutationImportance {
  mean: Float64Array;
  std: Float64Array;
  baseline: number;
}

/**
 * The shuffles of feature j draw from a stream of their own, so a feature's drops do not depend on which other
 * features are computed, in which order, or in which worker thread.
 */
export function featureRandom(seed: number, j: number): Random {
  return new Random(seed).fork(j);
}

/** Score drops (baseline - shuffled score) of feature j over `repeats` seeded shuffles of its column. */
export function permutationDrops(
  model: Classifier,
  X: FeatureMatrix,
  y: Float64Array,
  scoring: Scoring,
  baseline: number,
  j: number,
  repeats: number,
  seed: number,
): Float64Array {
  const rng = featureRandom(seed, j);
  const drops = new Float64Array(repeats);
  for (let r = 0; r < repeats; r++) {
    const shuffled = rng.shuffle(X.columns[j].slice());
    const columns = X.columns.map((c, k) => (k === j ? shuffled : c));
    drops[r] = baseline - scoreModel(scoring, model, { rows: X.rows, columns }, y);
  }
  return drops;
}

/** Mean and population std of each feature's drops (`drops[j]` holds feature j's repeats). */
export function summariseDrops(drops: readonly Float64Array[], baseline: number): PermutationImportance {
  const d = drops.length;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const values = drops[j];
    let sum = 0;
    for (const v of values) sum += v;
    const m = sum / values.length;
    let sq = 0;
    for (const v of values) sq += (v - m) ** 2;
    mean[j] = m;
    std[j] = Math.sqrt(sq / values.length);
  }
  return { mean, std, baseline };
}

/**
 * For each feature, `repeats` seeded shuffles of that column; importance = baseline score - shuffled score.
 * Measured on the rows given: pass a sample (importance-sample.ts) to bound the cost.
 */
export function permutationImportance(
  model: Classifier,
  X: FeatureMatrix,
  y: Float64Array,
  scoring: Scoring,
  repeats: number,
  seed: number,
): PermutationImportance {
  const baseline = scoreModel(scoring, model, X, y);
  const drops = X.columns.map((_, j) => permutationDrops(model, X, y, scoring, baseline, j, repeats, seed));
  return summariseDrops(drops, baseline);
}
