// The one place a flag's text becomes a value: numbers, integers, one-of choices, dates, ticker lists and
// durations. Every refusal is a usage error (exit 2) that names the flag and quotes what was typed, so
// "1e3" for a count, "0x10", "NaN", "Infinity", "" or "5abc" never slip through as Number() would let them.

import { UsageError } from "./errors.js";
import { parseDateFlag } from "./iso-date.js";

/** Bounds of a numeric flag: `min`/`max` inclusive, `above` exclusive (a rate or a size that must not be 0). */
export interface Bounds {
  min?: number;
  max?: number;
  above?: number;
}

/** Plain decimal notation, exponent allowed: what a person types for a price, a rate or a basis-point cost. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Digits only: a count is never written 1e3 or 2.0. */
const WHOLE = /^[+-]?\d+$/;

/** The value as typed, quoted when it would be hard to read bare (empty, spaces, quotes). */
function shown(value: string): string {
  return /^[^\s"]+$/.test(value) ? value : JSON.stringify(value);
}

function refuse(flag: string, value: string, expected: string, hint?: string): never {
  throw new UsageError(`${flag} ${shown(value)}: expected ${expected}`, hint);
}

function describe(kind: "a number" | "an integer", { min, max, above }: Bounds): string {
  if (above !== undefined) return `${kind} > ${above}`;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (kind === "an integer" && min === 1 && max === undefined) return "a positive integer";
  if (kind === "an integer" && min === 0 && max === undefined) return "a non-negative integer";
  if (min !== undefined) return `${kind} >= ${min}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}

function checkBounds(value: string, flag: string, x: number, kind: "a number" | "an integer", b: Bounds) {
  if (
    (b.min !== undefined && x < b.min) ||
    (b.max !== undefined && x > b.max) ||
    (b.above !== undefined && !(x > b.above))
  )
    refuse(flag, value, describe(kind, b));
  return x;
}

/**
 * A finite decimal number within `bounds`; `fallback` when the flag was not given.
 * @example numberFlag("12.5", "--cost-bps", { min: 0 }) // 12.5
 * @example numberFlag("0x10", "--cost-bps") // UsageError: --cost-bps 0x10: expected a number
 */
export function numberFlag(value: string, flag: string, bounds?: Bounds): number;
export function numberFlag(
  value: string | undefined,
  flag: string,
  bounds: Bounds & { fallback: number },
): number;
export function numberFlag(value: string | undefined, flag: string, bounds?: Bounds): number | undefined;
export function numberFlag(
  value: string | undefined,
  flag: string,
  bounds: Bounds & { fallback?: number } = {},
): number | undefined {
  if (value === undefined) return bounds.fallback;
  const x = DECIMAL.test(value) ? Number(value) : Number.NaN;
  // 1e999 matches the pattern but is Infinity: refused like any other non-finite value.
  if (!Number.isFinite(x)) refuse(flag, value, describe("a number", bounds));
  return checkBounds(value, flag, x, "a number", bounds);
}

/**
 * A whole number written with digits only (no exponent, no fraction) within `bounds`; `fallback` when absent.
 * @example integerFlag("8000", "--port", { min: 0, max: 65535 }) // 8000
 * @example integerFlag("1e3", "--splits") // UsageError: --splits 1e3: expected an integer
 */
export function integerFlag(value: string, flag: string, bounds?: Bounds): number;
export function integerFlag(
  value: string | undefined,
  flag: string,
  bounds: Bounds & { fallback: number },
): number;
export function integerFlag(value: string | undefined, flag: string, bounds?: Bounds): number | undefined;
export function integerFlag(
  value: string | undefined,
  flag: string,
  bounds: Bounds & { fallback?: number } = {},
): number | undefined {
  if (value === undefined) return bounds.fallback;
  const x = WHOLE.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(x)) refuse(flag, value, describe("an integer", bounds));
  return checkBounds(value, flag, x, "an integer", bounds);
}

/**
 * A row count or the word `all` (no cap, returned as Infinity); undefined when absent.
 * @example countOrAllFlag("all", "--importance-rows") // Infinity
 */
export function countOrAllFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (value === "all") return Number.POSITIVE_INFINITY;
  if (!WHOLE.test(value) || !(Number(value) >= 1) || !Number.isSafeInteger(Number(value)))
    refuse(flag, value, 'a positive integer or "all"', `e.g. ${flag} 5000`);
  return Number(value);
}

function choices(allowed: readonly string[]): string {
  return allowed.length < 2
    ? allowed.join("")
    : `${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}`;
}

/**
 * One of a fixed list of words (exact spelling); `fallback` when absent.
 * @example oneOfFlag("next-open", "--execution", ["close", "next-open"]) // "next-open"
 */
export function oneOfFlag<T extends string>(value: string, flag: string, allowed: readonly T[]): T;
export function oneOfFlag<T extends string>(
  value: string | undefined,
  flag: string,
  allowed: readonly T[],
  fallback: T,
): T;
export function oneOfFlag<T extends string>(
  value: string | undefined,
  flag: string,
  allowed: readonly T[],
): T | undefined;
export function oneOfFlag<T extends string>(
  value: string | undefined,
  flag: string,
  allowed: readonly T[],
  fallback?: T,
): T | undefined {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag}: "${value}" is not ${choices(allowed)}`);
  return value as T;
}

