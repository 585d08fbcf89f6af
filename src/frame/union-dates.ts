// The sorted distinct dates of several series (tickers of a panel, windows of a multi-ticker backtest).

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Sorted distinct values of every array; series on one calendar (the usual case) need no sort at all.
 * @example unionDates([Float64Array.of(1, 3), Float64Array.of(2, 3)]) // Float64Array [1, 2, 3]
 */
export function unionDates(times: readonly Float64Array[]): Float64Array {
  if (times.length === 0) return new Float64Array(0);
  const first = times[0];
  if (times.every((t) => sameTimes(t, first))) return first.slice();
  const total = times.reduce((s, t) => s + t.length, 0);
  const all = new Float64Array(total);
  let offset = 0;
  for (const t of times) {
    all.set(t, offset);
    offset += t.length;
  }
  // A typed-array sort and one pass to drop repeats (a Map keyed by date is ~10x slower on 1M rows).
  all.sort();
  let distinct = 0;
  for (let i = 0; i < total; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i];
  return all.slice(0, distinct);
}
