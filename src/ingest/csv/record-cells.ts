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
}
