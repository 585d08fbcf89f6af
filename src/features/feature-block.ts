// What a feature set, indicator list or label computes for one ticker: named columns plus label facts.

/** A forward-looking target column and how far ahead it looks (for purged cross-validation). */
export interface LabelInfo {
  name: string;
  /** Rows ahead of t that the label reads. */
  horizon: number;
  kind: "classification" | "regression";
}

export interface FeatureBlock {
  /** Full-length columns (one value per input row), in output order; labels included. */
  columns: Map<string, Float64Array>;
  labels: LabelInfo[];
}
