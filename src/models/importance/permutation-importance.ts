// Permutation importance (scikit-learn's permutation_importance): the score drop when one column is shuffled.

import { Random } from "../../core/random.js";
import type { Classifier, FeatureMatrix } from "../model.js";
import { type Scoring, scoreModel } from "../tuning/scoring.js";

export interface PermutationImportance {
  mean: Float64Array;
  std: Float64Array;
  baseline: number;
}

/** For each feature, `repeats` seeded shuffles of that column; importance = baseline score - shuffled score. */
export function permutationImportance(
  model: Classifier,
  X: FeatureMatrix,
  y: Float64Array,
  scoring: Scoring,
  repeats: number,
  seed: number,
): PermutationImportance {
  const evaluate = (m: FeatureMatrix) => scoreModel(scoring, model, m, y);
  const baseline = evaluate(X);
  const d = X.columns.length;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  const rng = new Random(seed);
  for (let j = 0; j < d; j++) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const shuffled = rng.shuffle(X.columns[j].slice());
      const columns = X.columns.map((c, k) => (k === j ? shuffled : c));
      drops.push(baseline - evaluate({ rows: X.rows, columns }));
    }
    const m = drops.reduce((a, b) => a + b, 0) / repeats;
    mean[j] = m;
    std[j] = Math.sqrt(drops.reduce((a, b) => a + (b - m) ** 2, 0) / repeats);
  }
  return { mean, std, baseline };
}
