// Declared model parameters: name, type, range, default and a one-line description per parameter, and the one
// validator that --param, --grid files, sequence flags and saved model states all go through.

import { DataError, UsageError } from "../core/errors.js";

/** number / integer: a range; choice: strings; integer-list: each item in range, e.g. hidden_layer_sizes. */
export type ParamType = "number" | "integer" | "boolean" | "choice" | "integer-list";

export interface ParamSpec {
  readonly type: ParamType;
  readonly default: unknown;
  /** One line for help and errors. */
  readonly description: string;
  /** Range of a number, integer, or of each item of an integer list (inclusive unless marked exclusive). */
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  /** choice: the allowed strings; number/integer: strings allowed besides numbers (gamma "scale"). */
  readonly choices?: readonly string[];
  /** null (also "null", "none", "None" from the command line) is a value of its own, e.g. max_depth unlimited. */
  readonly nullable?: boolean;
  /** integer-list: how many items (default 1 to 10). */
  readonly maxItems?: number;
  /** Other names of the same parameter (gbdt's max_iter for n_estimators); giving two of them must agree. */
  readonly aliases?: readonly string[];
}

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/** Where parameters came from: the user (exit 2) or a saved model file (exit 3). */
export type ParamSource = "usage" | "data";

/** Keys that would reach Object.prototype when copied into a plain object. */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key);
}

const UNSET = new Set(["null", "none", "None"]);

function fail(source: ParamSource, message: string, hint?: string): never {
  throw source === "usage"
    ? new UsageError(message, hint)
    : new DataError(message, hint ?? "retrain the model");
}

/** 1e12 rather than 1000000000000 in messages. */
function formatBound(value: number): string {
  if (Math.abs(value) >= 1e6 && Number.isInteger(Math.log10(Math.abs(value))))
    return `${value < 0 ? "-" : ""}1e${Math.log10(Math.abs(value))}`;
  return String(value);
}

/**
 * The accepted values in words, e.g. "an integer in [1, 10000]", "a number in (0, 1] or one of scale, auto".
 * @example describeRange({ type: "number", default: 1, description: "", min: 0, minExclusive: true, max: 1 })
 * // "a number in (0, 1]"
 */
export function describeRange(spec: ParamSpec): string {
  const interval = `${spec.minExclusive ? "(" : "["}${formatBound(spec.min ?? Number.NEGATIVE_INFINITY)}, ${formatBound(spec.max ?? Number.POSITIVE_INFINITY)}]`;
  let text: string;
  switch (spec.type) {
    case "boolean":
      text = "true or false";
      break;
    case "choice":
      text = `one of ${(spec.choices ?? []).join(", ")}`;
      break;
    case "integer-list":
      text = `a list of 1 to ${spec.maxItems ?? 10} integers in ${interval}, e.g. 64,32`;
      break;
    default:
      text = `${spec.type === "integer" ? "an integer" : "a number"} in ${interval}`;
      if (spec.choices?.length) text += ` or one of ${spec.choices.join(", ")}`;
  }
  return spec.nullable ? `${text}, or null` : text;
}

/** The default of every parameter, keyed by name. */
export function schemaDefaults(schema: ParamSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) out[name] = spec.default;
  return out;
}

function inRange(spec: ParamSpec, value: number): boolean {
  if (spec.min !== undefined && (spec.minExclusive ? !(value > spec.min) : !(value >= spec.min)))
    return false;
  return spec.max === undefined || value <= spec.max;
}

/** A number from a number or a numeric string (--param k=v and flags give strings). */
function toNumber(raw: unknown): number {
  if (typeof raw === "number") return raw;
  if (typeof raw === "string" && raw.trim() !== "") return Number(raw);
  return Number.NaN;
}

/** Checks one value against its spec and returns it in canonical form (numbers as numbers, null for unset). */
export function coerceParam(
  model: string,
  name: string,
  spec: ParamSpec,
  raw: unknown,
  source: ParamSource = "usage",
): unknown {
  // Text shows as typed (C=abc); only blank text is quoted so that it stays visible.
  const shown =
    typeof raw === "string"
      ? raw.trim() !== ""
        ? raw
        : JSON.stringify(raw)
      : Array.isArray(raw)
        ? `[${raw}]`
        : String(raw);
  const refuse = (problem = "is not valid"): never =>
    fail(
      source,
      `${model}: parameter ${name}=${shown} ${problem}${source === "data" ? " in the saved model" : ""}; ${name} must be ${describeRange(spec)}`,
      source === "usage" ? `${name}: ${spec.description}` : undefined,
    );
  if (typeof raw === "string" && spec.choices?.includes(raw)) return raw;
  if (raw === null || raw === undefined || (typeof raw === "string" && UNSET.has(raw))) {
    if (spec.nullable) return null;
    return refuse();
  }
  switch (spec.type) {
    case "boolean":
      if (raw === true || raw === "true") return true;
      if (raw === false || raw === "false") return false;
      return refuse();
    case "choice":
      return refuse();
    case "integer-list": {
      const items = Array.isArray(raw)
        ? raw
        : typeof raw === "number"
          ? [raw]
          : typeof raw === "string"
            ? raw.split(/[,\s]+/).filter(Boolean)
            : null;
      if (!items || items.length === 0 || items.length > (spec.maxItems ?? 10)) return refuse();
      const values = items.map(toNumber);
      if (values.some((v) => !Number.isInteger(v))) return refuse();
      if (values.some((v) => !inRange(spec, v))) return refuse("is out of range");
      return values;
    }
    default: {
      const value = toNumber(raw);
      if (!Number.isFinite(value) || (spec.type === "integer" && !Number.isInteger(value))) return refuse();
      if (!inRange(spec, value)) return refuse("is out of range");
      return value;
    }
  }
}

