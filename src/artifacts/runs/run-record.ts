// The record of one tracked run (MLflow's run, seed 001): what ran, with which options and tags, the results
// per ticker and model (params, metrics), and every artifact it wrote with its fingerprint and where the latest
// copy was promoted. Stored as runs/<id>/run.json; every text in it is redacted.

/** The stages whose runs are kept. */
export const RUN_STAGES = ["train", "predict", "backtest", "evaluate"] as const;
export type RunStage = (typeof RUN_STAGES)[number];

/** running until it ends; finished (its artifacts are the latest) or failed (they were never promoted). */
export type RunStatus = "running" | "finished" | "failed";

/** One result of a run: a trained model, a scored or backtested ticker, an evaluation. */
export interface RunResult {
  ticker: string | null;
  model: string | null;
  /** `AAPL/rf@9181e6658244`: the model file's ticker, family and the first 12 hex digits of its sha256. */
  modelId: string | null;
  params: Record<string, unknown>;
  /** Flat names: `cv_score`, `test.accuracy`, `backtest.test.sharpe`, `accuracy`...; null when undefined. */
  metrics: Record<string, number | null>;
}

export interface RunArtifact {
  /** model, predictions, backtest, backtest-summary, metrics. */
  kind: string;
  ticker: string | null;
  modelId: string | null;
  /**
   * The run's own copy, relative to the workspace (`runs/<id>/models/AAPL/rf.json`, or a sequence model's folder
   * `runs/<id>/models/SPX/lstm`); never overwritten.
   */
  path: string;
  /** The workspace path it is the latest copy of (`models/AAPL/rf.json`). */
  current: string;
  /** Of the file; of its `tsml.json` for a model folder. */
  sha256: string;
  /** True once copied to `current` (only runs that succeed are promoted). */
  promoted: boolean;
}

export interface RunRecord {
  kind: "run";
  version: 1;
  id: string;
  stage: RunStage;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  tsmlVersion: string;
  command: string;
  options: Record<string, unknown>;
  seed: number | null;
  tags: Record<string, string>;
  results: RunResult[];
  artifacts: RunArtifact[];
  /** The one-line error of a failed run (redacted); a gate that held is noted here too. */
  error: string | null;
}

/** The model family in a model id (`AAPL/rf@9181e6658244` -> `rf`), or null when it is not one. */
export function modelOfId(modelId: string | null): string | null {
  if (!modelId) return null;
  const m = /\/([^/@]+)@[0-9a-f]+$/.exec(modelId);
  return m ? m[1] : null;
}
