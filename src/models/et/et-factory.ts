// The `et` family: scikit-learn's ExtraTreesClassifier (random cut per examined feature, no bootstrap).

import type { ModelFactory, ModelState } from "../model.js";
import { schemaDefaults } from "../param-schema.js";
import { registerModel } from "../registry.js";
import { ForestClassifier } from "../trees/forest-classifier.js";
import { forestSchema } from "../trees/forest-params.js";

const schema = forestSchema(false);

export const etFactory: ModelFactory = {
  name: "et",
  description: "extra trees (random cuts, no bootstrap by default; 255-bin histograms)",
  schema,
  defaults: schemaDefaults(schema),
  // Not in seed 000: rf's grid minus the duplicate "auto" (12 combinations).
  grid: { n_estimators: [100, 200], max_features: ["sqrt", "log2"], max_depth: [2, 4, 8] },
  scaled: false,
  create: (params) => new ForestClassifier("et", schema, params, true),
  load: (state: ModelState) => new ForestClassifier("et", schema, state.params, true).restore(state),
};

registerModel(etFactory);
