// Runs every walk-forward refit (in `jobs` worker threads when compiled, else in order on this thread) and
// stitches their predictions into one out-of-sample probability per bar.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { TsmlError } from "../../core/errors.js";
import { stopWorkers } from "../../core/stop-workers.js";
import { type RefitData, type RefitOutcome, runRefit } from "./refit-task.js";

export interface WalkForwardResult {
  /** P(class 1) per bar from the refit covering it; NaN before the first refit and where a feature is missing. */
  proba: Float64Array;
  /** One outcome per refit, in schedule order. */
  refits: RefitOutcome[];
  /** Threads that ran the refits. */
  jobs: number;
}

/**
 * Runs the refits somewhere other than this process's threads (the job queue,
 * commands/queue-refit-runner.ts): outcomes in schedule order, and how many workers took part.
 */
export type RefitRunner = (
  data: RefitData,
  onRefit: (index: number) => void,
) => Promise<{ outcomes: RefitOutcome[]; workers: number }>;

/** The compiled worker next to this module (absent when running from TypeScript sources in tests). */
function workerUrl(): URL | null {
  const url = new URL("./refit-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** A copy in shared memory, so the workers read one set of bytes instead of each receiving its own. */
function shared(values: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(values.length * 8));
  out.set(values);
  return out;
}

/**
 * Every refit of `data.refits`; the outcome is the same for any `jobs` (each refit is a pure function).
 * @example const { proba, refits } = await runWalkForward(data, 2, () => bar.tick());
 */
export async function runWalkForward(
  data: RefitData,
  jobs: number,
  onRefit: (index: number) => void = () => {},
  runner?: RefitRunner,
): Promise<WalkForwardResult> {
  let outcomes: RefitOutcome[] = new Array(data.refits.length);
  const url = workerUrl();
  const workers = Math.max(1, Math.min(jobs, data.refits.length));
  let remoteWorkers: number | null = null;
  if (runner) {
    const remote = await runner(data, onRefit);
    outcomes = remote.outcomes;
    remoteWorkers = remote.workers;
  } else if (workers <= 1 || !url) {
    for (let k = 0; k < data.refits.length; k++) {
      outcomes[k] = await runRefit(data, k);
      onRefit(k);
    }
  } else {
    const common: RefitData = { ...data, columns: data.columns.map(shared), y: shared(data.y) };
    await inWorkers(url, common, workers, outcomes, onRefit);
  }
  const proba = new Float64Array(data.y.length).fill(Number.NaN);
  data.refits.forEach((r, k) => {
    proba.set(outcomes[k].proba, r.predictStart);
  });
  return { proba, refits: outcomes, jobs: remoteWorkers ?? (url ? workers : 1) };
}

async function inWorkers(
  url: URL,
  data: RefitData,
  count: number,
  outcomes: RefitOutcome[],
  onRefit: (index: number) => void,
): Promise<void> {
  let next = 0;
  const pool = Array.from({ length: count }, () => new Worker(url, { workerData: data }));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= data.refits.length) {
                resolve();
                return;
              }
              const index = next++;
              worker.postMessage({ id: index, index });
            };
            worker.on(
              "message",
              (msg: {
                id: number;
                result?: RefitOutcome;
                failure?: { message: string; exitCode: number; hint?: string };
              }) => {
                if (msg.failure) {
                  reject(new TsmlError(msg.failure.message, msg.failure.exitCode as 1, msg.failure.hint));
                  return;
                }
                outcomes[msg.id] = msg.result as RefitOutcome;
                onRefit(msg.id);
                send();
              },
            );
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (code !== 0) reject(new Error(`walk-forward worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await stopWorkers(pool);
  }
}
