// A Parquet table written a batch at a time, for tables larger than memory: frames are appended as they are
// computed and leave memory once their row group is on disk; the footer (schema, row groups, tsml metadata)
// is written last, so metadata that depends on every row (tickers, window dates) can still go in it.
// Same columns and encodings as writeTableFast (the chunk writers are shared); the file appears at its target
// only on commit (a temp file beside it until then, removed on failure or exit).

import { closeSync, mkdirSync, openSync, writev } from "node:fs";
import { dirname } from "node:path";
import { commitTemp, discardTemp, tempPathFor } from "../core/atomic-file.js";
import { DataError } from "../core/errors.js";
import { fromOsError } from "../core/os-error.js";
import { Frame } from "../frame/frame.js";
import {
  type ChunkInfo,
  fileMetaData,
  MAGIC,
  ROW_GROUP,
  rowGroupStruct,
  tickerDictionary,
  wholeDays,
  writeDateChunk,
  writeDoubleChunk,
  writeTickerChunk,
} from "./parquet-fast-writer.js";
import type { TableMeta } from "./table-io.js";

export class ParquetStreamWriter {
  private readonly fd: number;
  private offset = 0;
  private total = 0;
  private names: string[] | null = null;
  private readonly rowGroups: Uint8Array[] = [];
  /** Appended frames not yet in a row group (they are gathered until a row group is full). */
  private pending: Frame[] = [];
  private pendingRows = 0;
  private closed = false;
  /** Bytes waiting to be handed to a writev. */
  private gathered: Uint8Array[] = [];
  /**
   * The writes in flight, one after the other: they run on libuv's threads while the caller computes the next
   * batch (write overlapped with compute).
   */
  private writing: Promise<void> = Promise.resolve();
  /**
   * Two sets of row-group buffers, used in turn: one is filled while the other's pages are still being
   * written (fresh buffers per group were most of the garbage collection).
   */
  private readonly scratch: { buffers: GroupBuffers; written: Promise<void> }[] = [];
  private turn = 0;

  private constructor(
    private readonly target: string,
    private readonly temp: string,
  ) {
    try {
      this.fd = openSync(temp, "w");
    } catch (error) {
      throw fromOsError(error, { path: target, writing: true }) ?? error;
    }
    this.put(MAGIC);
  }

  /** Starts a table that will appear at `target` on commit. */
  static open(target: string): ParquetStreamWriter {
    try {
      mkdirSync(dirname(target), { recursive: true });
    } catch (error) {
      throw fromOsError(error, { path: dirname(target) }) ?? error;
    }
    return new ParquetStreamWriter(target, tempPathFor(target));
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.total + this.pendingRows;
  }

  /**
   * Appends frames (numeric columns only, dates at midnight UTC, the same columns every time); row groups are
   * written as soon as ROW_GROUP rows have gathered, several tickers to a group.
   */
  async append(frames: readonly Frame[]): Promise<void> {
    for (const frame of frames) {
      if (frame.length === 0) continue;
      this.names ??= frame.columnNames;
      const names = this.names;
      if (
        frame.text.size > 0 ||
        frame.columnNames.length !== names.length ||
        frame.columnNames.some((n, i) => n !== names[i])
      )
        throw new DataError("streamed table: every batch must have the same numeric columns");
      this.pending.push(frame);
      this.pendingRows += frame.length;
      while (this.pendingRows >= ROW_GROUP) await this.writeRowGroup(ROW_GROUP);
    }
  }

