// Fused LSTM passes on tsml's WebAssembly SIMD kernels: the batch is cut into fixed shards (at most
// SHARD_ROWS windows each, decided by the batch size alone), the shards run on a pool of threads, and the
// shards' gradients are summed in shard order, so a seed gives the same network for any thread count.

import { type Kernels, kernels } from "../kernels/simd-kernels.js";
import { SyncPool } from "../kernels/sync-pool.js";
import type { LstmShape } from "./fused-lstm.js";
import {
  encodePlan,
  OP_BACKWARD,
  OP_FORWARD,
  PLAN_BYTES,
  paramOffsets,
  runShardJob,
  type ShardPlan,
  stateFloats,
} from "./lstm-shard.js";

/** Windows per shard at most: batch 100 splits into 52 + 48, one per core of a 2-core machine. */
export const SHARD_ROWS = 64;

/** What the passes need of a network. */
export interface LstmNet {
  readonly shape: LstmShape;
  readonly params: Float32Array[];
}

interface Shard {
  from: number;
  to: number;
  plan: ShardPlan;
}

interface Workspace {
  steps: number;
  batch: number;
  shards: Shard[];
  planBase: number;
  params: number;
  whT: number;
  wxT: number;
  wpT: number;
  /** Bumped by every forward; a backward must see the value its forward left. */
  generation: number;
}

/** The forward pass a backward() continues from. */
export interface PassHandle {
  workspace: Workspace;
  generation: number;
}

/**
 * Which shard holds which rows of a batch: consecutive ranges of a multiple of 4 windows (the kernels' row
 * block) where possible, e.g. 100 -> 52 + 48.
 */
export function shardRanges(batch: number): { from: number; to: number }[] {
  const count = Math.ceil(batch / SHARD_ROWS);
  const size = 4 * Math.ceil(batch / (4 * count));
  return Array.from({ length: count }, (_, s) => ({
    from: Math.min(batch, s * size),
    to: Math.min(batch, (s + 1) * size),
  })).filter((r) => r.to > r.from);
}

/**
 * Runs forward and backward passes for any number of networks; each network keeps its own buffers (per steps
 * x batch shape) in the kernels' memory until it is garbage-collected.
 */
export class SimdLstmRunner {
  private readonly k: Kernels;
  private readonly spaces = new WeakMap<LstmNet, Map<string, Workspace>>();
  private readonly cleanup = new FinalizationRegistry<number[]>((blocks) => {
    for (const b of blocks) this.k.heap.release(b);
  });

  constructor(private readonly pool: SyncPool) {
    this.k = kernels();
  }

  get threads(): number {
    return this.pool.threads;
  }

  /** x is time-major [T, B, inputSize]; returns the head output as FusedLstm.forward does. */
  forward(
    net: LstmNet,
    x: Float32Array,
    steps: number,
    batch: number,
  ): { output: Float32Array; handle: PassHandle } {
    const { inputSize: I, outputSize: O, head } = net.shape;
    const ws = this.workspace(net, steps, batch);
    const heap = this.k.heap;
    let at = ws.params;
    for (const p of net.params) {
      heap.f32(at, p.length).set(p);
      at += 4 * p.length;
    }
    for (const { from, to, plan } of ws.shards) {
      const xs = heap.f32(plan.x, steps * (to - from) * I);
      for (let t = 0; t < steps; t++)
        xs.set(x.subarray((t * batch + from) * I, (t * batch + to) * I), t * (to - from) * I);
    }
    this.pool.run(OP_FORWARD, ws.planBase, PLAN_BYTES, ws.shards.length);
    const sequence = head === "sequence";
    const output = new Float32Array((sequence ? steps * batch : batch) * O);
    for (const { from, to, plan } of ws.shards) {
      const rows = to - from;
      const out = heap.f32(plan.out, (sequence ? steps : 1) * rows * O);
      if (sequence)
        for (let t = 0; t < steps; t++)
          output.set(out.subarray(t * rows * O, (t + 1) * rows * O), (t * batch + from) * O);
      else output.set(out, from * O);
    }
    const bp = net.params[net.params.length - 1];
    for (let r = 0; r < output.length; r += O) for (let j = 0; j < O; j++) output[r + j] += bp[j];
    ws.generation++;
    return { output, handle: { workspace: ws, generation: ws.generation } };
  }

