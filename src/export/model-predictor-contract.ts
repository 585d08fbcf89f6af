// What the export stage needs from a loaded model: a tabular scorer (feature order and a batch predict) or a
// sequence scorer (window length and a forecast from prices). The loader itself (models/scoring/load-model.ts)
// is code of an earlier stage, so the commands inject it.

import type { ModelScorer } from "../models/scoring/model-scorer.js";

export type {
  ModelScorer as ModelPredictor,
  Predictions,
  SequenceScorer as SequencePredictor,
  TabularScorer as TabularPredictor,
} from "../models/scoring/model-scorer.js";

/** Loads a registry entry's model artifact; `label` names it in errors. */
export type PredictorLoader = (artifact: Record<string, unknown>, label: string) => Promise<ModelScorer>;
