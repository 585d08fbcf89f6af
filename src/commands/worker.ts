// `tsml worker --queue URL`: take jobs from every tsml queue on that Redis (tuning folds of `train --tune
// --queue`, walk-forward refits, one ticker of a batch command) and run them against the shared workspace, until SIGTERM or Ctrl-C: the first finishes the jobs in
// hand, a second leaves them to another worker (the stall check hands them on after --stalled-ms).

import { integerFlag } from "../core/flags.js";
import "../models/all-models.js";
import { parseQueueUrl } from "../queue/queue-url.js";
import { serveQueue } from "../queue/serve-queue.js";
import { closeDatasetThreads } from "./dataset-threads.js";
import { runFoldJob } from "./queue-fold-job.js";
import { runRefitJob } from "./queue-refit-job.js";
import { runTickerJob } from "./queue-ticker-job.js";
import type { RunContext } from "./support/run-context.js";

export interface WorkerOptions {
  queue: string;
  concurrency?: string;
  stalledMs?: string;
}

/** Resolves on the first SIGTERM/SIGINT (`stop`) and on the second (`stopNow`). */
function signals(): { stop: Promise<void>; stopNow: Promise<void> } {
  let count = 0;
  let first: () => void = () => {};
  let second: () => void = () => {};
  const stop = new Promise<void>((resolve) => {
    first = resolve;
  });
  const stopNow = new Promise<void>((resolve) => {
    second = resolve;
  });
  const on = () => {
    count++;
    if (count === 1) first();
    else second();
  };
  process.on("SIGTERM", on);
  process.on("SIGINT", on);
  return { stop, stopNow };
}

export async function worker(options: WorkerOptions, ctx: RunContext): Promise<unknown> {
  const url = parseQueueUrl(options.queue);
  const concurrency = integerFlag(options.concurrency, "--concurrency", { min: 1, fallback: 1 });
  const stalledMs = integerFlag(options.stalledMs, "--stalled-ms", { min: 200, fallback: 30_000 });
  const workspace = ctx.workspace;
  let counts: { jobs: number; failed: number };
  try {
    counts = await serveQueue({
      url,
      concurrency,
      stalledMs,
      log: ctx.log,
      handlers: {
        fold: (data) => runFoldJob(workspace, data, concurrency),
        refit: (data) => runRefitJob(workspace, data, concurrency),
        ticker: (data) => runTickerJob(workspace, data),
      },
      ...signals(),
    });
  } finally {
    await closeDatasetThreads();
  }
  return { queue: url.display, workspace, ...counts };
}