  /** Gradients for every parameter (FusedLstm order) from dLoss/dOutput, after the forward of `handle`. */
  backward(net: LstmNet, handle: PassHandle, dOutput: Float32Array): Float32Array[] {
    const ws = handle.workspace;
    if (ws.generation !== handle.generation)
      throw new Error("backward() needs the cache of the network's latest forward() of that shape");
    const { inputSize: I, units: H, layers, outputSize: O, head } = net.shape;
    const { steps, batch } = ws;
    const G = 4 * H;
    const heap = this.k.heap;
    const at = paramOffsets(I, H, layers, O);
    const params = heap.f32(ws.params, at.total);
    // The transposed weights the backward products read (rows of W^T are contiguous).
    for (let l = 0; l < layers; l++) {
      const { wx, wh, inSize, wxT } = at.layer[l];
      transposeInto(params.subarray(wh, wh + H * G), H, G, heap.f32(ws.whT + 4 * l * G * H, G * H));
      if (l > 0)
        transposeInto(
          params.subarray(wx, wx + inSize * G),
          inSize,
          G,
          heap.f32(ws.wxT + 4 * wxT, G * inSize),
        );
    }
    transposeInto(params.subarray(at.wp, at.wp + H * O), H, O, heap.f32(ws.wpT, O * H));
    const sequence = head === "sequence";
    for (const { from, to, plan } of ws.shards) {
      const rows = to - from;
      const d = heap.f32(plan.dOut, (sequence ? steps : 1) * rows * O);
      if (sequence)
        for (let t = 0; t < steps; t++)
          d.set(dOutput.subarray((t * batch + from) * O, (t * batch + to) * O), t * rows * O);
      else d.set(dOutput.subarray(from * O, to * O));
    }
    this.pool.run(OP_BACKWARD, ws.planBase, PLAN_BYTES, ws.shards.length);
    // Sum the shards' gradients in shard order (rounded to float32 after every addition).
    const sum = new Float32Array(at.total);
    sum.set(heap.f32(ws.shards[0].plan.grads, at.total));
    for (let s = 1; s < ws.shards.length; s++) {
      const g = heap.f32(ws.shards[s].plan.grads, at.total);
      for (let i = 0; i < at.total; i++) sum[i] += g[i];
    }
    // The head bias: column sums of dOutput over the whole batch, in row order.
    const dbp = sum.subarray(at.bp, at.bp + O);
    dbp.fill(0);
    for (let r = 0; r < dOutput.length; r += O) for (let j = 0; j < O; j++) dbp[j] += dOutput[r + j];
    const grads: Float32Array[] = [];
    let offset = 0;
    for (const p of net.params) {
      grads.push(sum.slice(offset, offset + p.length));
      offset += p.length;
    }
    return grads;
  }

  private workspace(net: LstmNet, steps: number, batch: number): Workspace {
    let byShape = this.spaces.get(net);
    if (!byShape) {
      byShape = new Map();
      this.spaces.set(net, byShape);
    }
    const key = `${steps}x${batch}`;
    const found = byShape.get(key);
    if (found) return found;
    const blocks: number[] = [];
    const heap = this.k.heap;
    const alloc = (floats: number) => {
      const ptr = heap.alloc(4 * Math.max(1, floats));
      blocks.push(ptr);
      return ptr;
    };
    const { inputSize: I, units: H, layers, outputSize: O, head } = net.shape;
    const G = 4 * H;
    const at = paramOffsets(I, H, layers, O);
    const ws: Workspace = {
      steps,
      batch,
      shards: [],
      planBase: 0,
      params: alloc(at.total),
      whT: alloc(layers * G * H),
      wxT: alloc(at.wxTTotal),
      wpT: alloc(O * H),
      generation: 0,
    };
    const ranges = shardRanges(batch);
    ws.planBase = alloc((ranges.length * PLAN_BYTES) / 4);
    ranges.forEach(({ from, to }, s) => {
      const rows = to - from;
      const n = steps * rows;
      const headRows = head === "sequence" ? n : rows;
      const plan: ShardPlan = {
        steps,
        rows,
        inputSize: I,
        units: H,
        layers,
        outputSize: O,
        sequenceHead: head === "sequence" ? 1 : 0,
        params: ws.params,
        whT: ws.whT,
        wxT: ws.wxT,
        wpT: ws.wpT,
        x: alloc(n * I),
        out: alloc(headRows * O),
        dOut: alloc(headRows * O),
        grads: alloc(at.total),
        states: alloc(layers * stateFloats(steps, rows, H)),
        dH: alloc(n * H),
        dIn: alloc(n * H),
        dhNext: alloc(rows * H),
        dcNext: alloc(rows * H),
        dZ: alloc(n * G),
      };
      encodePlan(plan, this.k.memory, ws.planBase + s * PLAN_BYTES);
      ws.shards.push({ from, to, plan });
    });
    // A few shapes per network (training batch, prediction chunks); older ones go back to the heap.
    if (byShape.size >= 3) {
      const oldest = byShape.keys().next().value as string;
      byShape.delete(oldest);
    }
    byShape.set(key, ws);
    this.cleanup.register(ws, blocks);
    return ws;
  }
}

/** out[c * rows + r] = a[r * cols + c]. */
function transposeInto(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[base + c];
  }
}

const runners = new Map<number, SimdLstmRunner>();

/**
 * The runner for `threads` threads (created once per count; workers start on first use).
 * @example
 * const { output, handle } = simdLstmRunner(2).forward(net, x, 30, 100);
 */
export function simdLstmRunner(threads: number): SimdLstmRunner {
  let runner = runners.get(threads);
  if (!runner) {
    runner = new SimdLstmRunner(
      new SyncPool(new URL("./lstm-worker.js", import.meta.url), threads, runShardJob),
    );
    runners.set(threads, runner);
  }
  return runner;
}
