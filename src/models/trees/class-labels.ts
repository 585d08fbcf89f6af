// Fit-input checks for the tree families (multi-class labels allowed) and label/weight encoding.

import { DataError, UsageError } from "../../core/errors.js";
import { checkTrainingShape } from "../common/fit-checks.js";
import type { FeatureMatrix } from "../model.js";

export interface EncodedLabels {
  /** Distinct labels, ascending. */
  classes: Float64Array;
  /** Index into `classes` per row. */
  y: Uint8Array;
  /** Unweighted row count per class. */
  counts: Float64Array;
}

/**
 * Checks X, y and the weights and encodes y as class indices. Refuses too few rows, NaN/infinite features
 * or labels, a single class, more than 255 classes and negative or non-finite weights, naming row and column.
 */
export function encodeLabels(
  model: string,
  X: FeatureMatrix,
  y: Float64Array,
  sampleWeight: Float64Array | undefined,
  minRows = 2,
): EncodedLabels {
  checkTrainingShape(model, X, y, minRows);
  for (let i = 0; i < y.length; i++)
    if (!Number.isFinite(y[i]))
      throw new DataError(
        `${model}: label at row ${i + 1} is ${y[i]}`,
        "drop rows whose label is not yet known",
      );
  const classes = Float64Array.from(new Set(y)).sort();
  if (classes.length < 2)
    throw new DataError(
      `${model}: the training rows hold a single class (${classes[0]}) only`,
      "use a longer training window, fewer CV splits, or a label with both outcomes",
    );
  if (classes.length > 255) throw new DataError(`${model}: ${classes.length} distinct labels (at most 255)`);
  const index = new Map<number, number>();
  for (let k = 0; k < classes.length; k++) index.set(classes[k], k);
  const codes = new Uint8Array(y.length);
  const counts = new Float64Array(classes.length);
  for (let i = 0; i < y.length; i++) {
    const k = index.get(y[i])!;
    codes[i] = k;
    counts[k]++;
  }
  if (sampleWeight) {
    if (sampleWeight.length !== y.length)
      throw new DataError(`${model}: ${sampleWeight.length} sample weights for ${y.length} rows`);
    let total = 0;
    for (let i = 0; i < sampleWeight.length; i++) {
      if (!(sampleWeight[i] >= 0) || !Number.isFinite(sampleWeight[i]))
        throw new DataError(
          `${model}: sample weight at row ${i + 1} is ${sampleWeight[i]}; must be finite and >= 0`,
        );
      total += sampleWeight[i];
    }
    if (!(total > 0))
      throw new DataError(`${model}: every sample weight is 0`, "give some rows a positive weight");
  }
  return { classes, y: codes, counts };
}

/**
 * Row weights = sample weight x class weight. class_weight "balanced" is scikit-learn's n / (K * n_k), from
 * unweighted class counts; null leaves the weights as given.
 */
export function rowWeights(
  model: string,
  labels: EncodedLabels,
  sampleWeight: Float64Array | undefined,
  classWeight: unknown,
): Float64Array {
  const n = labels.y.length;
  const w = sampleWeight ? Float64Array.from(sampleWeight) : new Float64Array(n).fill(1);
  if (!checkClassWeight(model, classWeight)) return w;
  const K = labels.classes.length;
  const perClass = labels.counts.map((count) => (count > 0 ? n / (K * count) : 0));
  for (let i = 0; i < n; i++) w[i] *= perClass[labels.y[i]];
  return w;
}

/** True for class_weight "balanced", false for null; anything else is a usage error. */
export function checkClassWeight(model: string, classWeight: unknown): boolean {
  if (classWeight === null || classWeight === undefined || classWeight === "null" || classWeight === "none")
    return false;
  if (classWeight !== "balanced")
    throw new UsageError(`${model}: class_weight=${String(classWeight)} must be null or "balanced"`);
  return true;
}