/**
 * A calendar date or time, strictly (no roll-over: 2019-02-30 is refused), as epoch ms UTC.
 * @example dateFlag("2016-01-04", "--split-date") // Date.UTC(2016, 0, 4)
 */
export function dateFlag(value: string, flag: string): number;
export function dateFlag(value: string | undefined, flag: string): number | undefined;
export function dateFlag(value: string | undefined, flag: string): number | undefined {
  return value === undefined ? undefined : parseDateFlag(value, flag);
}

/** `--split-date none`: no test window, the model is fitted on every row. */
export const NO_SPLIT = "none";

/**
 * A train split: a date (epoch ms), "none" (fit on every row), or undefined when not given (the default split,
 * frame/default-split.ts).
 * @example splitDateFlag("none", "--split-date") // "none"
 * @example splitDateFlag("2016-01-04", "--split-date") // Date.UTC(2016, 0, 4)
 */
export function splitDateFlag(value: string | undefined, flag: string): number | typeof NO_SPLIT | undefined {
  if (value === undefined) return undefined;
  if (value.trim().toLowerCase() === NO_SPLIT) return NO_SPLIT;
  return parseDateFlag(value, flag);
}

/**
 * Tickers from a repeatable, comma-separated flag (`--ticker SPX,MSFT --ticker IBM`): trimmed, empty items
 * dropped, duplicates removed, order kept. An empty list means "not given".
 * @example tickerListFlag(["SPX, MSFT", "SPX"], "--ticker") // ["SPX", "MSFT"]
 */
export function tickerListFlag(value: string | readonly string[] | undefined, flag: string): string[] {
  const items = (typeof value === "string" ? [value] : (value ?? []))
    .flatMap((v) => v.split(","))
    .map((t) => t.trim())
    .filter((t) => t !== "");
  // A ticker names files and database rows: control characters are never part of one.
  for (const t of items)
    if (/[\p{Cc}]/u.test(t)) throw new UsageError(`${flag}: ${JSON.stringify(t)} is not a ticker`);
  return [...new Set(items)];
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
type DurationUnit = keyof typeof UNIT_MS;

/**
 * A non-negative duration in milliseconds. A bare number is in the flag's documented `unit`; a suffix
 * (`500ms`, `30s`, `2m`, `1h`) says its own. `min` is in milliseconds; `fallback` (ms) when absent.
 * @example durationFlag("30", "--timeout", { unit: "s" }) // 30000
 * @example durationFlag("250ms", "--timeout", { unit: "s" }) // 250
 */
export function durationFlag(
  value: string | undefined,
  flag: string,
  options: { unit: DurationUnit; min?: number; fallback: number },
): number;
export function durationFlag(
  value: string | undefined,
  flag: string,
  options: { unit: DurationUnit; min?: number },
): number | undefined;
export function durationFlag(
  value: string | undefined,
  flag: string,
  options: { unit: DurationUnit; min?: number; fallback?: number },
): number | undefined {
  if (value === undefined) return options.fallback;
  const m = /^(.*?)(ms|s|m|h)?$/.exec(value) as RegExpExecArray;
  const amount = DECIMAL.test(m[1]) ? Number(m[1]) : Number.NaN;
  const unit = (m[2] ?? options.unit) as DurationUnit;
  const ms = amount * UNIT_MS[unit];
  const min = options.min ?? 0;
  const expected = `a duration${min > 0 ? ` of at least ${min} ms` : ""} (e.g. 30${options.unit}, 500ms, 2m)`;
  if (!Number.isFinite(ms) || ms < min) refuse(flag, value, expected);
  return ms;
}
