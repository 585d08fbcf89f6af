// The workspace's ledger of trials (trials/<TICKER>.json): every strategy variant a sweep backtested and every
// tuned model's CV trials, so a deflated Sharpe ratio counts all the trials ever tried on that ticker and target,
// not only the ones of the current command. A trial recorded again (the same key) replaces its earlier entry.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-file.js";
import { DataError } from "../core/errors.js";
import { tickerFileName } from "./workspace.js";

/** One trial: its per-period Sharpe ratio and the return moments the DSR needs. */
export interface TrialEntry {
  /** What makes the trial itself (e.g. the signal source, strategy, costs and `threshold=0.55`). */
  key: string;
  /** The label or target the strategy trades. */
  target: string;
  /** "sweep" (a backtest variant) or "tune" (a model's grid combination). */
  source: "sweep" | "tune";
  label: string;
  /** Per-period Sharpe ratio (not annualised); null for tuning trials, which have a CV score, not returns. */
  sharpe: number | null;
  periods: number | null;
  skew: number | null;
  kurtosis: number | null;
  recordedAt: string;
}

interface LedgerFile {
  kind: "trial-ledger";
  version: 1;
  ticker: string;
  trials: TrialEntry[];
}

export function trialLedgerPath(workspace: string, ticker: string): string {
  return join(workspace, "trials", `${tickerFileName(ticker)}.json`);
}

/** Every trial recorded for the ticker (all targets); none when the ledger does not exist yet. */
export function readTrialLedger(workspace: string, ticker: string): TrialEntry[] {
  const path = trialLedgerPath(workspace, ticker);
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DataError(
      `${path}: not valid JSON (${(error as Error).message})`,
      "delete it to start a new ledger",
    );
  }
  const file = parsed as Partial<LedgerFile> | null;
  if (file?.kind !== "trial-ledger" || !Array.isArray(file.trials))
    throw new DataError(`${path}: not a tsml trial ledger`, "delete it to start a new ledger");
  return file.trials;
}

/**
 * Adds `entries` (replacing any with the same key and target) and writes the ledger atomically; returns the
 * ledger's trials after the update.
 */
export async function recordTrials(
  workspace: string,
  ticker: string,
  entries: readonly TrialEntry[],
): Promise<TrialEntry[]> {
  const fresh = new Set(entries.map((e) => `${e.target}\u0000${e.key}`));
  const kept = readTrialLedger(workspace, ticker).filter((e) => !fresh.has(`${e.target}\u0000${e.key}`));
  const trials = [...kept, ...entries];
  const file: LedgerFile = { kind: "trial-ledger", version: 1, ticker, trials };
  await writeFileAtomic(trialLedgerPath(workspace, ticker), `${JSON.stringify(file, null, 1)}\n`);
  return trials;
}
