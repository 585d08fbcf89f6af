// One shard of a batch through the fused LSTM on the SIMD kernels, forward or back-propagation through time,
// over buffers laid out by simd-lstm.ts: the same code runs on the main thread and in lstm-worker.ts.

import type { KernelExports, WasmMemory } from "../kernels/simd-kernels.js";

/** Where one shard's buffers live (byte offsets into the kernels' memory) and the shapes; see PLAN_FIELDS. */
export interface ShardPlan {
  steps: number;
  /** Windows in this shard. */
  rows: number;
  inputSize: number;
  units: number;
  layers: number;
  outputSize: number;
  /** 1: an output at every step; 0: after the last step only. */
  sequenceHead: number;
  /** Parameters packed in FusedLstm order: per layer Wx, Wh, b; then Wp, bp (shared by every shard). */
  params: number;
  /** Transposed Wh per layer [4H x H], Wx per layer [4H x in], Wp [O x H] (shared, written before backward). */
  whT: number;
  wxT: number;
  wpT: number;
  /** This shard's input [T, rows, I] time-major, head output (bias not added), its gradient, and gradients. */
  x: number;
  out: number;
  dOut: number;
  grads: number;
  /** Per layer: gates [T*rows, 4H] (activated), c, tanh(c), h [T*rows, H]. */
  states: number;
  dH: number;
  dIn: number;
  dhNext: number;
  dcNext: number;
  dZ: number;
}

export const PLAN_FIELDS = [
  "steps",
  "rows",
  "inputSize",
  "units",
  "layers",
  "outputSize",
  "sequenceHead",
  "params",
  "whT",
  "wxT",
  "wpT",
  "x",
  "out",
  "dOut",
  "grads",
  "states",
  "dH",
  "dIn",
  "dhNext",
  "dcNext",
  "dZ",
] as const satisfies readonly (keyof ShardPlan)[];

/** Bytes of one encoded plan. */
export const PLAN_BYTES = PLAN_FIELDS.length * 4;

export function encodePlan(plan: ShardPlan, memory: WasmMemory, ptr: number): void {
  const view = new Int32Array(memory.buffer, ptr, PLAN_FIELDS.length);
  PLAN_FIELDS.forEach((f, i) => {
    view[i] = plan[f];
  });
}

export function decodePlan(memory: WasmMemory, ptr: number): ShardPlan {
  const view = new Int32Array(memory.buffer, ptr, PLAN_FIELDS.length);
  const plan = {} as Record<(typeof PLAN_FIELDS)[number], number>;
  PLAN_FIELDS.forEach((f, i) => {
    plan[f] = view[i];
  });
  return plan;
}

/** Float offsets of each parameter block inside the packed parameters (and gradients). */
export function paramOffsets(inputSize: number, H: number, layers: number, O: number) {
  const G = 4 * H;
  const layer: { wx: number; wh: number; b: number; inSize: number; wxT: number }[] = [];
  let at = 0;
  let wxT = 0;
  for (let l = 0; l < layers; l++) {
    const inSize = l === 0 ? inputSize : H;
    layer.push({ wx: at, wh: at + inSize * G, b: at + inSize * G + H * G, inSize, wxT });
    at += inSize * G + H * G + G;
    wxT += inSize * G;
  }
  return { layer, wp: at, bp: at + H * O, total: at + H * O + O, wxTTotal: wxT };
}

/** Floats of one layer's forward state for `rows` windows: gates (4H) plus c, tanh(c), h (H each). */
export const stateFloats = (steps: number, rows: number, H: number) => steps * rows * 7 * H;

function layerState(plan: ShardPlan, l: number) {
  const { steps, rows, units: H } = plan;
  const n = steps * rows * H;
  const gates = plan.states + 4 * l * stateFloats(steps, rows, H);
  const c = gates + 4 * 4 * n;
  return { gates, c, tc: c + 4 * n, h: c + 8 * n };
}

