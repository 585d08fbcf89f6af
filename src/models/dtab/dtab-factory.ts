// The `dtab` family: AdaBoost SAMME over decision stumps (seed 000's "dtab").

import type { ModelFactory, ModelState } from "../model.js";
import { type ParamSchema, schemaDefaults } from "../param-schema.js";
import { registerModel } from "../registry.js";
import { DtabClassifier } from "./dtab-classifier.js";

const schema: ParamSchema = {
  n_estimators: { type: "integer", default: 50, min: 1, max: 10_000, description: "boosting rounds at most" },
  learning_rate: {
    type: "number",
    default: 1.0,
    min: 0,
    minExclusive: true,
    max: 100,
    description: "shrinks each tree's weight (alpha)",
  },
  max_depth: {
    type: "integer",
    default: 1,
    min: 1,
    max: 64,
    description: "depth of each base tree (1 = stumps)",
  },
  min_samples_leaf: {
    type: "integer",
    default: 1,
    min: 1,
    max: 1e9,
    description: "rows each leaf keeps at least",
  },
};

export const dtabFactory: ModelFactory = {
  name: "dtab",
  description: "AdaBoost SAMME over decision trees (depth-1 stumps by default; 255-bin histograms)",
  schema,
  defaults: schemaDefaults(schema),
  // Seed 000's grid.
  grid: { n_estimators: [50, 100], learning_rate: [0.75, 1.0, 1.5] },
  scaled: false,
  create: (params) => new DtabClassifier(schema, params),
  load: (state: ModelState) => new DtabClassifier(schema, state.params).restore(state),
};

registerModel(dtabFactory);
