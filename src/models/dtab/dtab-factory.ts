// The `dtab` family: AdaBoost SAMME over decision stumps (seed 000's "dtab").

import type { ModelFactory, ModelState } from "../model.js";
import { registerModel } from "../registry.js";
import { DtabClassifier } from "./dtab-classifier.js";

const defaults = { n_estimators: 50, learning_rate: 1.0, max_depth: 1, min_samples_leaf: 1 } as const;

export const dtabFactory: ModelFactory = {
  name: "dtab",
  description: "AdaBoost SAMME over decision trees (depth-1 stumps by default; 255-bin histograms)",
  defaults,
  // Seed 000's grid.
  grid: { n_estimators: [50, 100], learning_rate: [0.75, 1.0, 1.5] },
  scaled: false,
  create: (params) => new DtabClassifier(defaults, params),
  load: (state: ModelState) => new DtabClassifier(defaults, state.params).restore(state),
};

registerModel(dtabFactory);
