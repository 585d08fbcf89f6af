// Threads that hold one dataset and run its tasks for a queue worker, with the scripts local runs use
// (models/tuning/grid-worker.ts for CV folds, models/training/refit-worker.ts for walk-forward refits): the fit
// runs off the main thread, so BullMQ keeps renewing the job's lock meanwhile; a fit longer than --stalled-ms on
// the main thread would look like a dead worker.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type ExitCodeValue, TsmlError } from "../core/errors.js";
import { stopWorkers } from "../core/stop-workers.js";

interface Reply {
  id: number;
  result?: unknown;
  failure?: { message: string; exitCode: number; hint?: string };
}

/**
 * A compiled thread script relative to src/ (absent when running from TypeScript sources: then run in-process).
 * @example threadScript("models/tuning/grid-worker.js")
 */
export function threadScript(path: string): URL | null {
  const url = new URL(`../${path}`, import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

class DatasetThreads {
  private readonly threads: Worker[];
  private next = 0;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  constructor(url: URL, data: unknown, count: number) {
    this.threads = Array.from({ length: count }, () => {
      const thread = new Worker(url, { workerData: data });
      thread.on("message", (msg: Reply) => {
        const waiter = this.waiting.get(msg.id);
        this.waiting.delete(msg.id);
        if (!waiter) return;
        if (msg.failure)
          waiter.reject(
            new TsmlError(msg.failure.message, msg.failure.exitCode as ExitCodeValue, msg.failure.hint),
          );
        else waiter.resolve(msg.result);
      });
      thread.on("error", (error) => {
        for (const w of this.waiting.values()) w.reject(error);
        this.waiting.clear();
      });
      return thread;
    });
  }

  run(task: Record<string, unknown>): Promise<unknown> {
    const id = this.seq++;
    const thread = this.threads[this.next++ % this.threads.length];
    return new Promise<unknown>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      thread.postMessage({ ...task, id });
    });
  }

  close(): Promise<void> {
    return stopWorkers(this.threads);
  }
}

/** Thread pools by script and dataset fingerprint; the latest POOLS are kept. */
const pools = new Map<string, DatasetThreads>();
const POOLS = 2;

/**
 * Runs one task on the dataset `key` in its threads of script `url` (`count` of them, made on first use).
 * @example await runInDatasetThread(url, sha, data, 1, { params: { max_depth: 4 }, combo: 0, fold: 2 })
 */
export function runInDatasetThread(
  url: URL,
  dataKey: string,
  data: unknown,
  count: number,
  task: Record<string, unknown>,
): Promise<unknown> {
  const key = `${url.href} ${dataKey}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new DatasetThreads(url, data, count);
    pools.set(key, pool);
    if (pools.size > POOLS) {
      const oldest = pools.keys().next().value as string;
      void pools.get(oldest)?.close();
      pools.delete(oldest);
    }
  }
  return pool.run(task);
}

/** Ends every pool's threads (the worker is stopping). */
export async function closeDatasetThreads(): Promise<void> {
  await Promise.all([...pools.values()].map((p) => p.close()));
  pools.clear();
}
