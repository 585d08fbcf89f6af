// Expands a parameter grid into combinations in scikit-learn's ParameterGrid order (sorted keys, last fastest).

import { existsSync, readFileSync } from "node:fs";
import { DataError, UsageError } from "../../core/errors.js";
import { normalizeParams, type ParamSchema } from "../param-schema.js";

export type ParamGrid = Readonly<Record<string, readonly unknown[]>>;

/**
 * @example expandGrid({ b: [1, 2], a: [true] }) // [{a: true, b: 1}, {a: true, b: 2}]
 */
export function expandGrid(grid: ParamGrid): Record<string, unknown>[] {
  const keys = Object.keys(grid).sort();
  let combos: Record<string, unknown>[] = [{}];
  for (const key of keys) {
    const values = grid[key];
    if (!Array.isArray(values) || values.length === 0)
      throw new UsageError(`grid: "${key}" must be a non-empty list of values`);
    const next: Record<string, unknown>[] = [];
    for (const combo of combos) for (const v of values) next.push({ ...combo, [key]: v });
    combos = next;
  }
  return combos;
}

/**
 * Reads a --grid file: `{"param": [values...]}`, also accepting seed 000's `[{"rf__param": [...]}]` form
 * (a one-element list and `<model>__` prefixes are unwrapped). Every name and value is checked against the
 * family's `schema` as `--param` is (unknown names, ranges, prototype keys: a UsageError naming the file).
 */
export function readGridFile(path: string, model: string, schema: ParamSchema): ParamGrid {
  if (!existsSync(path)) throw new DataError(`${path}: grid file not found`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DataError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (Array.isArray(parsed)) {
    if (parsed.length !== 1) throw new DataError(`${path}: a grid list must hold exactly one object`);
    parsed = parsed[0];
  }
  if (typeof parsed !== "object" || parsed === null)
    throw new DataError(`${path}: expected an object of parameter lists, e.g. {"max_depth": [2, 4]}`);
  const out: Record<string, unknown[]> = {};
  for (const [key, values] of Object.entries(parsed)) {
    const name = key.startsWith(`${model}__`) ? key.slice(model.length + 2) : key;
    if (!Array.isArray(values)) throw new DataError(`${path}: "${key}" must be a list of values`);
    if (values.length === 0) throw new DataError(`${path}: "${key}" must list at least one value`);
    // Each value is checked as --param would check it; aliases (gbdt max_iter) become the canonical name.
    let canonical = name;
    const checked = values.map((value) => {
      let one: Record<string, unknown>;
      try {
        one = normalizeParams(model, schema, { [name]: value });
      } catch (error) {
        if (error instanceof UsageError) throw new UsageError(`${path}: ${error.message}`, error.hint);
        throw error;
      }
      const keys = Object.keys(one);
      if (keys.length === 0)
        throw new UsageError(
          `${path}: ${model}: ${key}=${JSON.stringify(value)} is not a value to search over`,
        );
      canonical = keys[0];
      return one[canonical];
    });
    if (Object.hasOwn(out, canonical))
      throw new UsageError(`${path}: "${key}" and another key name the same parameter (${canonical})`);
    out[canonical] = checked;
  }
  return out;
}
