// The batch commands that go on the job queue ticker by ticker (`--queue URL` over several tickers), and the
// workspace folders where each finds its tickers when none is named. Kept apart from the queue code so the CLI
// can ask without loading BullMQ.

import type { WorkspaceDir } from "../artifacts/workspace.js";

export const QUEUED_BATCH_INPUTS: Readonly<Record<string, readonly WorkspaceDir[]>> = {
  features: ["bars"],
  train: ["features"],
  backtest: ["predictions"],
  evaluate: ["predictions", "backtests"],
};
