// A compact binary tree in parallel typed arrays (feature, threshold, left, right, value, cover) with JSON state.

import { DataError } from "../../core/errors.js";

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

  static fromJson(json: TreeJson, features: number): TreeArrays {
    const n = json?.feature?.length ?? 0;
    const ok =
      n > 0 &&
      json.threshold?.length === n &&
      json.left?.length === n &&
      json.right?.length === n &&
      json.cover?.length === n &&
      json.value?.length === n * json.outputs;
    if (!ok)
      throw new DataError("tree state is malformed (arrays of different lengths)", "retrain the model");
    const tree = new TreeArrays(
      json.outputs,
      Int32Array.from(json.feature),
      Float64Array.from(json.threshold),
      Int32Array.from(json.left),
      Int32Array.from(json.right),
      Float64Array.from(json.value),
      Float64Array.from(json.cover),
    );
    for (let i = 0; i < n; i++) {
      const l = tree.left[i];
      if (
        l >= 0 &&
        (l >= n || tree.right[i] >= n || tree.right[i] <= i || l <= i || tree.feature[i] >= features)
      )
        throw new DataError(`tree state is malformed at node ${i}`, "retrain the model");
    }
    return tree;
  }
}

/** Growable builder: nodes are appended, children linked later, then frozen into a TreeArrays. */
export class TreeBuilder {
  private size = 0;
  private capacity = 64;
  private feature = new Int32Array(64);
  private threshold = new Float64Array(64);
  private left = new Int32Array(64);
  private right = new Int32Array(64);
  private value: Float64Array;
  private cover = new Float64Array(64);

  constructor(readonly outputs: number) {
    this.value = new Float64Array(64 * outputs);
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
