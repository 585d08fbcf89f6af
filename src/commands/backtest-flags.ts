// The walk-forward and sweep flags of `tsml backtest`, checked before anything is read: each applies only with
// the flags it belongs to.

import { parseSweep, type SweepSpec } from "../backtest/sweep.js";
import { UsageError } from "../core/errors.js";

interface Flags {
  walkForward?: boolean;
  refit?: string;
  window?: string;
  minTrain?: string;
  tune?: boolean;
  threshold?: string;
  queue?: string;
  sweep?: string;
  signal?: string;
  input?: string;
  output?: string;
}

/** Refuses flag combinations that mean nothing; returns the parsed sweep (null without --sweep). */
export function checkWalkForwardFlags(o: Flags): SweepSpec | null {
  if (!o.walkForward) {
    const stray = (["refit", "window", "minTrain", "tune", "threshold", "queue"] as const).filter(
      (k) => o[k] !== undefined,
    );
    if (stray.length > 0) {
      const flag = stray[0] === "minTrain" ? "min-train" : stray[0];
      throw new UsageError(
        `--${flag} applies to --walk-forward`,
        "e.g. tsml backtest --walk-forward --refit 63 --ticker SPX",
      );
    }
  } else if (o.signal)
    throw new UsageError(
      "--walk-forward trains its own signal: drop --signal",
      "to backtest a rule column, drop --walk-forward",
    );
  const sweep = o.sweep === undefined ? null : parseSweep(o.sweep);
  if (sweep && o.signal)
    throw new UsageError(
      "--sweep threshold thresholds a model's proba: it does not apply to --signal COLUMN",
    );
  return sweep;
}
