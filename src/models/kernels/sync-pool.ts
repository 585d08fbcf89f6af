// Worker threads that run kernel jobs on the shared kernel memory while the main thread blocks: one
// Atomics handshake per batch of jobs, so a synchronous training loop can spread its shards over the cores.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker, workerData } from "node:worker_threads";
import {
  instantiateKernels,
  type KernelExports,
  kernels,
  type WasmMemory,
  type WasmModule,
} from "./simd-kernels.js";

// Control block per worker (Int32Array over its own SharedArrayBuffer).
const SEQ = 0; // bumped by the main thread to start a job
const OP = 1;
const BASE = 2; // first job pointer
const STRIDE = 3; // bytes between job pointers
const FIRST = 4; // first job index for this worker
const STEP = 5; // job index step (the thread count)
const COUNT = 6; // number of jobs in all
const DONE = 7; // SEQ value of the last finished job batch
const READY = 8;
const FAILED = 9;
const MESSAGE = 16; // UTF-16 code units of an error message from here on
const CONTROL_INTS = 256;
const STOP = -1;

/** What a job runs: `op` and the byte offset of its argument block in the kernels' memory. */
export type JobHandler = (k: KernelExports, memory: WasmMemory, op: number, ptr: number) => void;

interface PoolWorker {
  worker: Worker;
  control: Int32Array;
}

/**
 * `threads - 1` workers plus the calling thread. run() hands out jobs round-robin by index (job i to thread
 * i mod threads), so which thread runs a job never depends on timing.
 */
export class SyncPool {
  private readonly workers: PoolWorker[] = [];

  /**
   * A pool of `threads` threads whose workers run `script` (a module calling serveJobs with the same handler),
   * started on the first run() with more than one job. Without the compiled script (the tests run the
   * TypeScript sources) the pool has the calling thread only.
   */
  constructor(
    private readonly script: URL,
    private readonly size: number,
    private readonly handler: JobHandler,
  ) {}

  private start(count: number): void {
    if (this.workers.length >= count - 1 || !existsSync(fileURLToPath(this.script))) return;
    const k = kernels();
    const fresh: PoolWorker[] = [];
    while (this.workers.length + fresh.length < count - 1) {
      const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
      const worker = new Worker(this.script, { workerData: { module: k.module, memory: k.memory, control } });
      // Unreferenced: a finished command exits without tearing the pool down.
      worker.unref();
      fresh.push({ worker, control });
    }
    for (const w of fresh) {
      if (Atomics.wait(w.control, READY, 0, 30_000) === "timed-out" && Atomics.load(w.control, READY) === 0)
        throw new Error("a kernel worker thread did not start within 30 s");
      this.workers.push(w);
    }
  }

  /** Threads a run may use: the pool's size, or 1 where the worker script is missing. */
  get threads(): number {
    return existsSync(fileURLToPath(this.script)) ? this.size : 1;
  }

  /** Runs jobs 0..count-1 (argument blocks at base + i * stride) and returns when all are done. */
  run(op: number, base: number, stride: number, count: number): void {
    const k = kernels();
    if (count > 1) this.start(Math.min(this.size, count));
    const threads = Math.min(this.workers.length + 1, count);
    const started: PoolWorker[] = [];
    for (let t = 1; t < threads; t++) {
      const w = this.workers[t - 1];
      const c = w.control;
      c[OP] = op;
      c[BASE] = base;
      c[STRIDE] = stride;
      c[FIRST] = t;
      c[STEP] = threads;
      c[COUNT] = count;
      Atomics.add(c, SEQ, 1);
      Atomics.notify(c, SEQ);
      started.push(w);
    }
    let failure: unknown = null;
    try {
      for (let i = 0; i < count; i += threads) this.handler(k.exports, k.memory, op, base + i * stride);
    } catch (error) {
      failure = error;
    }
    for (const w of started) {
      const c = w.control;
      const seq = Atomics.load(c, SEQ);
      for (let done = Atomics.load(c, DONE); done !== seq; done = Atomics.load(c, DONE))
        Atomics.wait(c, DONE, done);
      if (c[FAILED]) {
        c[FAILED] = 0;
        failure ??= new Error(`kernel worker: ${readMessage(c)}`);
      }
    }
    if (failure) throw failure;
  }

  /** Stops the workers (they also end with the process). */
  close(): void {
    for (const w of this.workers) {
      w.control[OP] = STOP;
      Atomics.add(w.control, SEQ, 1);
      Atomics.notify(w.control, SEQ);
    }
    this.workers.length = 0;
  }
}

function readMessage(c: Int32Array): string {
  const n = c[MESSAGE];
  return String.fromCharCode(...Array.from(c.subarray(MESSAGE + 1, MESSAGE + 1 + n)));
}

/** The body of a pool worker script: serves jobs with `handler` until the pool closes. */
export function serveJobs(handler: JobHandler): void {
  const { module, memory, control } = workerData as {
    module: WasmModule;
    memory: WasmMemory;
    control: Int32Array;
  };
  const k = instantiateKernels(module, memory);
  const c = control;
  // Read before announcing readiness: the first job may be posted the moment READY is seen.
  let seen = Atomics.load(c, SEQ);
  Atomics.store(c, READY, 1);
  Atomics.notify(c, READY);
  for (;;) {
    Atomics.wait(c, SEQ, seen);
    seen = Atomics.load(c, SEQ);
    const op = c[OP];
    if (op === STOP) return;
    try {
      for (let i = c[FIRST]; i < c[COUNT]; i += c[STEP]) handler(k, memory, op, c[BASE] + i * c[STRIDE]);
    } catch (error) {
      const text = String((error as Error)?.message ?? error).slice(0, CONTROL_INTS - MESSAGE - 2);
      c[MESSAGE] = text.length;
      for (let i = 0; i < text.length; i++) c[MESSAGE + 1 + i] = text.charCodeAt(i);
      c[FAILED] = 1;
    }
    Atomics.store(c, DONE, seen);
    Atomics.notify(c, DONE);
  }
}
