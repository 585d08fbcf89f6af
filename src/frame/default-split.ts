// The train/test split tsml takes when none is given (no --split-date, no "splitDate" in tsml.json): the last
// 20% of the rows are held out, so `evaluate` right after `train` scores rows the model never saw. Tabular and
// sequence models share the rule, so predict, backtest, evaluate and the report label the same windows.

/** Share of the rows (sorted by time) that train when no split date is given; the rest are the test window. */
export const DEFAULT_TRAIN_SHARE = 0.8;

/** The rule as the train line and the docs spell it. */
export const DEFAULT_SPLIT_RULE = "the last 20% of the rows held out for testing";

/**
 * Rows that train under the default split: floor(80% of n).
 * @example defaultTrainRows(123) // 98
 */
export function defaultTrainRows(rows: number): number {
  return Math.floor(rows * DEFAULT_TRAIN_SHARE);
}

/**
 * The default split date of rows sorted by time: the time of the first held-out row (rows strictly before it
 * train, as with --split-date). Null when no row is held out or none would train (fewer than 2 rows).
 * @example defaultSplitTime([d0, d1, d2, d3, d4]) // d4: 4 rows train, 1 is held out
 */
export function defaultSplitTime(time: ArrayLike<number>): number | null {
  const trainRows = defaultTrainRows(time.length);
  if (trainRows === 0 || trainRows >= time.length) return null;
  return time[trainRows];
}
