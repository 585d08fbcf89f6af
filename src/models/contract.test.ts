// Runs the shared model contract (contract-suite.ts) over every family in the registry, so a new family is
// tested the moment it registers; small settings keep each family's fits fast.

import { describe, expect, it } from "vitest";
import "./all-models.js";
import { runModelContract } from "./contract-suite.js";
import { listModels } from "./registry.js";

/** Fast settings per family (every registered family must be listed, even with {}). */
const CONTRACT_PARAMS: Readonly<Record<string, Record<string, unknown>>> = {
  dtab: {},
  et: { n_estimators: 15 },
  gbdt: { n_estimators: 30, max_depth: 3 },
  knn: {},
  mlp: { hidden_layer_sizes: [16], max_iter: 60 },
  nn: { epochs: 20 },
  ols: {},
  rf: { n_estimators: 15 },
  ridge: {},
  sv: {},
};

describe("model registry", () => {
  it("lists contract settings for exactly the registered families", () => {
    expect(listModels().map((f) => f.name)).toEqual(Object.keys(CONTRACT_PARAMS).sort());
  });
});

for (const factory of listModels()) runModelContract(factory.name, CONTRACT_PARAMS[factory.name] ?? {});
