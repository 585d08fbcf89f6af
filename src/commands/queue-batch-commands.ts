// The batch commands that go on the job queue ticker by ticker (`--queue URL` over several tickers; a
// subcommand by its path, "ingest alphavantage"), and where each finds its tickers when none is named. Kept
// apart from the queue code so the CLI can ask without loading BullMQ.

import type { WorkspaceDir } from "../artifacts/workspace.js";

/**
 * For each queued command, the workspace folders it takes its tickers from without `--ticker`, as the local
 * command does (build/stage-inputs.ts): the first set that holds any ticker, the union of its folders. `models`
 * counts a ticker with a model in `models/<T>/`: backtest and evaluate score its predictions first.
 */
export const QUEUED_BATCH_INPUTS: Readonly<Record<string, readonly (readonly WorkspaceDir[])[]>> = {
  features: [["bars"]],
  // Train reads features; a workspace with bars but no features at all gets them built ticker by ticker.
  train: [["features"], ["bars"]],
  backtest: [["models", "predictions"]],
  evaluate: [["models", "predictions", "backtests"]],
  // Symbols are always named (--symbol A,B,C): one job fetches one.
  "ingest alphavantage": [],
};

/** The flag that names a job's one ticker: `--symbol` for a source that is asked by symbol. */
export function tickerFlagOf(command: string): string {
  return command === "ingest alphavantage" ? "--symbol" : "--ticker";
}

/** `backtest --signal COLUMN` backtests a rule on the features, not a model's predictions. */
export function queuedTickerSources(
  command: string,
  flags: readonly string[],
): readonly (readonly WorkspaceDir[])[] {
  if (command === "backtest" && flags.some((f) => f === "--signal" || f.startsWith("--signal=")))
    return [["features"]];
  return QUEUED_BATCH_INPUTS[command] ?? [];
}
