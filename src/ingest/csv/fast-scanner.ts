// The fast path for plain CSV (no double quotes, \n or \r\n line ends): scans bytes, finds cell boundaries,
// and reads numbers and ISO dates straight from the bytes. Anything unusual (a quote, a lone \r) throws
// `NeedsFullParser`, and the caller starts over with csv-parse, which handles every RFC 4180 detail.
// Profiling showed csv-parse's per-field strings and record objects were 75% of ingest time.

import { DataError } from "../../core/errors.js";
import type { BarsRowReader } from "./bars-row-reader.js";
import { parseDateCell, utcDay } from "./parse-date.js";
import { parseNumberCell } from "./parse-number.js";
import type { RecordCells } from "./record-cells.js";

/** Thrown when the input needs the full parser; nothing the scanner did is kept. */
export class NeedsFullParser extends Error {}

const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const MAX_LINE_BYTES = 1 << 22;
const CR = 13;
const LF = 10;
// 10^k for k <= 22 are exact doubles: digits / 10^k is then correctly rounded (Clinger's fast path),
// so the result equals Number(text) bit for bit.
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Cells of one line inside a chunk, answering numbers and ISO dates from the bytes. */
class ByteCells implements RecordCells {
  buffer: Buffer = Buffer.alloc(0);
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  length = 0;
  ascii = true;

  text(column: number): string {
    const buffer = this.buffer as Buffer & { latin1Slice(start: number, end: number): string };
    // latin1Slice (Node's internal fast path behind toString("latin1")) is exact for pure-ASCII lines.
    return this.ascii
      ? buffer.latin1Slice(this.starts[column], this.ends[column])
      : buffer.toString("utf8", this.starts[column], this.ends[column]);
  }

  number(column: number): number {
    const b = this.buffer;
    let i = this.starts[column];
    const end = this.ends[column];
    let negative = false;
    if (b[i] === 45) {
      negative = true;
      i++;
    } else if (b[i] === 43) i++;
    let mantissa = 0;
    let digits = 0;
    let decimals = -1;
    for (; i < end; i++) {
      const c = b[i];
      if (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        if (decimals >= 0) decimals++;
      } else if (c === 46 && decimals < 0) decimals = 0;
      else return parseNumberCell(this.text(column));
    }
    // Up to 15 significant digits the mantissa is an exact integer below 2^53.
    if (digits === 0 || digits > 15) return parseNumberCell(this.text(column));
    const value = decimals > 0 ? mantissa / POW10[decimals] : mantissa;
    return negative ? -value : value;
  }

  trimmedHash(column: number): number {
    if (!this.ascii) return -1;
    const b = this.buffer;
    let start = this.starts[column];
    let end = this.ends[column];
    while (start < end && (b[start] === SPACE || b[start] === TAB)) start++;
    while (end > start && (b[end - 1] === SPACE || b[end - 1] === TAB)) end--;
    // FNV-1a, kept non-negative (-1 means "no hash").
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ b[i], 0x01000193);
    return hash >>> 1;
  }

  trimmedEquals(column: number, text: string): boolean {
    const b = this.buffer;
    let start = this.starts[column];
    let end = this.ends[column];
    while (start < end && (b[start] === SPACE || b[start] === TAB)) start++;
    while (end > start && (b[end - 1] === SPACE || b[end - 1] === TAB)) end--;
    if (end - start !== text.length) return false;
    for (let i = 0; i < text.length; i++) if (b[start + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  date(column: number): number {
    const b = this.buffer;
    const s = this.starts[column];
    if (this.ends[column] - s === 10 && b[s + 4] === 45 && b[s + 7] === 45) {
      const d = (k: number) => b[s + k] - 48;
      const ok = (k: number) => b[s + k] >= 48 && b[s + k] <= 57;
      if (ok(0) && ok(1) && ok(2) && ok(3) && ok(5) && ok(6) && ok(8) && ok(9)) {
        return utcDay(d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3), d(5) * 10 + d(6), d(8) * 10 + d(9));
      }
    }
    return parseDateCell(this.text(column));
  }
}

/**
 * Feeds a stream of chunks to `reader`, line by line. Lines are counted from 1 (the header); empty lines are
 * skipped, as csv-parse's `skip_empty_lines` does.
 */
export async function scanPlainCsv(
  chunks: AsyncIterable<Buffer>,
  delimiter: string,
  reader: BarsRowReader,
  label: string,
): Promise<void> {
  const delim = delimiter.charCodeAt(0);
  const cells = new ByteCells();
  let carry: Buffer | null = null;
  let line = 0;
  let first = true;
  const scanLine = (buffer: Buffer, start: number, end: number) => {
    line++;
    if (end > start && buffer[end - 1] === CR) end--;
    if (end === start) return;
    let fields = 0;
    let fieldStart = start;
    let high = 0;
    for (let i = start; i < end; i++) {
      const c = buffer[i];
      high |= c;
      if (c === delim) {
        if (fields + 1 >= cells.starts.length) growCells(cells);
        cells.starts[fields] = fieldStart;
        cells.ends[fields++] = i;
        fieldStart = i + 1;
      } else if (c === QUOTE || c === CR) throw new NeedsFullParser();
    }
    if (fields + 1 >= cells.starts.length) growCells(cells);
    cells.starts[fields] = fieldStart;
    cells.ends[fields++] = end;
    cells.buffer = buffer;
    cells.length = fields;
    cells.ascii = high < 128;
    const expected = reader.headerLength;
    if (expected > 0 && fields !== expected) throw raggedRowError(label, line, fields, expected);
    reader.acceptCells(cells, line);
  };
  for await (const chunk of chunks) {
    let buffer: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    if (first) {
      first = false;
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) buffer = buffer.subarray(3);
    }
    let start = 0;
    for (let nl = buffer.indexOf(LF, start); nl >= 0; nl = buffer.indexOf(LF, start)) {
      scanLine(buffer, start, nl);
      start = nl + 1;
    }
    carry = start < buffer.length ? buffer.subarray(start) : null;
    // A line longer than this is not a price bar; let csv-parse deal with it rather than re-copying it.
    if (carry !== null && carry.length > MAX_LINE_BYTES) throw new NeedsFullParser();
  }
  if (carry) {
    if (carry[carry.length - 1] === CR) throw new NeedsFullParser();
    scanLine(carry, 0, carry.length);
  }
}

function growCells(cells: ByteCells): void {
  const starts = new Int32Array(cells.starts.length * 2);
  const ends = new Int32Array(cells.ends.length * 2);
  starts.set(cells.starts);
  ends.set(cells.ends);
  cells.starts = starts;
  cells.ends = ends;
}

/** The same message for both parsers. */
export function raggedRowError(
  label: string,
  line: number | string,
  fields: number | string,
  expected: number,
) {
  return new DataError(
    `${label}, line ${line}: ragged row (${fields} fields, the header has ${expected})`,
    "every row needs as many fields as the header",
  );
}
