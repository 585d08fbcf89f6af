// One binary layout for inputs a queue submitter leaves in the workspace for workers on other machines: a
// little-endian Uint32 header length, the JSON header, zero padding to an 8-byte boundary, then Float64 arrays,
// then Uint32 arrays, all little-endian, so equal inputs give equal bytes (and equal fingerprints) everywhere.

/**
 * @example encodeFramedArrays({ rows: 2 }, [Float64Array.of(1, 2)], [Uint32Array.of(0)])
 */
export function encodeFramedArrays(
  header: object,
  floats: readonly ArrayLike<number>[],
  ints: readonly ArrayLike<number>[] = [],
): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const start = bodyStart(json.length);
  const floatCount = floats.reduce((a, f) => a + f.length, 0);
  const intCount = ints.reduce((a, f) => a + f.length, 0);
  const out = new Uint8Array(start + floatCount * 8 + intCount * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(json, 4);
  let at = start;
  for (const array of floats)
    for (let i = 0; i < array.length; i++, at += 8) view.setFloat64(at, array[i], true);
  for (const array of ints)
    for (let i = 0; i < array.length; i++, at += 4) view.setUint32(at, array[i], true);
  return out;
}

/** Where the arrays start after a header of `length` bytes: padded so Float64 values sit on 8-byte boundaries. */
function bodyStart(length: number): number {
  return Math.ceil((4 + length) / 8) * 8;
}

export interface FramedArraysReader {
  /** The parsed JSON header, for the caller to check. */
  header: unknown;
  /** Checks the body holds exactly `floats` Float64 and `ints` Uint32 values; false otherwise. */
  hasBody(floats: number, ints: number): boolean;
  /** The next `n` Float64 values. */
  float64(n: number): Float64Array;
  /** The next `n` Uint32 values (after the Float64 ones). */
  uint32(n: number): Uint32Array;
}

/** Reads the layout back; `fail(why)` makes the error for bytes that are not one. */
export function readFramedArrays(bytes: Uint8Array, fail: (why: string) => Error): FramedArraysReader {
  if (bytes.length < 4) throw fail("too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(4, 4 + length)).toString("utf8"));
  } catch {
    throw fail("unreadable header");
  }
  const start = bodyStart(length);
  let at = start;
  return {
    header,
    hasBody: (floats, ints) => bytes.length === start + floats * 8 + ints * 4,
    float64(n) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++, at += 8) out[i] = view.getFloat64(at, true);
      return out;
    },
    uint32(n) {
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++, at += 4) out[i] = view.getUint32(at, true);
      return out;
    },
  };
}
