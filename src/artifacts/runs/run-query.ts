// Reading the run history: every run record, one run by id (or a unique part of it), and the artifacts of
// finished runs by kind, ticker and model id (how the report finds the model a backtest was made with).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../core/errors.js";
import { isRunId } from "./run-id.js";
import type { RunArtifact, RunRecord } from "./run-record.js";
import { RUN_FILE, runsDir } from "./run-tracker.js";

function readRecord(path: string): RunRecord | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as RunRecord;
    return parsed?.kind === "run" && typeof parsed.id === "string" && Array.isArray(parsed.results)
      ? parsed
      : null;
  } catch {
    return null;
  }
}

/** Every readable run record, oldest first (a folder being claimed, or a damaged record, is skipped). */
export function listRuns(workspace: string): RunRecord[] {
  const root = runsDir(workspace);
  if (!existsSync(root)) return [];
  const runs: RunRecord[] = [];
  for (const name of readdirSync(root)) {
    if (!isRunId(name)) continue;
    const record = readRecord(join(root, name, RUN_FILE));
    if (record && record.id === name) runs.push(record);
  }
  return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

/**
 * The runs named by `refs`, in that order: a full id, or any part of one that only one run has (the random
 * tail `3fa2c1d4` is enough). An unknown or ambiguous reference is a usage error.
 */
export function resolveRuns(workspace: string, refs: readonly string[]): RunRecord[] {
  const runs = listRuns(workspace);
  return refs.map((ref) => {
    const exact = runs.find((r) => r.id === ref);
    if (exact) return exact;
    const matches = ref.length >= 4 ? runs.filter((r) => r.id.includes(ref)) : [];
    if (matches.length === 1) return matches[0];
    if (matches.length > 1)
      throw new UsageError(
        `run "${ref}" is ambiguous: ${matches.map((r) => r.id).join(", ")}`,
        "give more of the id",
      );
    throw new UsageError(
      `no run "${ref}" in ${runsDir(workspace)}`,
      runs.length > 0 ? "list the runs with tsml runs" : "train, predict, backtest or evaluate first",
    );
  });
}

export interface FoundArtifact extends RunArtifact {
  run: RunRecord;
}

/** Artifacts of finished runs matching kind, ticker and model id whose files still exist, newest run first. */
export function findRunArtifacts(
  workspace: string,
  wanted: { kind: string; ticker: string; modelId?: string | null; sha256?: string },
): FoundArtifact[] {
  const out: FoundArtifact[] = [];
  for (const run of listRuns(workspace).reverse()) {
    if (run.status !== "finished") continue;
    for (const artifact of run.artifacts) {
      if (artifact.kind !== wanted.kind || artifact.ticker !== wanted.ticker) continue;
      if (wanted.modelId !== undefined && artifact.modelId !== wanted.modelId) continue;
      if (wanted.sha256 !== undefined && artifact.sha256 !== wanted.sha256) continue;
      if (existsSync(join(workspace, artifact.path))) out.push({ ...artifact, run });
    }
  }
  return out;
}
