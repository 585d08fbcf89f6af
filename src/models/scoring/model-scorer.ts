// What every consumer of a trained model gets from the one loader (load-model.ts): a tabular classifier that
// scores feature rows, or a sequence model that forecasts from a window of prices. `predict`, `backtest -m`,
// `evaluate -m`, `predict --registry`, `registry register` and `serve` all score through these.

/** Tabular predictions: the class and P(class 1) per row. */
export interface Predictions {
  pred: Float64Array;
  /** Probability of class 1 (the last class when no class is labelled 1). */
  proba: Float64Array;
}

export interface TabularScorer {
  readonly kind: "tabular";
  /** Registry family name, e.g. "rf". */
  readonly model: string;
  /** Feature names in the order `predict` expects its columns. */
  readonly features: readonly string[];
  /** Column-major features (raw, unscaled: the scorer applies the training scaler) for `rows` rows. */
  predict(columns: readonly Float64Array[], rows: number): Predictions;
}

export interface SequenceScorer {
  readonly kind: "sequence";
  readonly model: string;
  readonly task: "regression" | "classification";
  /** Prices one forecast reads: the window length. */
  readonly steps: number;
  readonly horizon: number;
  /** Output column names, as `tsml predict` writes them (`prediction`, `prediction_1..k`, `pred`/`proba`). */
  readonly columns: readonly string[];
  /**
   * One output row per full window of `prices` (oldest first): `prices.length - steps + 1` rows, the last for
   * the window ending at the newest price. `times` (epoch ms per price) date the forecasts of a detrended
   * model; without them the prices are taken as consecutive bars after the model's training data.
   */
  forecast(prices: readonly number[], times?: readonly number[]): number[][];
}

export type ModelScorer = TabularScorer | SequenceScorer;
