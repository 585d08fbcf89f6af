// `tsml worker --queue URL`: take jobs from every tsml queue of this workspace on that Redis (tuning folds of
// `train --tune --queue`, walk-forward refits, one ticker of a batch command) and run them against the shared
// workspace, until SIGTERM or Ctrl-C: the first finishes the jobs in hand, a second leaves them to another
// worker (the stall check hands them on after --stalled-ms).

import { isS3Workspace } from "../artifacts/remote-workspace/s3-url.js";
import { UsageError } from "../core/errors.js";
import { integerFlag } from "../core/flags.js";
import "../models/all-models.js";
import { parseQueueUrl } from "../queue/queue-url.js";
import { serveQueue } from "../queue/serve-queue.js";
import { closeDatasetThreads } from "./dataset-threads.js";
import { runFoldJob } from "./queue-fold-job.js";
import { runRefitJob } from "./queue-refit-job.js";
import { queueSpace } from "./queue-space.js";
import { closeJobRunners, runTickerJob } from "./queue-ticker-job.js";
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
  const remote = isS3Workspace(workspace);
  // Each job's command mirrors an S3 workspace in the worker's cache folder, which one job holds at a time:
  // more jobs at once on one machine need more workers, each with its own TSML_CACHE_DIR.
  if (remote && concurrency > 1)
    throw new UsageError(
      `--concurrency ${concurrency} with --workspace ${workspace}: the jobs would share one S3 cache folder`,
      "start several workers with --concurrency 1, each with its own TSML_CACHE_DIR",
    );
  /** Fold and refit inputs are written by the submitter into a folder workspace; an S3 one holds them nowhere. */
  const folderOnly = (kind: string) => () => {
    throw new UsageError(
      `a ${kind} job needs a workspace folder the submitter shares; this worker serves ${workspace}`,
      "run train --tune / backtest --walk-forward over several tickers (one job per ticker) with S3, or share a folder",
    );
  };
  let counts: { jobs: number; failed: number };
  try {
    counts = await serveQueue({
      url,
      space: await queueSpace(workspace),
      concurrency,
      stalledMs,
      log: ctx.log,
      handlers: {
        fold: remote ? folderOnly("fold") : (data) => runFoldJob(workspace, data, concurrency),
        refit: remote ? folderOnly("refit") : (data) => runRefitJob(workspace, data, concurrency),
        ticker: (data) => runTickerJob(workspace, data),
      },
      ...signals(),
    });
  } finally {
    closeJobRunners();
    await closeDatasetThreads();
  }
  return { queue: url.display, workspace, ...counts };
}
