// The `et` family: scikit-learn's ExtraTreesClassifier (random cut per examined feature, no bootstrap).

import type { ModelFactory, ModelState } from "../model.js";
import { registerModel } from "../registry.js";
import { ForestClassifier } from "../trees/forest-classifier.js";

const defaults = {
  n_estimators: 100,
  max_depth: null,
  max_features: "sqrt",
  min_samples_split: 2,
  min_samples_leaf: 1,
  bootstrap: false,
  max_samples: null,
  class_weight: null,
  max_bins: 255,
} as const;

export const etFactory: ModelFactory = {
  name: "et",
  description: "extra trees (random cuts, no bootstrap by default; 255-bin histograms)",
  defaults,
  // Not in seed 000: rf's grid minus the duplicate "auto" (12 combinations).
  grid: { n_estimators: [100, 200], max_features: ["sqrt", "log2"], max_depth: [2, 4, 8] },
  scaled: false,
  create: (params) => new ForestClassifier("et", defaults, params, true),
  load: (state: ModelState) => new ForestClassifier("et", defaults, state.params, true).restore(state),
};

registerModel(etFactory);
