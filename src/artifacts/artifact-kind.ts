// The kinds of artifact tsml writes, their schema versions, and the stage that makes each one.

import { DataError } from "../core/errors.js";

export type ArtifactKind =
  | "bars"
  | "features"
  | "predictions"
  | "backtest"
  | "metrics"
  | "model"
  | "report"
  | "registry-entry";

/**
 * The schema each kind is written with; src/artifacts/kinds/<kind>-artifact.ts reads every version up to it.
 * 2 (predictions, backtest, metrics): every details field present, `splitDate` in one ISO spelling, metrics
 * files tagged with their `source`. Bars, features and models are unchanged since 1.
 */
export const SCHEMA_VERSION: Record<ArtifactKind, number> = {
  bars: 1,
  features: 1,
  predictions: 2,
  backtest: 2,
  metrics: 2,
  model: 1,
  report: 1,
  "registry-entry": 1,
};

/** What to run to produce each kind, for "wrong kind" messages. */
export const PRODUCED_BY: Record<ArtifactKind, string> = {
  bars: "tsml ingest csv|db|alphavantage|twse",
  features: "tsml features",
  predictions: "tsml predict",
  backtest: "tsml backtest",
  metrics: "tsml evaluate",
  model: "tsml train",
  report: "tsml export report",
  "registry-entry": "tsml registry register",
};

/** Throws a clear error when an artifact is not of an accepted kind. */
export function expectKind(
  path: string,
  actual: string | undefined,
  accepted: readonly ArtifactKind[],
): void {
  if (accepted.length === 0 || (actual && (accepted as readonly string[]).includes(actual))) return;
  const want = accepted.join(" or ");
  const run = accepted.map((k) => PRODUCED_BY[k]).join(", or ");
  throw new DataError(
    `${path}: expected a ${want} artifact but found ${actual ? `a ${actual} artifact` : "a table without tsml metadata"}`,
    `run ${run} first`,
  );
}
