// Ends a pool of task workers by letting each close its own port and exit, rather than worker.terminate():
// terminating an isolate while V8 still compiles on a background thread for it can abort the whole process
// in Node 20 (node_platform.cc "Assertion failed: (data.first) != nullptr"), seen at the end of a walk-forward.

import type { Worker } from "node:worker_threads";

/** The message a task worker answers by closing its port (see `closeOnStop`). */
export const STOP_WORKER = null;

/** Asks every worker to stop and waits for it to exit; one that does not exit within `graceMs` is terminated. */
export async function stopWorkers(workers: readonly Worker[], graceMs = 5_000): Promise<void> {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => void worker.terminate().then(() => resolve()), graceMs);
          worker.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          worker.postMessage(STOP_WORKER);
        }),
    ),
  );
}
