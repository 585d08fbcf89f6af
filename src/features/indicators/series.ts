// Shared helpers for indicator functions: NaN-filled outputs and the first defined index of a series.

/** A new array of `n` NaN values (NaN marks "not yet defined", never 0). */
export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

/** Index of the first non-NaN value, or `x.length` when there is none. */
export function firstValid(x: Float64Array): number {
  let i = 0;
  while (i < x.length && Number.isNaN(x[i])) i++;
  return i;
}

/** Throws when a period parameter is not a positive integer (at least `min`). */
export function checkPeriod(name: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}
