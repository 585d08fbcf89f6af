// Builds a canonical bars (or features) frame from parsed source rows: sorted by date, one row per date.

import { daysInMonth, utc } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { PRICE_FIELDS } from "./bars-schema.js";

/** The canonical bars columns, in order; sources add extras (dividend, turnover...) after them. */
export const BAR_COLUMNS: readonly string[] = PRICE_FIELDS;

/** Growable column buffers filled row by row by a parser. */
export class SeriesBuilder {
  readonly times: number[] = [];
  private readonly values = new Map<string, number[]>();

  constructor(columns: readonly string[] = []) {
    for (const name of columns) this.values.set(name, []);
  }

  /** Appends one row; columns missing from `row` are NaN, new columns are back-filled with NaN. */
  push(time: number, row: Readonly<Record<string, number>>): void {
    const index = this.times.length;
    this.times.push(time);
    for (const name of Object.keys(row)) {
      if (!this.values.has(name)) this.values.set(name, new Array<number>(index).fill(Number.NaN));
    }
    for (const [name, column] of this.values) column.push(row[name] ?? Number.NaN);
  }

  get length(): number {
    return this.times.length;
  }

  /**
   * A single-ticker frame sorted by time; for a repeated date the last row wins (sources list newest first
   * or re-send a day across pages). Column order: `order` first, then the rest as first seen.
   */
  toFrame(ticker: string, order: readonly string[] = BAR_COLUMNS): Frame {
    const n = this.times.length;
    const index = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => this.times[a] - this.times[b] || a - b,
    );
    const keep: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = index[k];
      if (k + 1 < n && this.times[index[k + 1]] === this.times[i]) continue;
      keep.push(i);
    }
    const time = Float64Array.from(keep, (i) => this.times[i]);
    const names = [
      ...order.filter((c) => this.values.has(c)),
      ...[...this.values.keys()].filter((c) => !order.includes(c)),
    ];
    const columns = new Map<string, Float64Array>();
    for (const name of names) {
      const source = this.values.get(name)!;
      columns.set(
        name,
        Float64Array.from(keep, (i) => source[i]),
      );
    }
    return Frame.fromColumns(ticker, time, columns);
  }
}

/**
 * "2024-06-18", "2024-06-18 14:07", "2024-06-18 14:07:03" or "2017-11-08 (end of day)" -> epoch ms UTC.
 * NaN for impossible dates (2019-02-30) rather than rolling them over, and years 0-99 stay
 * years 0-99: Date.UTC would read 0099 as 1999.
 */
export function parseSourceDate(text: string): number {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (!m) return Number.NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [m[4] ? Number(m[4]) : 0, m[5] ? Number(m[5]) : 0, m[6] ? Number(m[6]) : 0];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
  return utc(year, month, day, hour, minute, second, 0);
}
