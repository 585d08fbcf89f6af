// Cross-validation folds for time series: scikit-learn's TimeSeriesSplit (optionally purged by the label
// horizon), purged k-fold with an embargo, and walk-forward with a rolling training window.

import { DataError, UsageError } from "../../core/errors.js";

/** Row indices (into the training window, ascending) of one fold. */
export interface Fold {
  train: Uint32Array;
  test: Uint32Array;
}

export type CvMethod = "tss" | "purged-kfold" | "walk-forward";

export interface CvOptions {
  method: CvMethod;
  splits: number;
  /** Rows dropped from the end of training data before each validation block (the label horizon). */
  purge: number;
  /** purged-kfold: rows after each validation block also kept out of training. */
  embargo: number;
  /** walk-forward: rows in the rolling training window (0 = the first fold's training size). */
  window: number;
}

function range(start: number, end: number): Uint32Array {
  const out = new Uint32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

/**
 * scikit-learn's TimeSeriesSplit(n_splits) boundaries: test blocks of n // (splits + 1) rows at the end,
 * training on everything before each block; `purge` rows just before the block are dropped (0 = sklearn).
 * @example timeSeriesSplit(10, 3, 0) // train [0..3], test [4,5]; train [0..5], test [6,7]; train [0..7], test [8,9]
 */
export function timeSeriesSplit(rows: number, splits: number, purge: number, maxTrain = 0): Fold[] {
  const testSize = Math.floor(rows / (splits + 1));
  if (splits < 2) throw new UsageError(`--splits ${splits}: need at least 2`);
  if (testSize < 1)
    throw new DataError(`too few rows (${rows}) for ${splits} time-series splits`, "lower --splits");
  const folds: Fold[] = [];
  for (let k = 0; k < splits; k++) {
    const testStart = rows - splits * testSize + k * testSize;
    const trainEnd = testStart - purge;
    const trainStart = maxTrain > 0 ? Math.max(0, trainEnd - maxTrain) : 0;
    if (trainEnd <= trainStart)
      throw new DataError(
        `fold ${k + 1}: purging ${purge} rows leaves no training rows before row ${testStart + 1}`,
        "lower --splits or --purge",
      );
    folds.push({ train: range(trainStart, trainEnd), test: range(testStart, testStart + testSize) });
  }
  return folds;
}

/**
 * Contiguous k folds (scikit-learn KFold without shuffling: the first n % k folds get one extra row); training
 * rows are all others, minus `purge` rows before the block and `embargo` rows after it (López de Prado).
 */
export function purgedKFold(rows: number, splits: number, purge: number, embargo: number): Fold[] {
  if (splits < 2) throw new UsageError(`--splits ${splits}: need at least 2`);
  if (rows < splits) throw new DataError(`too few rows (${rows}) for ${splits} folds`, "lower --splits");
  const folds: Fold[] = [];
  let start = 0;
  for (let k = 0; k < splits; k++) {
    const size = Math.floor(rows / splits) + (k < rows % splits ? 1 : 0);
    const end = start + size;
    const train: number[] = [];
    for (let i = 0; i < rows; i++) if (i < start - purge || i >= end + embargo) train.push(i);
    if (train.length === 0) throw new DataError(`fold ${k + 1}: purge/embargo leave no training rows`);
    folds.push({ train: Uint32Array.from(train), test: range(start, end) });
    start = end;
  }
  return folds;
}

/** Folds for the chosen method. */
export function makeFolds(rows: number, options: CvOptions): Fold[] {
  switch (options.method) {
    case "tss":
      return timeSeriesSplit(rows, options.splits, options.purge);
    case "purged-kfold":
      return purgedKFold(rows, options.splits, options.purge, options.embargo);
    case "walk-forward": {
      const testSize = Math.floor(rows / (options.splits + 1));
      const window = options.window > 0 ? options.window : rows - options.splits * testSize - options.purge;
      return timeSeriesSplit(rows, options.splits, options.purge, window);
    }
    default:
      throw new UsageError(`--cv ${String(options.method)}: choose tss, purged-kfold or walk-forward`);
  }
}
