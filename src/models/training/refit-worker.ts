// Worker thread for walk-forward refits: receives the data once, then fits and predicts refits on request.

import { parentPort, workerData } from "node:worker_threads";
import "../all-models.js";
import { type RefitData, runRefit } from "./refit-task.js";

const data = workerData as RefitData;

parentPort?.on("message", async (task: { id: number; index: number } | null) => {
  // The pool asks the worker to end by sending null (core/stop-workers.ts): closing the port lets it exit.
  if (task === null) {
    parentPort?.close();
    return;
  }
  try {
    const result = await runRefit(data, task.index);
    parentPort?.postMessage({ id: task.id, result });
  } catch (error) {
    const e = error as Error & { exitCode?: number; hint?: string };
    parentPort?.postMessage({
      id: task.id,
      failure: { message: e.message, exitCode: e.exitCode ?? 1, hint: e.hint },
    });
  }
});
