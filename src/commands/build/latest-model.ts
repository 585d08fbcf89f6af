// The model a stage scores when none is named: the ticker's most recently trained tabular model.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { modelPath } from "../../artifacts/workspace.js";
import { isSequenceModel } from "../../models/sequence/sequence-names.js";

/** The newest tabular `models/<T>/<model>.json` (by modification time), or null when the ticker has none. */
export function latestModel(workspace: string, ticker: string): string | null {
  // The folder modelPath puts a ticker's models in, whatever the model is called.
  const folder = dirname(modelPath(workspace, ticker, "model"));
  if (!existsSync(folder)) return null;
  let best: { path: string; time: number } | null = null;
  for (const name of readdirSync(folder)) {
    if (!name.endsWith(".json") || name.startsWith(".")) continue;
    const path = join(folder, name);
    const info = statSync(path);
    if (!info.isFile() || !isTabularModel(path)) continue;
    if (best === null || info.mtimeMs > best.time) best = { path, time: info.mtimeMs };
  }
  return best?.path ?? null;
}

/** A model artifact a tabular scorer reads (not another JSON file kept beside the models, nor a sequence model). */
function isTabularModel(path: string): boolean {
  try {
    const body = JSON.parse(readFileSync(path, "utf8")) as { kind?: unknown; model?: unknown };
    return body.kind === "model" && typeof body.model === "string" && !isSequenceModel(body.model);
  } catch {
    return false;
  }
}