/** Edit distance, to suggest the intended name for a misspelt one. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/** Maps every name and alias to its canonical parameter name. */
function nameIndex(schema: ParamSchema): Map<string, string> {
  const index = new Map<string, string>();
  for (const [name, spec] of Object.entries(schema)) {
    index.set(name, name);
    for (const alias of spec.aliases ?? []) index.set(alias, name);
  }
  return index;
}

/**
 * The given parameters checked and in canonical form, without defaults: unknown names, prototype keys, values of
 * the wrong type or out of range, and two aliases of one parameter with different values are refused.
 * An alias given as null counts as not given (saved gbdt states carry `max_iter: null`).
 * @example normalizeParams("knn", knnSchema, { n_neighbors: "7" }) // { n_neighbors: 7 }
 */
export function normalizeParams(
  model: string,
  schema: ParamSchema,
  params: Readonly<Record<string, unknown>>,
  source: ParamSource = "usage",
): Record<string, unknown> {
  if (typeof params !== "object" || params === null || Array.isArray(params))
    fail(source, `${model}: parameters must be an object of name: value pairs`);
  const index = nameIndex(schema);
  const out: Record<string, unknown> = {};
  const givenAs = new Map<string, string>();
  for (const key of Object.keys(params)) {
    if (isPrototypeKey(key))
      fail(
        source,
        `${model}: parameter name "${key}" is not allowed`,
        "parameter names are plain words, e.g. C",
      );
    const name = index.get(key);
    if (name === undefined) {
      const known = Object.keys(schema);
      const close = known.filter((k) => distance(key, k) <= Math.max(1, Math.floor(k.length / 4)));
      fail(
        source,
        `${model}: unknown parameter "${key}"${close.length ? ` (did you mean ${close.join(" or ")}?)` : ""}`,
        `${model} parameters: ${known.length ? known.join(", ") : "none"}`,
      );
    }
    const spec = schema[name];
    const raw = params[key];
    if (key !== name && (raw === null || raw === undefined || (typeof raw === "string" && UNSET.has(raw))))
      continue;
    const value = coerceParam(model, key === name ? name : `${key} (${name})`, spec, raw, source);
    const earlier = givenAs.get(name);
    if (earlier !== undefined) {
      // Two names of one parameter: null means "not given" next to a value. Saved states from older versions
      // hold an alias next to the canonical name's default, so there the canonical name wins.
      if (value === null || JSON.stringify(out[name]) === JSON.stringify(value)) continue;
      if (source === "data" && out[name] !== null) {
        if (key === name) out[name] = value;
        continue;
      }
      if (out[name] !== null)
        fail(
          source,
          `${model}: ${earlier} and ${key} name the same parameter (${name}) with different values`,
          "give it once",
        );
    }
    givenAs.set(name, key);
    out[name] = value;
  }
  return out;
}

/**
 * Every parameter of the family: the defaults with the given ones (checked by `normalizeParams`) over them.
 * @example validateParams("ols", olsSchema, { C: 0.5 }) // { C: 0.5, fit_intercept: true, max_iter: 100, tol: 1e-6 }
 */
export function validateParams(
  model: string,
  schema: ParamSchema,
  params: Readonly<Record<string, unknown>>,
  source: ParamSource = "usage",
): Record<string, unknown> {
  return { ...schemaDefaults(schema), ...normalizeParams(model, schema, params, source) };
}

/**
 * `--param k=v` pairs; values are parsed as JSON when they can be (numbers, booleans, lists), else kept as text.
 * Prototype keys and one key given twice with different values are refused; the schema checks the rest.
 * @example parseParamPairs(["C=0.5", "kernel=rbf"]) // { C: 0.5, kernel: "rbf" }
 */
export function parseParamPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param ${pair}: expected key=value, e.g. --param C=0.5`);
    const key = pair.slice(0, eq);
    if (isPrototypeKey(key))
      throw new UsageError(`--param ${pair}: "${key}" is not a parameter name`, "e.g. --param C=0.5");
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    if (Object.hasOwn(out, key) && JSON.stringify(out[key]) !== JSON.stringify(value))
      throw new UsageError(`--param ${key} is given twice with different values`, "give it once");
    out[key] = value;
  }
  return out;
}
