// A direct Parquet writer for wide numeric tables (features): PLAIN doubles (dictionary + RLE when a chunk has
// few distinct values), RLE null levels, dictionary tickers.
// DuckDB's appender + COPY path costs seconds per million rows of 25 double columns; this writes the same
// schema (ticker VARCHAR, date DATE, DOUBLE columns, NaN as NULL, tsml metadata in the footer) at memcpy speed.

import { closeSync, openSync, writeSync, writevSync } from "node:fs";
import { writeAtomically } from "../core/atomic-file.js";
import { isStdio } from "../core/stdio.js";
import { MS_PER_DAY } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { type TableMeta, writeTable } from "./table-io.js";

export const ROW_GROUP = 262_144;
// parquet.thrift enum values used below.
const TYPE = { INT32: 1, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
const ENCODING = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
const PAGE = { DATA: 0, DICTIONARY: 2 } as const;
const CONVERTED = { UTF8: 0, DATE: 6 } as const;

/**
 * Writes like `writeTable` (atomically; same columns and metadata). A list of frames (e.g. one per ticker, with
 * the same columns and ticker dictionary) is written as consecutive row groups without joining them first.
 * What it does not cover (timestamps that are not whole days, text columns, stdout) goes through `writeTable`.
 * @example await writeTableFast("features/SPX.parquet", frame, meta);
 */
export async function writeTableFast(
  path: string,
  frames: Frame | readonly Frame[],
  meta: TableMeta,
): Promise<void> {
  const parts = (Array.isArray(frames) ? frames : [frames]) as readonly Frame[];
  const nonEmpty = parts.filter((f) => f.length > 0);
  const first = nonEmpty[0];
  const direct =
    !isStdio(path) &&
    first !== undefined &&
    nonEmpty.every(
      (f) =>
        f.text.size === 0 &&
        f.tickerNames === first.tickerNames &&
        sameNames(f.columnNames, first.columnNames),
    );
  const days = direct ? wholeDays(nonEmpty) : null;
  if (!days) {
    await writeTable(path, parts.length === 1 ? parts[0] : Frame.concat(parts), meta);
    return;
  }
  await writeAtomically(path, async (temp) => writeParquet(temp, nonEmpty, days, meta));
}

/**
 * Each frame's dates as days since the epoch, or null when some time is not a whole day (a TIMESTAMP table,
 * left to writeTable). A multiply-back check instead of `% MS_PER_DAY`: fmod was most of this pass.
 */
export function wholeDays(frames: readonly Frame[]): Int32Array[] | null {
  const out: Int32Array[] = [];
  for (const frame of frames) {
    const time = frame.time;
    const days = new Int32Array(time.length);
    for (let i = 0; i < time.length; i++) {
      const d = Math.round(time[i] / MS_PER_DAY);
      if (d * MS_PER_DAY !== time[i] || d > 0x7fffffff || d < -0x80000000) return null;
      days[i] = d;
    }
    out.push(days);
  }
  return out;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function writeParquet(file: string, frames: readonly Frame[], days: Int32Array[], meta: TableMeta): void {
  const fd = openSync(file, "w");
  let offset = 0;
  // Pieces (page headers, levels, views of the frame's own columns) are gathered and written with one writev
  // per few MiB: no copy of the column bytes into a staging buffer. Nothing gathered is mutated before then.
  let pieces: Uint8Array[] = [];
  let pending = 0;
  const flush = () => {
    if (pieces.length === 0) return;
    let done = writevSync(fd, pieces);
    if (done < pending) {
      // A short write (rare for files): finish piece by piece from where it stopped.
      for (const piece of pieces) {
        if (done >= piece.length) {
          done -= piece.length;
          continue;
        }
        let at = done;
        while (at < piece.length) at += writeSync(fd, piece, at, piece.length - at);
        done = 0;
      }
    }
    pieces = [];
    pending = 0;
  };
  const put = (bytes: Uint8Array) => {
    pieces.push(bytes);
    pending += bytes.length;
    offset += bytes.length;
    if (pending >= 1 << 22 || pieces.length >= 512) flush();
  };
  try {
    put(MAGIC);
    const names = frames[0].columnNames;
    const rowGroups: Uint8Array[] = [];
    const dictionary = tickerDictionary(frames[0].tickerNames);
    let total = 0;
    for (let f = 0; f < frames.length; f++) {
      const frame = frames[f];
      for (let start = 0; start < frame.length; start += ROW_GROUP) {
        const end = Math.min(frame.length, start + ROW_GROUP);
        const chunks: ChunkInfo[] = [];
        const rgStart = offset;
        chunks.push(writeTickerChunk(put, () => offset, frame, start, end, dictionary));
        chunks.push(writeDateChunk(put, () => offset, days[f], start, end));
        for (const name of names)
          chunks.push(writeDoubleChunk(put, () => offset, name, frame.get(name), start, end));
        rowGroups.push(rowGroupStruct(chunks, offset - rgStart, end - start));
      }
      total += frame.length;
    }
    const footer = fileMetaData(total, names, rowGroups, JSON.stringify(meta));
    put(footer);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, footer.length, true);
    put(len);
    put(MAGIC);
    flush();
  } finally {
    closeSync(fd);
  }
}

export const MAGIC = new TextEncoder().encode("PAR1");

export interface ChunkInfo {
  name: string;
  type: number;
  encodings: number[];
  values: number;
  size: number;
  dataOffset: number;
  dictionaryOffset?: number;
}

export type Put = (bytes: Uint8Array) => void;

/** A column chunk with at most this many stretches of non-NaN values is written as views of the column. */
const MAX_VIEW_RUNS = 64;

export function writeDoubleChunk(
  put: Put,
  at: () => number,
  name: string,
  column: Float64Array,
  start: number,
  end: number,
): ChunkInfo {
  const rows = end - start;
  const view = column.subarray(start, end);
  const runs = presentRuns(view);
  const levels = definitionLevels(runs, rows);
  const dictionary = runs.length > 0 ? dictionaryEncode(view) : null;
  if (dictionary) return writeDictionaryChunk(put, at, name, rows, levels, dictionary);
  let present = 0;
  for (let r = 0; r < runs.length; r += 2) present += runs[r + 1] - runs[r];
  const pageSize = levels.length + present * 8;
  const dataOffset = at();
  const header = pageHeader(PAGE.DATA, pageSize, rows, ENCODING.PLAIN);
  put(header);
  put(levels);
  if (runs.length <= 2 * MAX_VIEW_RUNS) {
    // The values straight from the column (no NaN, or NaN in a few stretches such as a train/test split).
    for (let r = 0; r < runs.length; r += 2) put(bytesOf(view.subarray(runs[r], runs[r + 1])));
  } else {
    const values = new Float64Array(present);
    let k = 0;
    for (let r = 0; r < runs.length; r += 2) {
      values.set(view.subarray(runs[r], runs[r + 1]), k);
      k += runs[r + 1] - runs[r];
    }
    put(bytesOf(values));
  }
  return {
    name,
    type: TYPE.DOUBLE,
    encodings: [ENCODING.PLAIN, ENCODING.RLE],
    values: rows,
    size: header.length + pageSize,
    dataOffset,
  };
}

function bytesOf(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Where a chunk's non-NaN values lie, as flat [start, end) pairs in row order (one pass over the chunk). */
function presentRuns(view: Float64Array): number[] {
  const runs: number[] = [];
  const n = view.length;
  let i = 0;
  while (i < n) {
    while (i < n && Number.isNaN(view[i])) i++;
    if (i === n) break;
    const first = i;
    while (i < n && !Number.isNaN(view[i])) i++;
    runs.push(first, i);
  }
  return runs;
}

/** Most distinct values a chunk may have to be dictionary-encoded (indices fit the 4-bit width below). */
const MAX_DICTIONARY = 16;
const DICTIONARY_BIT_WIDTH = 4;

interface DictionaryChunk {
  values: Float64Array;
  /** The bit-width byte, then RLE runs of dictionary indices for the non-NULL rows. */
  indices: Uint8Array;
}

/**
 * Few-valued columns (signals, positions, buy/sell flags) as a dictionary plus RLE runs of its indices: a
 * million 0/1 doubles shrink from 8 MB to the size of their runs, and writing bytes is most of the write.
 * Null (not worth it) when the non-NaN values have more than MAX_DICTIONARY distinct values. Values are
 * told apart bit for bit, so 0 and -0 stay distinct.
 */
function dictionaryEncode(view: Float64Array): DictionaryChunk | null {
  const dictionary = new Float64Array(MAX_DICTIONARY);
  let size = 0;
  const runs = RUNS.reset();
  runs.byte(DICTIONARY_BIT_WIDTH);
  let current = -1;
  let last = Number.NaN;
  let length = 0;
  for (let i = 0; i < view.length; i++) {
    const v = view[i];
    if (Number.isNaN(v)) continue; // a NULL, present only in the definition levels
    if (v === last && (v !== 0 || 1 / v === 1 / last)) {
      length++;
      continue;
    }
    let k = 0;
    while (k < size && !(dictionary[k] === v && (v !== 0 || 1 / v === 1 / dictionary[k]))) k++;
    if (k === size) {
      if (size === MAX_DICTIONARY) return null;
      dictionary[size++] = v;
    }
    if (length > 0) {
      runs.varint(length * 2);
      runs.byte(current);
    }
    current = k;
    last = v;
    length = 1;
  }
  if (length > 0) {
    runs.varint(length * 2);
    runs.byte(current);
  }
  return size === 0 ? null : { values: dictionary.slice(0, size), indices: runs.finish() };
}

function writeDictionaryChunk(
  put: Put,
  at: () => number,
  name: string,
  rows: number,
  levels: Uint8Array,
  dictionary: DictionaryChunk,
): ChunkInfo {
  const dictionaryOffset = at();
  const dictBytes = new Uint8Array(dictionary.values.buffer);
  const dictHeader = pageHeader(PAGE.DICTIONARY, dictBytes.length, dictionary.values.length, ENCODING.PLAIN);
  put(dictHeader);
  put(dictBytes);
  const pageSize = levels.length + dictionary.indices.length;
  const dataOffset = at();
  const header = pageHeader(PAGE.DATA, pageSize, rows, ENCODING.RLE_DICTIONARY);
  put(header);
  put(levels);
  put(dictionary.indices);
  return {
    name,
    type: TYPE.DOUBLE,
    encodings: [ENCODING.PLAIN, ENCODING.RLE, ENCODING.RLE_DICTIONARY],
    values: rows,
    size: dictHeader.length + dictBytes.length + header.length + pageSize,
    dataOffset,
    dictionaryOffset,
  };
}

/** The 4-byte length, then RLE runs (bit width 1) of 1 = present, 0 = NULL (NaN), from presentRuns. */
function definitionLevels(runs: readonly number[], rows: number): Uint8Array {
  const bytes = LEVELS.reset();
  bytes.uint32le(0);
  let at = 0;
  for (let r = 0; r < runs.length; r += 2) {
    if (runs[r] > at) {
      bytes.varint((runs[r] - at) * 2);
      bytes.byte(0);
    }
    bytes.varint((runs[r + 1] - runs[r]) * 2);
    bytes.byte(1);
    at = runs[r + 1];
  }
  if (at < rows) {
    bytes.varint((rows - at) * 2);
    bytes.byte(0);
  }
  const out = bytes.finish();
  new DataView(out.buffer).setUint32(0, out.length - 4, true);
  return out;
}

export function writeDateChunk(
  put: Put,
  at: () => number,
  days: Int32Array,
  start: number,
  end: number,
): ChunkInfo {
  const rows = end - start;
  const body = new Uint8Array(days.buffer, days.byteOffset + start * 4, rows * 4);
  const dataOffset = at();
  const header = pageHeader(PAGE.DATA, body.length, rows, ENCODING.PLAIN);
  put(header);
  put(body);
  return {
    name: "date",
    type: TYPE.INT32,
    encodings: [ENCODING.PLAIN],
    values: rows,
    size: header.length + body.length,
    dataOffset,
  };
}

export interface TickerDictionary {
  page: Uint8Array;
  count: number;
  bitWidth: number;
}

export function tickerDictionary(names: readonly string[]): TickerDictionary {
  const bytes = new ByteWriter();
  const encoder = new TextEncoder();
  for (const name of names) {
    const utf8 = encoder.encode(name);
    bytes.uint32le(utf8.length);
    bytes.bytes(utf8);
  }
  const count = Math.max(1, names.length);
  return {
    page: bytes.finish(),
    count: names.length,
    bitWidth: Math.max(1, Math.ceil(Math.log2(count + 1))),
  };
}

export function writeTickerChunk(
  put: Put,
  at: () => number,
  frame: Frame,
  start: number,
  end: number,
  dict: TickerDictionary,
): ChunkInfo {
  const rows = end - start;
  const dictionaryOffset = at();
  const dictHeader = pageHeader(PAGE.DICTIONARY, dict.page.length, dict.count, ENCODING.PLAIN);
  put(dictHeader);
  put(dict.page);
  // Data page: bit width byte, then RLE runs of dictionary indices (panels are sorted, so runs are long).
  const bytes = new ByteWriter();
  bytes.byte(dict.bitWidth);
  const width = Math.ceil(dict.bitWidth / 8);
  const codes = frame.tickerCodes;
  let i = start;
  while (i < end) {
    let j = i + 1;
    while (j < end && codes[j] === codes[i]) j++;
    bytes.varint((j - i) * 2);
    for (let b = 0; b < width; b++) bytes.byte((codes[i] >>> (8 * b)) & 0xff);
    i = j;
  }
  const body = bytes.finish();
  const dataOffset = at();
  const header = pageHeader(PAGE.DATA, body.length, rows, ENCODING.RLE_DICTIONARY);
  put(header);
  put(body);
  return {
    name: "ticker",
    type: TYPE.BYTE_ARRAY,
    encodings: [ENCODING.PLAIN, ENCODING.RLE_DICTIONARY],
    values: rows,
    size: dictHeader.length + dict.page.length + header.length + body.length,
    dataOffset,
    dictionaryOffset,
  };
}

function pageHeader(type: number, size: number, values: number, encoding: number): Uint8Array {
  const w = HEADER.reset();
  w.i32(1, type);
  w.i32(2, size);
  w.i32(3, size);
  if (type === PAGE.DICTIONARY) {
    w.beginStruct(7);
    w.i32(1, values);
    w.i32(2, encoding);
    w.endStruct();
  } else {
    w.beginStruct(5);
    w.i32(1, values);
    w.i32(2, encoding);
    w.i32(3, ENCODING.RLE);
    w.i32(4, ENCODING.RLE);
    w.endStruct();
  }
  return w.finish();
}

export function rowGroupStruct(chunks: ChunkInfo[], bytes: number, rows: number): Uint8Array {
  const w = new ThriftWriter();
  w.beginList(1, THRIFT.STRUCT, chunks.length);
  for (const c of chunks) {
    w.beginListStruct();
    w.i64(2, c.dataOffset);
    w.beginStruct(3);
    w.i32(1, c.type);
    w.beginList(2, THRIFT.I32, c.encodings.length);
    for (const e of c.encodings) w.listI32(e);
    w.beginList(3, THRIFT.BINARY, 1);
    w.listString(c.name);
    w.i32(4, 0); // UNCOMPRESSED
    w.i64(5, c.values);
    w.i64(6, c.size);
    w.i64(7, c.size);
    w.i64(9, c.dataOffset);
    if (c.dictionaryOffset !== undefined) w.i64(11, c.dictionaryOffset);
    w.endStruct();
    w.endListStruct();
  }
  w.i64(2, bytes);
  w.i64(3, rows);
  return w.finish();
}

export function fileMetaData(
  rows: number,
  names: string[],
  rowGroups: Uint8Array[],
  metaJson: string,
): Uint8Array {
  const w = new ThriftWriter();
  w.i32(1, 1);
  w.beginList(2, THRIFT.STRUCT, names.length + 3);
  w.beginListStruct();
  w.string(4, "schema");
  w.i32(5, names.length + 2);
  w.endListStruct();
  const leaf = (name: string, type: number, repetition: number, converted?: number) => {
    w.beginListStruct();
    w.i32(1, type);
    w.i32(3, repetition);
    w.string(4, name);
    if (converted !== undefined) w.i32(6, converted);
    w.endListStruct();
  };
  leaf("ticker", TYPE.BYTE_ARRAY, 0, CONVERTED.UTF8);
  leaf("date", TYPE.INT32, 0, CONVERTED.DATE);
  for (const name of names) leaf(name, TYPE.DOUBLE, 1);
  w.i64(3, rows);
  w.beginList(4, THRIFT.STRUCT, rowGroups.length);
  for (const rg of rowGroups) w.rawStruct(rg);
  w.beginList(5, THRIFT.STRUCT, 1);
  w.beginListStruct();
  w.string(1, "tsml");
  w.string(2, metaJson);
  w.endListStruct();
  w.string(6, "tsml parquet-fast-writer");
  return w.finish();
}

const THRIFT = { I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

/** Growable byte buffer with the varint/zigzag helpers the Thrift compact protocol needs. */
class ByteWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(extra: number) {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Empties the buffer for reuse (what finish() returned is a copy, so it stays valid). */
  reset(): this {
    this.len = 0;
    return this;
  }

  byte(b: number) {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array) {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  uint32le(v: number) {
    this.ensure(4);
    new DataView(this.buf.buffer).setUint32(this.len, v, true);
    this.len += 4;
  }

  /** Unsigned LEB128 for non-negative integers up to 2^53. */
  varint(v: number) {
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  zigzag(v: number) {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Thrift compact protocol, only what Parquet metadata needs (structs, lists, i32/i64, strings). */
class ThriftWriter extends ByteWriter {
  private last: number[] = [0];

  override reset(): this {
    this.last = [0];
    return super.reset();
  }

  private field(id: number, type: number) {
    const delta = id - this.last[this.last.length - 1];
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.last[this.last.length - 1] = id;
  }

  i32(id: number, v: number) {
    this.field(id, THRIFT.I32);
    this.zigzag(v);
  }

  i64(id: number, v: number) {
    this.field(id, THRIFT.I64);
    this.zigzag(v);
  }

  string(id: number, s: string) {
    this.field(id, THRIFT.BINARY);
    this.listString(s);
  }

  beginStruct(id: number) {
    this.field(id, THRIFT.STRUCT);
    this.last.push(0);
  }

  endStruct() {
    this.byte(0);
    this.last.pop();
  }

  beginList(id: number, elementType: number, size: number) {
    this.field(id, THRIFT.LIST);
    if (size < 15) this.byte((size << 4) | elementType);
    else {
      this.byte(0xf0 | elementType);
      this.varint(size);
    }
  }

  beginListStruct() {
    this.last.push(0);
  }

  endListStruct() {
    this.byte(0);
    this.last.pop();
  }

  listI32(v: number) {
    this.zigzag(v);
  }

  listString(s: string) {
    const utf8 = new TextEncoder().encode(s);
    this.varint(utf8.length);
    this.bytes(utf8);
  }

  /** A struct already encoded on its own (field ids restart at 0), written as a list element. */
  rawStruct(encoded: Uint8Array) {
    this.bytes(encoded);
  }

  override finish(stop = true): Uint8Array {
    if (stop) this.byte(0);
    return super.finish();
  }
}

// Scratch writers reused for every chunk's small pieces (a fresh writer per piece was most of the garbage).
const LEVELS = new ByteWriter();
const RUNS = new ByteWriter();
const HEADER = new ThriftWriter();
