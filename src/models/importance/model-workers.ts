// A pool of worker threads that fit the final model (while CV runs elsewhere) and then share the work of
// explaining it: train/test predictions, permutation importance per feature, TreeSHAP by row chunks.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { TsmlError } from "../../core/errors.js";
import type { ModelState } from "../model.js";
import type { ExplainContext, ExplainData, ExplainOutput, ExplainTask } from "./explain-task.js";

/** The compiled worker next to this module (absent when running from TypeScript sources in tests). */
function workerUrl(): URL | null {
  const url = new URL("./explain-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** A copy in shared memory: every worker reads the same bytes instead of receiving its own copy. */
function shared(values: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(values.length * 8));
  out.set(values);
  return out;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One worker: requests carry an id, answers resolve the matching promise; a crash rejects all of them. */
class ModelWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(url: URL, data: ExplainData) {
    this.worker = new Worker(url, { workerData: data });
    this.worker.on(
      "message",
      (msg: {
        id: number;
        result?: unknown;
        failure?: { message: string; exitCode: number; hint?: string };
      }) => {
        const waiting = this.pending.get(msg.id);
        if (!waiting) return;
        this.pending.delete(msg.id);
        if (msg.failure)
          waiting.reject(new TsmlError(msg.failure.message, msg.failure.exitCode as 1, msg.failure.hint));
        else waiting.resolve(msg.result);
      },
    );
    this.worker.on("error", (error) => this.failAll(error));
    this.worker.on("exit", (code) => {
      if (this.pending.size > 0) this.failAll(new Error(`explain worker exited with code ${code}`));
    });
  }

  request<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/**
 * `count` workers holding the same data; the main thread is the last member of the team. `fit` runs on the
 * first worker only (the others stay idle, leaving the cores to cross-validation); `load` gives every worker
 * the fitted state; `run` spreads tasks over the workers and the main thread.
 * @example const pool = ModelWorkers.open(data, jobs - 1); if (pool) { const state = await pool.fit("rf", {}, false); ... }
 */
export class ModelWorkers {
  private constructor(private readonly workers: ModelWorker[]) {}

  /**
   * A pool of `count` workers, or null when `count` < 1 or there is no compiled worker (tests from sources).
   * Each worker costs a start-up (an isolate, the modules, a cold JIT): with 2 cores one worker beside the main
   * thread does as much as two, for less.
   */
  static open(data: ExplainData, count: number): ModelWorkers | null {
    const url = workerUrl();
    if (!url || count < 1) return null;
    // The training and test windows can be large: one shared copy, not one per worker.
    const common: ExplainData = {
      ...data,
      train: data.train.map(shared),
      trainY: shared(data.trainY),
      test: data.test.map(shared),
    };
    return new ModelWorkers(Array.from({ length: count }, () => new ModelWorker(url, common)));
  }

  /** Fits `model` with `params` on the data's training rows; resolves to the fitted state. */
  fit(model: string, params: Record<string, unknown>, balanced: boolean): Promise<ModelState> {
    return this.workers[0].request<ModelState>({ type: "fit", model, params, balanced });
  }

  /** Loads the fitted state into every worker (each explains exactly the saved model), with the SHAP rows. */
  async load(state: ModelState, shap: Float64Array[]): Promise<void> {
    await Promise.all(this.workers.map((w) => w.request({ type: "load", state, shap })));
  }

  /**
   * Runs every task on the workers and on `local` (the main thread's copy of the model); outputs in task order.
   * Each worker has two tasks in flight, so it never waits for the main thread to finish a task of its own.
   */
  async run(tasks: readonly ExplainTask[], local: ExplainContext): Promise<ExplainOutput[]> {
    const outputs: ExplainOutput[] = new Array(tasks.length);
    let next = 0;
    const take = () => (next < tasks.length ? next++ : -1);
    const feed = async (worker: ModelWorker) => {
      for (let i = take(); i >= 0; i = take())
        outputs[i] = await worker.request<ExplainOutput>({ type: "task", task: tasks[i] });
    };
    const here = async () => {
      for (let i = take(); i >= 0; i = take()) {
        outputs[i] = local.run(tasks[i]);
        // Let the workers' answers in, so they get their next tasks.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([...this.workers.flatMap((w) => [feed(w), feed(w)]), here()]);
    return outputs;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