/** Forward pass of one shard: every layer's states and the head output without its bias. */
export function shardForward(k: KernelExports, plan: ShardPlan): void {
  const { steps, rows, units: H, layers, outputSize: O } = plan;
  const G = 4 * H;
  const at = paramOffsets(plan.inputSize, H, layers, O);
  const step4 = rows * 4;
  let input = plan.x;
  let inSize = plan.inputSize;
  let top = 0;
  for (let l = 0; l < layers; l++) {
    const { wx, wh, b } = at.layer[l];
    const s = layerState(plan, l);
    k.sgemm(0, steps * rows, G, inSize, input, inSize, plan.params + 4 * wx, G, s.gates, G, 0);
    for (let t = 0; t < steps; t++) {
      const z = s.gates + t * step4 * G;
      const prevH = s.h + (t - 1) * step4 * H;
      if (t > 0) k.sgemm(0, rows, G, H, prevH, H, plan.params + 4 * wh, G, z, G, 1);
      const off = t * step4 * H;
      const cPrev = t > 0 ? s.c + off - step4 * H : 0;
      k.lstm_cell_forward(z, plan.params + 4 * b, cPrev, s.c + off, s.tc + off, s.h + off, rows, H);
    }
    input = s.h;
    inSize = H;
    top = s.h;
  }
  const headRows = plan.sequenceHead ? steps * rows : rows;
  const headIn = plan.sequenceHead ? top : top + (steps - 1) * step4 * H;
  k.sgemm(0, headRows, O, H, headIn, H, plan.params + 4 * at.wp, O, plan.out, O, 0);
}

/**
 * Back-propagation through time for one shard, from plan.dOut: writes every parameter's gradient into
 * plan.grads except the head bias's (the caller sums dOut's columns over the whole batch).
 */
export function shardBackward(k: KernelExports, memory: WasmMemory, plan: ShardPlan): void {
  const { steps, rows, units: H, layers, outputSize: O } = plan;
  const G = 4 * H;
  const at = paramOffsets(plan.inputSize, H, layers, O);
  const step4 = rows * 4;
  const n = steps * rows;
  const f32 = (ptr: number, len: number) => new Float32Array(memory.buffer, ptr, len);
  const topH = layerState(plan, layers - 1).h;
  const headRows = plan.sequenceHead ? n : rows;
  const lastOff = plan.sequenceHead ? 0 : (steps - 1) * step4 * H;
  k.sgemm(1, H, O, headRows, topH + lastOff, H, plan.dOut, O, plan.grads + 4 * at.wp, O, 0);
  let dH = plan.dH;
  let dIn = plan.dIn;
  if (!plan.sequenceHead) f32(dH, n * H).fill(0);
  k.sgemm(0, headRows, H, O, plan.dOut, O, plan.wpT, H, dH + lastOff, H, 0);
  for (let l = layers - 1; l >= 0; l--) {
    const { wx, wh, b, inSize, wxT } = at.layer[l];
    const s = layerState(plan, l);
    const db = plan.grads + 4 * b;
    f32(db, G).fill(0);
    f32(plan.dhNext, rows * H).fill(0);
    f32(plan.dcNext, rows * H).fill(0);
    const whT = plan.whT + 4 * l * G * H;
    for (let t = steps - 1; t >= 0; t--) {
      const off = t * step4 * H;
      const cPrev = t > 0 ? s.c + off - step4 * H : 0;
      const dZt = plan.dZ + t * step4 * G;
      k.lstm_cell_backward(
        s.gates + t * step4 * G,
        s.tc + off,
        dH + off,
        plan.dhNext,
        plan.dcNext,
        cPrev,
        dZt,
        db,
        rows,
        H,
      );
      if (t > 0) k.sgemm(0, rows, H, G, dZt, G, whT, H, plan.dhNext, H, 0);
    }
    const input = l === 0 ? plan.x : layerState(plan, l - 1).h;
    // dWx = input^T dZ; dWh = sum over t >= 1 of h_{t-1}^T dZ_t, both read transposed in place.
    k.sgemm(1, inSize, G, n, input, inSize, plan.dZ, G, plan.grads + 4 * wx, G, 0);
    k.sgemm(1, H, G, n - rows, s.h, H, plan.dZ + step4 * G, G, plan.grads + 4 * wh, G, 0);
    if (l > 0) {
      k.sgemm(0, n, inSize, G, plan.dZ, G, plan.wxT + 4 * wxT, inSize, dIn, inSize, 0);
      [dH, dIn] = [dIn, dH];
    }
  }
}

export const OP_FORWARD = 1;
export const OP_BACKWARD = 2;

/** A pool job: the plan at `ptr`, forward or backward (the handler of lstm-worker.ts and the main thread). */
export function runShardJob(k: KernelExports, memory: WasmMemory, op: number, ptr: number): void {
  const plan = decodePlan(memory, ptr);
  if (op === OP_FORWARD) shardForward(k, plan);
  else if (op === OP_BACKWARD) shardBackward(k, memory, plan);
  else throw new Error(`unknown LSTM shard op ${op}`);
}
