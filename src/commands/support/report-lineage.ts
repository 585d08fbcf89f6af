// One lineage per ticker in the report: the backtest names the model its signals came from (its model id, the
// model file's fingerprint), and the report shows that model, the predictions it made and the evaluation of
// them, taken from the latest files when they match and else from the run that kept them, never a mix.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { findRunArtifacts } from "../../artifacts/runs/run-query.js";
import { FOLDER_RECORD_FILE } from "../../artifacts/runs/run-tracker.js";
import { sha256File } from "../../core/fingerprint.js";

/** `AAPL/rf@9181e6658244` -> its family and fingerprint prefix; null for anything else. */
export function parseModelId(modelId: string | null | undefined): { model: string; sha: string } | null {
  const m = /^.+\/([^/@]+)@([0-9a-f]{12})$/.exec(modelId ?? "");
  return m ? { model: m[1], sha: m[2] } : null;
}

/**
 * The model file with this id: among the ticker's latest model files (`candidates`), else a kept run's copy;
 * null when neither holds it (trained elsewhere, or its run was deleted).
 */
export async function modelFileOf(
  workspace: string,
  ticker: string,
  modelId: string,
  candidates: readonly string[],
): Promise<string | null> {
  const id = parseModelId(modelId);
  if (!id) return null;
  for (const path of candidates) if ((await sha256File(path)).startsWith(id.sha)) return path;
  const kept = findRunArtifacts(workspace, { kind: "model", ticker, modelId })[0];
  if (!kept) return null;
  // A sequence model is kept as its folder; the report reads the folder's record file, as for the latest ones.
  const path = join(workspace, kept.path);
  return statSync(path).isDirectory() ? join(path, FOLDER_RECORD_FILE) : path;
}

/**
 * The artifact of `kind` made with `modelId`: the latest file when its recorded model id is this one, else the
 * newest finished run's copy, else null.
 */
export function artifactOfModel(
  workspace: string,
  kind: "predictions" | "metrics",
  ticker: string,
  modelId: string,
  latest: { path: string; modelId: string | null } | null,
): string | null {
  if (latest && latest.modelId === modelId && existsSync(latest.path)) return latest.path;
  const kept = findRunArtifacts(workspace, { kind, ticker, modelId })[0];
  return kept ? join(workspace, kept.path) : null;
}
