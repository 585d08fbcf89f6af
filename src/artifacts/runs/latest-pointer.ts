// The latest pointer of a ticker and model: which run last succeeded at each stage (runs/latest/AAPL/rf.json).
// Written only by a run that succeeded, under the runs lock, by renaming a complete file into place.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/atomic-file.js";
import { tickerFileName, WORKSPACE_DIRS } from "../workspace.js";
import type { RunStage } from "./run-record.js";

export interface StagePointer {
  run: string;
  modelId: string | null;
  at: string;
}

export interface LatestPointer {
  ticker: string;
  /** null for runs not tied to a model (a backtest of a feature column). */
  model: string | null;
  stages: Partial<Record<RunStage, StagePointer>>;
}

/** Pointer file name for runs without a model: `_` is not a model family name. */
const NO_MODEL = "_";

export function latestPointerPath(workspace: string, ticker: string, model: string | null): string {
  return join(workspace, WORKSPACE_DIRS.runs, "latest", tickerFileName(ticker), `${model ?? NO_MODEL}.json`);
}

/** The pointer, or an empty one when none was written yet (or it cannot be read). */
export function readLatestPointer(workspace: string, ticker: string, model: string | null): LatestPointer {
  try {
    const parsed = JSON.parse(
      readFileSync(latestPointerPath(workspace, ticker, model), "utf8"),
    ) as LatestPointer;
    if (parsed && typeof parsed.stages === "object" && parsed.stages !== null) return parsed;
  } catch {
    // Absent or unreadable: start over (the run records still say which runs succeeded).
  }
  return { ticker, model, stages: {} };
}

export async function writeLatestPointer(workspace: string, pointer: LatestPointer): Promise<void> {
  await writeFileAtomic(
    latestPointerPath(workspace, pointer.ticker, pointer.model),
    `${JSON.stringify(pointer, null, 2)}\n`,
  );
}
