// A compact binary tree in parallel typed arrays (feature, threshold, left, right, value, cover) with JSON state.

import type { StateReader } from "../common/state-reader.js";

/** The JSON form of a tree: plain number arrays, exact for doubles. */
export interface TreeJson {
  outputs: number;
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
}

/**
 * Node i is a leaf when left[i] < 0. An internal node sends x to left[i] when x[feature[i]] <= threshold[i].
 * value holds `outputs` numbers per node (class probabilities, or a raw score); cover is the training weight
 * (or hessian sum) that reached the node, which TreeSHAP uses as the background distribution.
 */
export class TreeArrays {
  constructor(
    readonly outputs: number,
    readonly feature: Int32Array,
    readonly threshold: Float64Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    readonly value: Float64Array,
    readonly cover: Float64Array,
  ) {}

  get nodeCount(): number {
    return this.feature.length;
  }

  /** Index of the leaf that row i of the column-major features reaches. */
  leafOf(columns: readonly Float64Array[], i: number): number {
    const { feature, threshold, left, right } = this;
    let node = 0;
    while (left[node] >= 0) node = columns[feature[node]][i] <= threshold[node] ? left[node] : right[node];
    return node;
  }

  /** Depth of the deepest leaf (root alone = 0). */
  maxDepth(): number {
    let deepest = 0;
    const depth = new Int32Array(this.nodeCount);
    for (let node = 0; node < this.nodeCount; node++) {
      if (this.left[node] < 0) {
        if (depth[node] > deepest) deepest = depth[node];
      } else {
        depth[this.left[node]] = depth[node] + 1;
        depth[this.right[node]] = depth[node] + 1;
      }
    }
    return deepest;
  }

  toJson(): TreeJson {
    return {
      outputs: this.outputs,
      feature: Array.from(this.feature),
      threshold: Array.from(this.threshold),
      left: Array.from(this.left),
      right: Array.from(this.right),
      value: Array.from(this.value),
      cover: Array.from(this.cover),
    };
  }

  /**
   * A tree from its JSON, every field checked: equal lengths, integer links that point forward (so every walk
   * ends at a leaf), split features below `features`, finite thresholds and covers, and leaf values within
   * `values` (class fractions lie in [0, 1]).
   */
  static fromJson(
    read: StateReader,
    json: unknown,
    field: string,
    features: number,
    expect: { outputs?: number; values?: [number, number] } = {},
  ): TreeArrays {
    const tree = read.object(json, field);
    const outputs = read.integer(tree.outputs, `${field}.outputs`, 1, 255);
    if (expect.outputs !== undefined && outputs !== expect.outputs)
      read.fail(`${field}.outputs`, `is ${outputs}, expected ${expect.outputs}`);
    const feature = read.numbers(tree.feature, `${field}.feature`, {
      integer: true,
      min: -1,
      max: features - 1,
    });
    const n = feature.length;
    if (n === 0) read.fail(`${field}.feature`, "is empty, expected at least the root node");
    const links = { length: n, integer: true, min: -1, max: n - 1 };
    const [low, high] = expect.values ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    const result = new TreeArrays(
      outputs,
      Int32Array.from(feature),
      read.numbers(tree.threshold, `${field}.threshold`, { length: n }),
      Int32Array.from(read.numbers(tree.left, `${field}.left`, links)),
      Int32Array.from(read.numbers(tree.right, `${field}.right`, links)),
      read.numbers(tree.value, `${field}.value`, { length: n * outputs, min: low, max: high }),
      read.numbers(tree.cover, `${field}.cover`, { length: n, min: 0 }),
    );
    for (let i = 0; i < n; i++) {
      const l = result.left[i];
      const r = result.right[i];
      if (l < 0 && r < 0) continue;
      if (!(l > i && r > i && result.feature[i] >= 0))
        read.fail(`${field}`, `is malformed at node ${i} (children must follow their parent)`);
    }
    return result;
  }
}

/** Growable builder: nodes are appended, children linked later, then frozen into a TreeArrays. */
export class TreeBuilder {
  private size = 0;
  private capacity: number;
  private feature: Int32Array;
  private threshold: Float64Array;
  private left: Int32Array;
  private right: Int32Array;
  private value: Float64Array;
  private cover: Float64Array;

  /** `capacity`: nodes to make room for up front (the arrays still grow past it). */
  constructor(
    readonly outputs: number,
    capacity = 64,
  ) {
    const cap = Math.max(1, Math.min(Math.floor(capacity) || 1, 1 << 24));
    this.capacity = cap;
    this.feature = new Int32Array(cap);
    this.threshold = new Float64Array(cap);
    this.left = new Int32Array(cap);
    this.right = new Int32Array(cap);
    this.cover = new Float64Array(cap);
    this.value = new Float64Array(cap * outputs);
  }

  /** Appends a leaf node (value copied from `value[offset .. offset + outputs)`), returns its index. */
  addNode(value: ArrayLike<number>, cover: number, offset = 0): number {
    if (this.size === this.capacity) this.grow();
    const id = this.size++;
    this.feature[id] = -1;
    this.left[id] = -1;
    this.right[id] = -1;
    this.cover[id] = cover;
    const base = id * this.outputs;
    for (let k = 0; k < this.outputs; k++) this.value[base + k] = value[offset + k];
    return id;
  }

  /** Sets node `id`'s value to `sums * scale` (e.g. class sums / total weight) and its cover. */
  setLeaf(id: number, sums: ArrayLike<number>, scale: number, cover: number): void {
    const base = id * this.outputs;
    for (let k = 0; k < this.outputs; k++) this.value[base + k] = sums[k] * scale;
    this.cover[id] = cover;
  }

  /** Turns node `id` into a split node with the given children. */
  setSplit(id: number, feature: number, threshold: number, left: number, right: number): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
    this.left[id] = left;
    this.right[id] = right;
  }

  finish(): TreeArrays {
    const n = this.size;
    return new TreeArrays(
      this.outputs,
      this.feature.slice(0, n),
      this.threshold.slice(0, n),
      this.left.slice(0, n),
      this.right.slice(0, n),
      this.value.slice(0, n * this.outputs),
      this.cover.slice(0, n),
    );
  }

  private grow(): void {
    this.capacity *= 2;
    const cap = this.capacity;
    this.feature = resize(this.feature, cap);
    this.threshold = resize(this.threshold, cap);
    this.left = resize(this.left, cap);
    this.right = resize(this.right, cap);
    this.cover = resize(this.cover, cap);
    this.value = resize(this.value, cap * this.outputs);
  }
}

function resize<T extends Int32Array | Float64Array>(array: T, length: number): T {
  const out = new (array.constructor as new (n: number) => T)(length);
  out.set(array);
  return out;
}
