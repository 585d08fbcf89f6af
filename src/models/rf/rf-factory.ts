// The `rf` family: scikit-learn's RandomForestClassifier on histogram-binned features.

import type { ModelFactory, ModelState } from "../model.js";
import { schemaDefaults } from "../param-schema.js";
import { registerModel } from "../registry.js";
import { ForestClassifier } from "../trees/forest-classifier.js";
import { forestSchema } from "../trees/forest-params.js";

const schema = forestSchema(true);

export const rfFactory: ModelFactory = {
  name: "rf",
  description: "random forest (bootstrap, Gini, max_features sqrt/log2/fraction; 255-bin histograms)",
  schema,
  defaults: schemaDefaults(schema),
  // Seed 000's grid; "auto" means sqrt for classifiers, as in scikit-learn 1.2.
  grid: { n_estimators: [100, 200], max_features: ["auto", "sqrt", "log2"], max_depth: [2, 4, 8] },
  scaled: false,
  create: (params) => new ForestClassifier("rf", schema, params, false),
  load: (state: ModelState) => new ForestClassifier("rf", schema, state.params, false).restore(state),
};

registerModel(rfFactory);
