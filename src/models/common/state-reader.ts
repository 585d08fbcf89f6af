// Reads a saved model state field by field: a wrong type, a wrong shape or a non-finite value is a DataError that
// names the field, so a corrupt model file is refused on load instead of scoring every row as NaN.

import { DataError } from "../../core/errors.js";

/** A short rendering of a bad value for the message ("abc" quoted, long arrays cut). */
function show(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "number") return `${value}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function bounds(min: number, max: number): string {
  if (min === Number.NEGATIVE_INFINITY && max === Number.POSITIVE_INFINITY) return "";
  if (max === Number.POSITIVE_INFINITY) return ` >= ${min}`;
  if (min === Number.NEGATIVE_INFINITY) return ` <= ${max}`;
  return ` in [${min}, ${max}]`;
}

export interface NumbersOptions {
  /** Required length. */
  length?: number;
  min?: number;
  max?: number;
  integer?: boolean;
}

/**
 * Typed accessors over the parsed JSON of one model's state; each names the field in its error.
 * @example
 * const read = new StateReader("ols");
 * const coef = read.numbers(state.coef, "coef", { length: features });
 */
export class StateReader {
  constructor(readonly model: string) {}

  fail(field: string, problem: string): never {
    throw new DataError(
      `${this.model}: saved model field ${field} ${problem}`,
      "the model file is damaged or was edited; train it again (tsml train)",
    );
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      this.fail(field, `is ${show(value)}, expected an object`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, field: string, length?: number): unknown[] {
    if (!Array.isArray(value)) this.fail(field, `is ${show(value)}, expected a list`);
    if (length !== undefined && value.length !== length)
      this.fail(field, `has ${value.length} entries, expected ${length}`);
    return value;
  }

  /** A finite number within [min, max]. */
  number(
    value: unknown,
    field: string,
    min = Number.NEGATIVE_INFINITY,
    max = Number.POSITIVE_INFINITY,
  ): number {
    if (typeof value !== "number" || !Number.isFinite(value))
      this.fail(field, `is ${show(value)}, expected a finite number`);
    if (value < min || value > max) this.fail(field, `is ${value}, expected a number${bounds(min, max)}`);
    return value;
  }

  integer(
    value: unknown,
    field: string,
    min = Number.NEGATIVE_INFINITY,
    max = Number.POSITIVE_INFINITY,
  ): number {
    const v = this.number(value, field);
    if (!Number.isInteger(v) || v < min || v > max)
      this.fail(field, `is ${v}, expected an integer${bounds(min, max)}`);
    return v;
  }

  choice<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
    if (typeof value !== "string" || !(choices as readonly string[]).includes(value))
      this.fail(field, `is ${show(value)}, expected one of ${choices.join(", ")}`);
    return value as T;
  }

  /** The binary families only ever save classes [0, 1]. */
  binaryClasses(classes: readonly number[]): void {
    if (classes.length !== 2 || classes[0] !== 0 || classes[1] !== 1)
      this.fail("classes", `is ${show(classes)}, expected [0,1]`);
  }

  /** A list of finite numbers (each checked, so a null or a string inside is named by its index). */
  numbers(value: unknown, field: string, options: NumbersOptions = {}): Float64Array<ArrayBuffer> {
    const list = this.array(value, field, options.length);
    const min = options.min ?? Number.NEGATIVE_INFINITY;
    const max = options.max ?? Number.POSITIVE_INFINITY;
    const out = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++)
      out[i] = options.integer
        ? this.integer(list[i], `${field}[${i}]`, min, max)
        : this.number(list[i], `${field}[${i}]`, min, max);
    return out;
  }
}
