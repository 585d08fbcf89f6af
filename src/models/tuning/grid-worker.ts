// Worker thread for grid search: receives the CV dataset once, then runs fold tasks on request.

import { parentPort, workerData } from "node:worker_threads";
import "../all-models.js";
import { type CvDataset, runFoldTask } from "./fold-task.js";

interface TaskMessage {
  id: number;
  params: Record<string, unknown>;
  combo: number;
  fold: number;
}

const data = workerData as CvDataset;

parentPort?.on("message", async (task: TaskMessage | null) => {
  // The pool asks the worker to end by sending null (core/stop-workers.ts): closing the port lets it exit.
  if (task === null) {
    parentPort?.close();
    return;
  }
  try {
    const result = await runFoldTask(data, task.params, task.combo, task.fold);
    parentPort?.postMessage({ id: task.id, result });
  } catch (error) {
    const e = error as Error & { exitCode?: number; hint?: string };
    parentPort?.postMessage({
      id: task.id,
      failure: { message: e.message, exitCode: e.exitCode ?? 1, hint: e.hint },
    });
  }
});
