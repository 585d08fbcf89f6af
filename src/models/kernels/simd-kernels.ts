// tsml's WebAssembly SIMD kernels (kernels/simd-kernels.ts, built to simd-kernels.wasm next to this file's
// compiled JS): loaded synchronously, on one shared memory so worker threads run them on the same buffers.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EnvironmentError } from "../../core/errors.js";

/** The parts of the WebAssembly API used here (the ES2023 lib and @types/node 20 do not declare them). */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
/** A compiled module (opaque; it can be posted to worker threads). */
export type WasmModule = { readonly __wasmModule?: never };
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The kernels' exports; pointers are byte offsets into `memory`. */
export interface KernelExports {
  sgemm(
    transA: number,
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    accumulate: number,
  ): void;
  dgemm(
    transA: number,
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    accumulate: number,
  ): void;
  sigmoid_f32(x: number, n: number): void;
  fill_rows_f64(out: number, b: number, rows: number, n: number): void;
  relu_f64(x: number, n: number): void;
  relu_backward_f64(d: number, a: number, n: number): void;
  tanh_backward_f64(d: number, a: number, n: number): void;
  column_sums_f64(x: number, rows: number, n: number, out: number): void;
  l2_start_f64(out: number, w: number, n: number, alpha: number, rows: number): void;
  tanh_f32(x: number, n: number): void;
  lstm_cell_forward(
    z: number,
    bias: number,
    cPrev: number,
    c: number,
    tc: number,
    h: number,
    batch: number,
    H: number,
  ): void;
  lstm_cell_backward(
    gates: number,
    tc: number,
    dH: number,
    dhNext: number,
    dcNext: number,
    cPrev: number,
    dZ: number,
    db: number,
    batch: number,
    H: number,
  ): void;
}

/** 64 KiB wasm pages: the whole 4 GiB a 32-bit memory can address (shared memory reserves it up front). */
const MAX_PAGES = 65536;
/** Byte 0 stays unused so that pointer 0 can mean "none" (a zero initial state). */
const HEAP_START = 64;
const ALIGN = 64;

/**
 * First-fit allocator over the kernels' memory. A shared memory never detaches its old buffers when it grows,
 * so typed-array views handed out here stay valid for the life of the process.
 */
export class KernelHeap {
  private top = HEAP_START;
  /** Free blocks, sorted by offset: [offset, size][]. */
  private free: [number, number][] = [];
  private readonly sizes = new Map<number, number>();

  constructor(private readonly memory: WasmMemory) {}

  /** Byte offset of `bytes` fresh bytes (contents undefined), 64-byte aligned. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const slot = this.free.findIndex(([, s]) => s >= size);
    let ptr: number;
    if (slot >= 0) {
      const [off, s] = this.free[slot];
      ptr = off;
      if (s === size) this.free.splice(slot, 1);
      else this.free[slot] = [off + size, s - size];
    } else {
      ptr = this.top;
      this.top += size;
      const needed = Math.ceil(this.top / 65536);
      const have = this.memory.buffer.byteLength / 65536;
      if (needed > MAX_PAGES)
        throw new EnvironmentError(
          `the network's buffers need ${(this.top / 2 ** 30).toFixed(1)} GiB, over WebAssembly's 4 GiB`,
          "lower --batch, --units or --steps",
        );
      if (needed > have) this.memory.grow(Math.min(MAX_PAGES, Math.max(needed, have * 1.5) | 0) - have);
    }
    this.sizes.set(ptr, size);
    return ptr;
  }

  /** Returns a block from alloc() (neighbouring free blocks merge). */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) return;
    this.sizes.delete(ptr);
    let i = 0;
    while (i < this.free.length && this.free[i][0] < ptr) i++;
    this.free.splice(i, 0, [ptr, size]);
    if (i + 1 < this.free.length && ptr + size === this.free[i + 1][0]) {
      this.free[i][1] += this.free[i + 1][1];
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1][0] + this.free[i - 1][1] === ptr) {
      this.free[i - 1][1] += this.free[i][1];
      this.free.splice(i, 1);
    }
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }
}

export interface Kernels {
  exports: KernelExports;
  memory: WasmMemory;
  module: WasmModule;
  heap: KernelHeap;
}

/**
 * The compiled kernels. Next to this module once built (dist/); the tests run the TypeScript sources, for
 * which the build's copy in dist/ is used.
 */
function wasmPath(): string {
  const local = fileURLToPath(new URL("./simd-kernels.wasm", import.meta.url));
  if (existsSync(local)) return local;
  const built = fileURLToPath(new URL("../../../dist/models/kernels/simd-kernels.wasm", import.meta.url));
  if (existsSync(built)) return built;
  throw new EnvironmentError(
    `the SIMD kernels are not built (${local} is missing)`,
    "run `npm run build` in the tsml folder",
  );
}

/** An instance of the kernels on an existing memory (a worker thread's view of the main thread's kernels). */
export function instantiateKernels(module: WasmModule, memory: WasmMemory): KernelExports {
  const instance = new wasm.Instance(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}

let shared: Kernels | null = null;

/**
 * The process-wide kernels (compiled on first use, ~10 ms).
 * @example
 * const { exports, heap } = kernels();
 * const a = heap.alloc(4 * 16);
 */
export function kernels(): Kernels {
  if (shared) return shared;
  const module = new wasm.Module(readFileSync(wasmPath()));
  const memory = new wasm.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
  shared = { module, memory, exports: instantiateKernels(module, memory), heap: new KernelHeap(memory) };
  return shared;
}
