// The data-quality report printed by every ingest: per ticker rows and date range, gaps over 5 business days,
// close outside [low, high], zero volume, close-to-close jumps over 25%, and the rows ingest skipped or repaired.

import { isoDate, MS_PER_DAY } from "../frame/dates.js";
import type { Frame } from "../frame/frame.js";
import type { PriceField, RowNotes } from "./bars-schema.js";

/** A gap is flagged when more than this many business days (Mon-Fri) lie between two bars. */
export const GAP_BUSINESS_DAYS = 5;
/** A jump is flagged when |close / previous close - 1| exceeds this. */
export const JUMP_THRESHOLD = 0.25;
/** Dates listed per finding (the count is always exact). */
export const MAX_LISTED_DATES = 20;

/** What ingest knows beyond the frame itself; every field optional so that any source can publish bars. */
export interface QualityNotes {
  skippedNull?: RowNotes;
  openMissing?: RowNotes;
  derivedFromClose?: readonly PriceField[];
  identicalDuplicates?: number;
  dedupedRows?: number;
}

export interface Finding {
  count: number;
  /** ISO dates (at most MAX_LISTED_DATES); for gaps "from..to". */
  dates: string[];
}

export interface TickerQuality {
  ticker: string;
  rows: number;
  first: string;
  last: string;
  gaps: Finding;
  closeOutsideRange: Finding;
  zeroVolume: Finding;
  jumps: Finding;
  nullRowsSkipped: Finding;
  openMissing: Finding;
}

export interface QualityReport {
  rows: number;
  tickers: TickerQuality[];
  derivedFromClose: PriceField[];
  identicalDuplicates: number;
  dedupedRows: number;
}

export const FINDINGS = [
  "gaps",
  "closeOutsideRange",
  "zeroVolume",
  "jumps",
  "nullRowsSkipped",
  "openMissing",
] as const;

/**
 * Builds the report for a bars frame sorted by ticker and date.
 * @example
 * qualityReport(frame).tickers[0].jumps.dates // ["1987-10-19"]
 */
export function qualityReport(frame: Frame, notes: QualityNotes = {}): QualityReport {
  const close = frame.get("close");
  const high = frame.has("high") ? frame.get("high") : close;
  const low = frame.has("low") ? frame.get("low") : close;
  const volume = frame.has("volume") ? frame.get("volume") : null;
  const time = frame.time;
  const tickers = frame.groups().map(({ ticker, start, end }): TickerQuality => {
    const gaps = collector();
    const outside = collector();
    const zero = collector();
    const jumps = collector();
    for (let i = start; i < end; i++) {
      if (close[i] < low[i] || close[i] > high[i]) outside.add(time[i]);
      if (volume !== null && volume[i] === 0) zero.add(time[i]);
      if (i === start) continue;
      if (Math.abs(close[i] / close[i - 1] - 1) > JUMP_THRESHOLD) jumps.add(time[i]);
      if (businessDaysBetween(time[i - 1], time[i]) > GAP_BUSINESS_DAYS) gaps.addRange(time[i - 1], time[i]);
    }
    return {
      ticker,
      rows: end - start,
      first: isoDate(time[start]),
      last: isoDate(time[end - 1]),
      gaps: gaps.result(),
      closeOutsideRange: outside.result(),
      zeroVolume: zero.result(),
      jumps: jumps.result(),
      nullRowsSkipped: fromNotes(notes.skippedNull?.get(ticker)),
      openMissing: fromNotes(notes.openMissing?.get(ticker)),
    };
  });
  return {
    rows: frame.length,
    tickers,
    derivedFromClose: [...(notes.derivedFromClose ?? [])],
    identicalDuplicates: notes.identicalDuplicates ?? 0,
    dedupedRows: notes.dedupedRows ?? 0,
  };
}

// Weekdays among the 7 days starting 1970-01-01 (a Thursday), as a prefix count: Thu Fri Sat Sun Mon Tue Wed.
const WEEKDAYS_BEFORE = [0, 1, 2, 2, 2, 3, 4, 5];

/** Mon-Fri days in [epoch day 0, day) (negative days count backwards). */
function businessDaysBefore(day: number): number {
  const weeks = Math.floor(day / 7);
  return weeks * 5 + WEEKDAYS_BEFORE[day - weeks * 7];
}

/** Business days strictly between two bar times (consecutive trading days give 0; Fri -> Mon gives 0). */
export function businessDaysBetween(fromMs: number, toMs: number): number {
  const a = Math.floor(fromMs / MS_PER_DAY);
  const b = Math.floor(toMs / MS_PER_DAY);
  if (b <= a + 1) return 0;
  return businessDaysBefore(b) - businessDaysBefore(a + 1);
}

function collector() {
  let count = 0;
  const dates: string[] = [];
  return {
    add(ms: number) {
      if (count++ < MAX_LISTED_DATES) dates.push(isoDate(ms));
    },
    addRange(fromMs: number, toMs: number) {
      if (count++ < MAX_LISTED_DATES) dates.push(`${isoDate(fromMs)}..${isoDate(toMs)}`);
    },
    result: (): Finding => ({ count, dates }),
  };
}

function fromNotes(dates: readonly number[] | undefined): Finding {
  if (!dates) return { count: 0, dates: [] };
  return { count: dates.length, dates: dates.slice(0, MAX_LISTED_DATES).map(isoDate) };
}
