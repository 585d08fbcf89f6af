// The parameter schema rf and et share (scikit-learn's RandomForestClassifier / ExtraTreesClassifier names).

import type { ParamSchema } from "../param-schema.js";

/** rf and et differ only in the bootstrap default (rf true, et false). */
export function forestSchema(bootstrap: boolean): ParamSchema {
  return {
    n_estimators: { type: "integer", default: 100, min: 1, max: 10_000, description: "trees in the forest" },
    max_depth: {
      type: "integer",
      default: null,
      nullable: true,
      min: 1,
      max: 1000,
      description: "deepest split level (null = grow until pure)",
    },
    max_features: {
      type: "number",
      default: "sqrt",
      nullable: true,
      min: 0,
      minExclusive: true,
      max: 100_000,
      choices: ["sqrt", "log2", "auto"],
      description: "features examined per split: sqrt (auto), log2, a fraction <= 1, a count > 1, null = all",
    },
    min_samples_split: {
      type: "integer",
      default: 2,
      min: 2,
      max: 1e9,
      description: "rows a node needs to split",
    },
    min_samples_leaf: {
      type: "integer",
      default: 1,
      min: 1,
      max: 1e9,
      description: "rows each leaf keeps at least",
    },
    bootstrap: { type: "boolean", default: bootstrap, description: "train each tree on a bootstrap sample" },
    max_samples: {
      type: "number",
      default: null,
      nullable: true,
      min: 0,
      minExclusive: true,
      max: 1e9,
      description: "bootstrap draws: a fraction of the rows (<= 1) or a count (null = all rows)",
    },
    class_weight: {
      type: "choice",
      default: null,
      nullable: true,
      choices: ["balanced"],
      description: "balanced weighs classes n / (K · count)",
    },
    max_bins: { type: "integer", default: 255, min: 2, max: 255, description: "histogram bins per feature" },
  };
}