  /** Writes what is pending, the footer with `meta`, and moves the file onto its target. */
  async commit(meta: TableMeta, columnsWhenEmpty: readonly string[] = []): Promise<void> {
    while (this.pendingRows > 0) await this.writeRowGroup(Math.min(ROW_GROUP, this.pendingRows));
    const footer = fileMetaData(
      this.total,
      this.names ?? [...columnsWhenEmpty],
      this.rowGroups,
      JSON.stringify(meta),
    );
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, footer.length, true);
    this.put(footer);
    this.put(length);
    this.put(MAGIC);
    this.send();
    await this.writing;
    this.close();
    await commitTemp(this.temp, this.target);
  }

  /** Drops the temp file (after a failure). */
  async discard(): Promise<void> {
    await this.writing.catch(() => undefined);
    this.close();
    await discardTemp(this.temp);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** Takes `rows` rows off the front of the pending frames and writes them as one row group. */
  private async writeRowGroup(rows: number): Promise<void> {
    const pieces: Frame[] = [];
    let taken = 0;
    while (taken < rows) {
      const frame = this.pending[0];
      const want = rows - taken;
      if (frame.length <= want) {
        pieces.push(frame);
        this.pending.shift();
        taken += frame.length;
      } else {
        pieces.push(frame.slice(0, want));
        this.pending[0] = frame.slice(want, frame.length);
        taken += want;
      }
    }
    this.pendingRows -= rows;
    if (this.scratch.length < 2)
      this.scratch.push({ buffers: groupBuffers(this.names ?? []), written: Promise.resolve() });
    const slot = this.scratch[this.turn];
    this.turn = 1 - this.turn;
    await slot.written;
    const group = joinWithLocalTickers(pieces, this.names ?? [], slot.buffers);
    const days = wholeDays([group]);
    if (!days) throw new DataError("streamed table: every date must be a whole day (midnight UTC)");
    const chunks: ChunkInfo[] = [];
    const start = this.offset;
    const put = (bytes: Uint8Array) => this.put(bytes);
    const at = () => this.offset;
    chunks.push(writeTickerChunk(put, at, group, 0, rows, tickerDictionary(group.tickerNames)));
    chunks.push(writeDateChunk(put, at, days[0], 0, rows));
    for (const name of this.names ?? [])
      chunks.push(writeDoubleChunk(put, at, name, group.get(name), 0, rows));
    this.rowGroups.push(rowGroupStruct(chunks, this.offset - start, rows));
    this.total += rows;
    // The pages hold views of these buffers: they are filled again only once this write is done.
    this.send();
    slot.written = this.writing;
  }

  private put(bytes: Uint8Array): void {
    this.gathered.push(bytes);
    this.offset += bytes.length;
    if (this.gathered.length >= 512) this.send();
  }

  /** Queues the gathered bytes behind the writes in flight. */
  private send(): void {
    if (this.gathered.length === 0) return;
    const pieces = this.gathered;
    this.gathered = [];
    this.writing = this.writing.then(() => writeAll(this.fd, pieces));
    // Observed here so a failed write is not an unhandled rejection; commit or the next group awaits it.
    this.writing.catch(() => undefined);
  }
}

/**
 * The pieces as one frame whose ticker dictionary holds only the tickers present, so each row group's
 * dictionary page lists a few names, not the whole universe's (5,000 names in each of hundreds of groups).
 */
/** writev until every byte is written (a short write continues from where it stopped). */
async function writeAll(fd: number, pieces: Uint8Array[]): Promise<void> {
  let rest = pieces;
  while (rest.length > 0) {
    const written = await new Promise<number>((resolve, reject) =>
      writev(fd, rest, (error, bytes) => (error ? reject(error) : resolve(bytes))),
    );
    let skip = written;
    const next: Uint8Array[] = [];
    for (const piece of rest) {
      if (skip >= piece.length) skip -= piece.length;
      else {
        next.push(skip > 0 ? piece.subarray(skip) : piece);
        skip = 0;
      }
    }
    rest = next;
  }
}

interface GroupBuffers {
  time: Float64Array;
  codes: Uint32Array;
  columns: Float64Array[];
}

function groupBuffers(names: readonly string[]): GroupBuffers {
  return {
    time: new Float64Array(ROW_GROUP),
    codes: new Uint32Array(ROW_GROUP),
    columns: names.map(() => new Float64Array(ROW_GROUP)),
  };
}

function joinWithLocalTickers(
  pieces: readonly Frame[],
  names: readonly string[],
  scratch: GroupBuffers,
): Frame {
  const rows = pieces.reduce((sum, p) => sum + p.length, 0);
  const time = scratch.time.subarray(0, rows);
  const codes = scratch.codes.subarray(0, rows);
  const columns = new Map(names.map((n, c) => [n, scratch.columns[c].subarray(0, rows)]));
  const tickerNames: string[] = [];
  const localCode = new Map<string, number>();
  let offset = 0;
  for (const piece of pieces) {
    time.set(piece.time, offset);
    for (const name of names) columns.get(name)!.set(piece.get(name), offset);
    // Panels hold each ticker in one run: one dictionary look-up per run, not per row.
    const source = piece.tickerCodes;
    for (let i = 0; i < piece.length; ) {
      let j = i + 1;
      while (j < piece.length && source[j] === source[i]) j++;
      const ticker = piece.tickerNames[source[i]];
      let code = localCode.get(ticker);
      if (code === undefined) {
        code = tickerNames.length;
        tickerNames.push(ticker);
        localCode.set(ticker, code);
      }
      codes.fill(code, offset + i, offset + j);
      i = j;
    }
    offset += piece.length;
  }
  return new Frame({ time, tickerCodes: codes, tickerNames, columns });
}
