// What the export stage needs from a loaded model: its feature order and a batch predict. The loader itself
// (commands/model-predictor.ts) needs the model families' code, so it is injected.

export interface Predictions {
  pred: Float64Array;
  /** Probability of class 1. */
  proba: Float64Array;
}

export interface ModelPredictor {
  /** Feature names in the order `predict` expects its columns. */
  readonly features: readonly string[];
  /** Column-major features (raw, unscaled) for `rows` rows. */
  predict(columns: readonly Float64Array[], rows: number): Predictions;
}

/** Loads a registry entry's model artifact; `label` names it in errors. */
export type PredictorLoader = (artifact: Record<string, unknown>, label: string) => ModelPredictor;
