// `train --tune`: the chosen parameters are the best of every combination cross-validated, so the run says how
// many trials stand behind them and records each in the workspace's trial ledger (source "tune"). CV scores are
// accuracies, not Sharpe ratios, so they do not enter a deflated Sharpe ratio; sweeps of the backtest do.

import { readTrialLedger, recordTrials, trialLedgerPath } from "../artifacts/trial-ledger.js";
import type { CvResultRow } from "../models/tuning/grid-search.js";
import type { RunContext } from "./support/run-context.js";

/** Records the grid's trials; returns the line to print. */
export async function recordTuningTrials(
  ctx: RunContext,
  ticker: string,
  target: string,
  model: string,
  rows: readonly CvResultRow[],
): Promise<string> {
  const now = new Date().toISOString();
  await recordTrials(
    ctx.workspace,
    ticker,
    rows.map((r) => ({
      key: `tune ${model} ${JSON.stringify(r.params, Object.keys(r.params).sort())}`,
      target,
      source: "tune" as const,
      label: `${model} ${JSON.stringify(r.params)}`,
      sharpe: null,
      periods: null,
      skew: null,
      kurtosis: null,
      recordedAt: now,
    })),
  );
  const recorded = readTrialLedger(ctx.workspace, ticker).filter((e) => e.target === target);
  const tuning = recorded.filter((e) => e.source === "tune").length;
  const swept = recorded.length - tuning;
  return (
    `tuning: the chosen parameters are the best of ${rows.length} combinations by CV (a best-of-${rows.length} ` +
    `score is biased upward); ${tuning} tuning and ${swept} backtest trials recorded for ${ticker}/${target} in ` +
    `${trialLedgerPath(ctx.workspace, ticker)} (deflated Sharpe: tsml backtest --sweep)`
  );
}
