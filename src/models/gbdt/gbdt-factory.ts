// The `gbdt` family: histogram gradient boosting with XGBoost-hist defaults.

import type { ModelFactory, ModelState } from "../model.js";
import { schemaDefaults } from "../param-schema.js";
import { registerModel } from "../registry.js";
import { GbdtClassifier } from "./gbdt-classifier.js";
import { gbdtSchema } from "./gbdt-settings.js";

export const gbdtFactory: ModelFactory = {
  name: "gbdt",
  description:
    "histogram gradient boosting (255 bins, depth-wise or num_leaves, L2, subsample, early stopping)",
  schema: gbdtSchema,
  defaults: schemaDefaults(gbdtSchema),
  // Not in seed 000: 8 combinations around XGBoost's defaults (fewer, slower-learning or shallower trees).
  grid: { n_estimators: [100, 200], learning_rate: [0.05, 0.1], max_depth: [3, 6] },
  scaled: false,
  create: (params) => new GbdtClassifier(gbdtSchema, params),
  load: (state: ModelState) => new GbdtClassifier(gbdtSchema, state.params).restore(state),
};

registerModel(gbdtFactory);
