// The gbdt parameter schema (scikit-learn / XGBoost / LightGBM names, with their aliases) and its typed settings.

import type { ParamSchema } from "../param-schema.js";

export interface GbdtSettings {
  nEstimators: number;
  learningRate: number;
  maxDepth: number;
  maxLeaves: number;
  lambda: number;
  minChildWeight: number;
  minSplitLoss: number;
  subsample: number;
  earlyStopping: boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  scalePosWeight: number | "balanced";
  maxBins: number;
}

const positive = { min: 0, minExclusive: true } as const;

/** Defaults: XGBoost's tree shape (depth 6, lambda 1, min_child_weight 1), no early stopping unless asked. */
export const gbdtSchema: ParamSchema = {
  n_estimators: {
    type: "integer",
    default: 100,
    min: 1,
    max: 100_000,
    aliases: ["max_iter"],
    description: "boosting rounds (alias max_iter)",
  },
  learning_rate: {
    type: "number",
    default: 0.1,
    ...positive,
    max: 10,
    description: "shrinks each tree's leaves",
  },
  max_depth: {
    type: "integer",
    default: 6,
    nullable: true,
    min: 1,
    max: 1000,
    description: "depth-wise growth limit (null = only num_leaves limits the tree)",
  },
  num_leaves: {
    type: "integer",
    default: null,
    nullable: true,
    min: 2,
    max: 1_000_000,
    aliases: ["max_leaf_nodes"],
    description: "leaves per tree, best-gain leaf split first (alias max_leaf_nodes; null = no limit)",
  },
  l2_regularization: {
    type: "number",
    default: 1,
    min: 0,
    max: 1e12,
    aliases: ["reg_lambda"],
    description: "L2 penalty lambda on leaf values (alias reg_lambda)",
  },
  min_child_weight: {
    type: "number",
    default: 1,
    min: 0,
    max: 1e12,
    description: "hessian each child needs",
  },
  min_split_loss: {
    type: "number",
    default: 0,
    min: 0,
    max: 1e12,
    description: "gain a split must exceed (gamma)",
  },
  subsample: {
    type: "number",
    default: 1,
    ...positive,
    max: 1,
    description: "rows drawn per round, without replacement",
  },
  early_stopping: { type: "boolean", default: false, description: "stop on the validation tail's log loss" },
  validation_fraction: {
    type: "number",
    default: 0.1,
    ...positive,
    max: 0.9,
    description: "last rows held out for early stopping",
  },
  n_iter_no_change: {
    type: "integer",
    default: 10,
    min: 1,
    max: 100_000,
    description: "rounds without validation gain before stopping",
  },
  tol: { type: "number", default: 1e-7, min: 0, max: 1e6, description: "validation gain that counts" },
  scale_pos_weight: {
    type: "number",
    default: 1,
    ...positive,
    max: 1e12,
    choices: ["balanced", "auto"],
    description: "weight of class 1 (balanced = negatives / positives)",
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

/** Typed settings from parameters already checked against `gbdtSchema` (nulls become "no limit"). */
export function gbdtSettings(p: Readonly<Record<string, unknown>>): GbdtSettings {
  const limit = (value: unknown) => (value === null ? Number.POSITIVE_INFINITY : (value as number));
  const spw = p.scale_pos_weight;
  return {
    nEstimators: p.n_estimators as number,
    learningRate: p.learning_rate as number,
    maxDepth: limit(p.max_depth),
    maxLeaves: limit(p.num_leaves),
    lambda: p.l2_regularization as number,
    minChildWeight: p.min_child_weight as number,
    minSplitLoss: p.min_split_loss as number,
    subsample: p.subsample as number,
    earlyStopping: p.early_stopping as boolean,
    validationFraction: p.validation_fraction as number,
    nIterNoChange: p.n_iter_no_change as number,
    tol: p.tol as number,
    scalePosWeight: spw === "balanced" || spw === "auto" ? "balanced" : (spw as number),
    maxBins: p.max_bins as number,
  };
}
