// When a walk-forward backtest refits its model and on which rows: refit every `refit` bars, train on rows whose
// labels were known before the first bar the refit predicts (purged by the label horizon), over a rolling
// window or everything so far. Anchored at the first row, so cutting the data after any bar leaves every earlier
// refit exactly as it was (the causality property the walk-forward test checks).

import { DataError, UsageError } from "../../core/errors.js";

export interface WalkForwardOptions {
  /** Bars between refits (each refit predicts the next `refit` bars). */
  refit: number;
  /** Training rows per refit; "expanding" = every row since the start. */
  window: number | "expanding";
  /** Bars the label looks ahead: a row's label is known `horizon` bars after it. */
  horizon: number;
  /** Rows of history before the first prediction (default: the window, or 252 bars when expanding). */
  minTrain?: number;
}

/** One refit: train on rows [trainStart, trainEnd), predict rows [predictStart, predictEnd). */
export interface Refit {
  trainStart: number;
  trainEnd: number;
  predictStart: number;
  predictEnd: number;
}

/** One year of daily bars: the history an expanding walk-forward gathers before its first prediction. */
export const DEFAULT_MIN_TRAIN = 252;

/**
 * The refits over `rows` rows in time order. A row i's label uses prices up to bar i + horizon, so a refit
 * predicting from bar p trains on rows i with i + horizon < p (trainEnd = p - horizon): its labels end before p.
 * @example walkForwardSchedule(10, { refit: 3, window: "expanding", horizon: 1, minTrain: 4 })
 * // [{trainStart 0, trainEnd 4, predictStart 5, predictEnd 8}, {0, 7, 8, 10}]
 */
export function walkForwardSchedule(rows: number, options: WalkForwardOptions): Refit[] {
  const { refit, window, horizon } = options;
  if (!Number.isInteger(refit) || refit < 1)
    throw new UsageError(`--refit ${refit}: need a whole number >= 1`);
  if (window !== "expanding" && (!Number.isInteger(window) || window < 2))
    throw new UsageError(`--window ${window}: need a whole number of rows >= 2, or "expanding"`);
  if (!Number.isInteger(horizon) || horizon < 0)
    throw new DataError(`label horizon ${horizon}: not a bar count`);
  const minTrain = options.minTrain ?? (window === "expanding" ? DEFAULT_MIN_TRAIN : window);
  if (!Number.isInteger(minTrain) || minTrain < 2)
    throw new UsageError(`--min-train ${minTrain}: need a whole number of rows >= 2`);
  const first = minTrain + horizon;
  if (first >= rows)
    throw new DataError(
      `${rows} rows leave nothing to predict after ${minTrain} training rows and a ${horizon}-bar label horizon`,
      "lower --min-train or --window, or use a longer history",
    );
  const out: Refit[] = [];
  for (let p = first; p < rows; p += refit) {
    const trainEnd = p - horizon;
    const trainStart = window === "expanding" ? 0 : Math.max(0, trainEnd - window);
    out.push({ trainStart, trainEnd, predictStart: p, predictEnd: Math.min(rows, p + refit) });
  }
  return out;
}
