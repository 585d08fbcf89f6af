// Runs the shared model contracts over every family the registry lists, tabular (test/support/contract-suite.ts)
// and sequence (test/support/sequence-contract.ts), so a new family is tested the moment it registers; small
// settings keep each family's fits fast.

import { describe, expect, it } from "vitest";
import { runModelContract } from "../../test/support/contract-suite.js";
import { runSequenceContract } from "../../test/support/sequence-contract.js";
import "./all-models.js";
import { listModelFamilies } from "./registry.js";

/** Fast settings per family (every registered family must be listed, even with {}). */
const CONTRACT_PARAMS: Readonly<Record<string, Record<string, unknown>>> = {
  "dense-window": { steps: 8, units: 8, epochs: 2, batch: 32 },
  dtab: {},
  et: { n_estimators: 15 },
  gbdt: { n_estimators: 30, max_depth: 3 },
  knn: {},
  lstm: { steps: 8, layers: 1, units: 6, iterations: 20, batch: 16, validation: 0, patience: 0 },
  "lstm-clf": { steps: 8, layers: 1, units: 6, iterations: 20, batch: 16, validation: 0, patience: 0 },
  mlp: { hidden_layer_sizes: [16], max_iter: 60 },
  nn: { epochs: 20 },
  ols: {},
  rf: { n_estimators: 15 },
  ridge: {},
  sv: {},
};

describe("model registry", () => {
  it("lists contract settings for exactly the registered families, tabular and sequence", () => {
    expect(listModelFamilies().map((f) => f.name)).toEqual(Object.keys(CONTRACT_PARAMS).sort());
    expect(listModelFamilies().filter((f) => f.kind === "sequence").length).toBeGreaterThan(0);
  });
});

for (const family of listModelFamilies())
  if (family.kind === "tabular") runModelContract(family.name, CONTRACT_PARAMS[family.name] ?? {});
  else runSequenceContract(family.name, CONTRACT_PARAMS[family.name] ?? {});
