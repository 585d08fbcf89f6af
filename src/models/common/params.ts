// Reading model parameters (from --param k=v, grids and saved states) with clear errors on bad values.

import { UsageError } from "../../core/errors.js";

/** A finite number parameter; numeric strings are accepted (from --param k=v). */
export function numberParam(model: string, params: Record<string, unknown>, key: string): number {
  const raw = params[key];
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new UsageError(`${model}: parameter ${key}=${String(raw)} is not a number`);
  return value;
}

/** A boolean parameter; "true"/"false" strings are accepted. */
export function booleanParam(model: string, params: Record<string, unknown>, key: string): boolean {
  const raw = params[key];
  if (raw === true || raw === "true") return true;
  if (raw === false || raw === "false") return false;
  throw new UsageError(`${model}: parameter ${key}=${String(raw)} must be true or false`);
}

/** One of a fixed set of strings. */
export function choiceParam<T extends string>(
  model: string,
  params: Record<string, unknown>,
  key: string,
  choices: readonly T[],
): T {
  const raw = String(params[key]);
  if (!(choices as readonly string[]).includes(raw))
    throw new UsageError(`${model}: parameter ${key}=${raw} must be one of ${choices.join(", ")}`);
  return raw as T;
}

/** Merges user params over defaults, refusing unknown keys. */
export function mergeParams(
  model: string,
  defaults: Readonly<Record<string, unknown>>,
  params: Record<string, unknown>,
): Record<string, unknown> {
  for (const key of Object.keys(params)) {
    if (!(key in defaults))
      throw new UsageError(
        `${model}: unknown parameter "${key}"`,
        `known parameters: ${Object.keys(defaults).join(", ")}`,
      );
  }
  return { ...defaults, ...params };
}
