// The worker's side of `train --tune --queue`: read the training window the submitter left in the workspace
// (checking its fingerprint), run one (combination, fold) task with the function a local thread runs (in a
// thread, dataset-threads.ts), and return its scores in a form JSON carries exactly (NaN is not JSON).

import { DataError } from "../core/errors.js";
import { decodeCvDataset } from "../models/tuning/cv-dataset-bytes.js";
import { type FoldResult, runFoldTask } from "../models/tuning/fold-task.js";
import { runInDatasetThread, threadScript } from "./dataset-threads.js";
import { fromWire, readQueueInput, toWire } from "./queue-workspace.js";

/** Runs a "fold" job (payload { dataset, sha256, params, combo, fold }) in the dataset's `threads` threads. */
export async function runFoldJob(
  workspace: string,
  data: Record<string, unknown>,
  threads = 1,
): Promise<unknown> {
  const dataset = await readQueueInput(workspace, data.dataset, data.sha256, decodeCvDataset);
  const fold = Number(data.fold);
  if (!Number.isInteger(fold) || fold < 0 || fold >= dataset.folds.length)
    throw new DataError(
      `fold ${String(data.fold)} is not one of the dataset's ${dataset.folds.length} folds`,
    );
  const params = data.params as Record<string, unknown>;
  const combo = Number(data.combo);
  const url = threadScript("models/tuning/grid-worker.js");
  const r = url
    ? ((await runInDatasetThread(url, String(data.sha256), dataset, threads, {
        params,
        combo,
        fold,
      })) as FoldResult)
    : await runFoldTask(dataset, params, combo, fold);
  return {
    ...r,
    testScore: toWire(r.testScore),
    trainScore: toWire(r.trainScore),
    fitSeconds: toWire(r.fitSeconds),
  };
}

/** A fold job's result as the grid search takes it. */
export function decodeFoldResult(value: unknown): FoldResult {
  const r = value as Record<string, unknown>;
  return {
    combo: Number(r.combo),
    fold: Number(r.fold),
    testScore: fromWire(r.testScore),
    trainScore: fromWire(r.trainScore),
    fitSeconds: fromWire(r.fitSeconds),
    error: typeof r.error === "string" ? r.error : null,
  };
}
