// The `rf` family: scikit-learn's RandomForestClassifier on histogram-binned features.

import type { ModelFactory, ModelState } from "../model.js";
import { registerModel } from "../registry.js";
import { ForestClassifier } from "../trees/forest-classifier.js";

const defaults = {
  n_estimators: 100,
  max_depth: null,
  max_features: "sqrt",
  min_samples_split: 2,
  min_samples_leaf: 1,
  bootstrap: true,
  max_samples: null,
  class_weight: null,
  max_bins: 255,
} as const;

export const rfFactory: ModelFactory = {
  name: "rf",
  description: "random forest (bootstrap, Gini, max_features sqrt/log2/fraction; 255-bin histograms)",
  defaults,
  // Seed 000's grid; "auto" means sqrt for classifiers, as in scikit-learn 1.2.
  grid: { n_estimators: [100, 200], max_features: ["auto", "sqrt", "log2"], max_depth: [2, 4, 8] },
  scaled: false,
  create: (params) => new ForestClassifier("rf", defaults, params, false),
  load: (state: ModelState) => new ForestClassifier("rf", defaults, state.params, false).restore(state),
};

registerModel(rfFactory);
