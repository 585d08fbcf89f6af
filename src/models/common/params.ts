// Typed reads of model parameters; the schema (param-schema.ts) has already checked names, types and ranges.

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
