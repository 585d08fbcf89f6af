// One CSV record as seen by the bars reader: cell text, and numbers/dates read straight from the cell
// (a byte scanner can answer those without building strings; csv-parse records answer from strings).

import { parseDateCell } from "./parse-date.js";
import { parseNumberCell } from "./parse-number.js";

export interface RecordCells {
  readonly length: number;
  /** The cell's text as in the file. */
  text(column: number): string;
  /** `parseNumberCell` of the cell (NaN for missing or garbage). */
  number(column: number): number;
  /** `parseDateCell` of the cell (NaN when unreadable). */
  date(column: number): number;
  /**
   * A 32-bit hash of the cell's text without surrounding spaces and tabs, or -1 when the cells cannot tell
   * it without building the string (then callers use text()). Lets a reader look up a repeated ticker without
   * a string per row.
   */
  trimmedHash(column: number): number;
  /** True when the cell's text without surrounding spaces and tabs is `text` (ASCII only). */
  trimmedEquals(column: number, text: string): boolean;
}

/** Cells over a string array (csv-parse records); one instance is reused for every record. */
export class StringCells implements RecordCells {
  record: readonly string[] = [];

  get length(): number {
    return this.record.length;
  }

  text(column: number): string {
    return this.record[column];
  }

  number(column: number): number {
    return parseNumberCell(this.record[column]);
  }

  date(column: number): number {
    return parseDateCell(this.record[column]);
  }

  trimmedHash(): number {
    return -1;
  }

  trimmedEquals(column: number, text: string): boolean {
    return this.record[column].trim() === text;
  }
}
