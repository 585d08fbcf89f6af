// Parameter readers for the tree families: optional depths, max_features in scikit-learn's forms.

import { UsageError } from "../../core/errors.js";
import { numberParam } from "../common/params.js";

/** True for the ways a user can say "no value" (null from JSON, "none"/"null" from --param k=v). */
export function isUnset(raw: unknown): boolean {
  return (
    raw === null || raw === undefined || raw === "null" || raw === "none" || raw === "None" || raw === ""
  );
}

/** A positive integer parameter, or `fallback` when unset (max_depth=None -> Infinity). */
export function optionalIntParam(
  model: string,
  params: Record<string, unknown>,
  key: string,
  fallback: number,
  min = 1,
): number {
  if (isUnset(params[key])) return fallback;
  const value = numberParam(model, params, key);
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`${model}: parameter ${key}=${value} must be an integer >= ${min}`);
  return value;
}

/** A number parameter within [min, max]. */
export function rangeParam(
  model: string,
  params: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number {
  const value = numberParam(model, params, key);
  if (value < min || value > max)
    throw new UsageError(`${model}: parameter ${key}=${value} must lie in [${min}, ${max}]`);
  return value;
}

/**
 * scikit-learn's max_features as a count out of `features`: "sqrt" (and "auto", which meant sqrt for
 * classifiers), "log2", null/"none" (all), a fraction in (0, 1], or an integer >= 1.
 */
export function resolveMaxFeatures(model: string, raw: unknown, features: number): number {
  let count: number;
  if (isUnset(raw)) count = features;
  else if (raw === "sqrt" || raw === "auto") count = Math.floor(Math.sqrt(features));
  else if (raw === "log2") count = Math.floor(Math.log2(features));
  else {
    const value = typeof raw === "string" ? Number(raw) : raw;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
      throw new UsageError(
        `${model}: max_features=${String(raw)} must be "sqrt", "log2", a fraction in (0, 1] or an integer >= 1`,
      );
    // scikit-learn reads a float as a fraction and an int as a count; "1" from the command line means 1 feature
    // only when written without a decimal point, which Number() cannot tell apart, so 1 means all features.
    count = value <= 1 ? Math.floor(value * features) : Math.floor(value);
  }
  return Math.max(1, Math.min(features, count));
}
