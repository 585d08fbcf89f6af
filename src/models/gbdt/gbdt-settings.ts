// Reads and checks the gbdt parameters (scikit-learn / XGBoost names, with their aliases).

import { UsageError } from "../../core/errors.js";
import { booleanParam } from "../common/params.js";
import { checkClassWeight } from "../trees/class-labels.js";
import { isUnset, optionalIntParam, rangeParam } from "../trees/tree-params.js";

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

/** The first of `keys` that is set (aliases: max_iter for n_estimators, num_leaves for max_leaf_nodes...). */
function pick(params: Readonly<Record<string, unknown>>, keys: string[]): string {
  for (const key of keys) if (!isUnset(params[key])) return key;
  return keys[0];
}

export function gbdtSettings(raw: Readonly<Record<string, unknown>>): GbdtSettings {
  const p = raw as Record<string, unknown>;
  const m = "gbdt";
  const maxBins = optionalIntParam(m, p, "max_bins", 255, 2);
  if (maxBins > 255) throw new UsageError(`gbdt: max_bins=${maxBins} must be at most 255`);
  checkClassWeight(m, p.class_weight);
  const spwRaw = p.scale_pos_weight;
  let scalePosWeight: number | "balanced" = 1;
  if (spwRaw === "balanced" || spwRaw === "auto") scalePosWeight = "balanced";
  else if (!isUnset(spwRaw)) scalePosWeight = rangeParam(m, p, "scale_pos_weight", 0, Number.MAX_VALUE);
  return {
    nEstimators: optionalIntParam(m, p, pick(p, ["n_estimators", "max_iter"]), 100),
    learningRate: rangeParam(m, p, "learning_rate", Number.MIN_VALUE, 10),
    maxDepth: optionalIntParam(m, p, "max_depth", Number.POSITIVE_INFINITY),
    maxLeaves: optionalIntParam(m, p, pick(p, ["num_leaves", "max_leaf_nodes"]), Number.POSITIVE_INFINITY, 2),
    lambda: rangeParam(m, p, pick(p, ["l2_regularization", "reg_lambda"]), 0, Number.MAX_VALUE),
    minChildWeight: rangeParam(m, p, "min_child_weight", 0, Number.MAX_VALUE),
    minSplitLoss: rangeParam(m, p, "min_split_loss", 0, Number.MAX_VALUE),
    subsample: rangeParam(m, p, "subsample", Number.MIN_VALUE, 1),
    earlyStopping: booleanParam(m, p, "early_stopping"),
    validationFraction: rangeParam(m, p, "validation_fraction", Number.MIN_VALUE, 0.9),
    nIterNoChange: optionalIntParam(m, p, "n_iter_no_change", 10),
    tol: rangeParam(m, p, "tol", 0, Number.MAX_VALUE),
    scalePosWeight,
    maxBins,
  };
}

/** Defaults: XGBoost's tree shape (depth 6, lambda 1, min_child_weight 1), no early stopping unless asked. */
export const gbdtDefaults = {
  n_estimators: 100,
  max_iter: null,
  learning_rate: 0.1,
  max_depth: 6,
  num_leaves: null,
  max_leaf_nodes: null,
  l2_regularization: 1,
  reg_lambda: null,
  min_child_weight: 1,
  min_split_loss: 0,
  subsample: 1,
  early_stopping: false,
  validation_fraction: 0.1,
  n_iter_no_change: 10,
  tol: 1e-7,
  scale_pos_weight: 1,
  class_weight: null,
  max_bins: 255,
} as const;
