// Canonical bars: ticker, date, open, high, low, close, adj_close?, volume? as a Frame; assembling parsed
// files into one sorted panel with duplicate handling (--dedupe last|first) and the notes the report needs.

import { DataError, UsageError } from "../core/errors.js";
import { isoDate } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";

/** Numeric bars columns in file order; adj_close and volume are optional (indexes have no volume). */
export const PRICE_FIELDS = ["open", "high", "low", "close", "adj_close", "volume"] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];
export const REQUIRED_PRICE_FIELDS = ["open", "high", "low", "close"] as const;

export type DedupeMode = "last" | "first";

/** One parsed file: columns in file order plus the source line of each row (for error messages). */
export interface RawBars {
  file: string;
  time: Float64Array;
  tickerCodes: Uint32Array;
  tickerNames: string[];
  line: Uint32Array;
  columns: Map<PriceField, Float64Array>;
  /** Fields absent from the file and filled from close (open/high/low), for the report. */
  derivedFromClose: PriceField[];
  /** Rows whose prices were all null (Yahoo holidays): skipped, counted per ticker with their dates. */
  skippedNull: RowNotes;
  /** Rows whose open was 0 or null while high/low/close were valid (old ^GSPC): open stored as missing. */
  openMissing: RowNotes;
}

/** Per-ticker counts of noted rows with their dates (epoch ms). */
export type RowNotes = Map<string, number[]>;

export interface AssembledBars {
  frame: Frame;
  derivedFromClose: PriceField[];
  skippedNull: RowNotes;
  openMissing: RowNotes;
  /** Rows dropped because an identical row (same ticker, date and values) came before. */
  identicalDuplicates: number;
  /** Rows dropped by --dedupe. */
  dedupedRows: number;
}

export function parseDedupe(value: string | undefined): DedupeMode | undefined {
  if (value === undefined) return undefined;
  if (value !== "last" && value !== "first")
    throw new UsageError(`--dedupe: "${value}" is not last or first`, "use --dedupe last or --dedupe first");
  return value;
}

/**
 * Stacks parsed files into one panel sorted by ticker then date (descending files are reversed) and resolves
 * duplicate ticker+date rows: identical copies are dropped; different values are a DataError unless `dedupe`
 * says to keep the `first` or `last` row in input order.
 */
export function assembleBars(parts: readonly RawBars[], dedupe?: DedupeMode): AssembledBars {
  const columnsPresent = PRICE_FIELDS.filter((f) => parts.some((p) => p.columns.has(f)));
  const stacked = Frame.concat(
    parts.map(
      (p) =>
        new Frame({
          time: p.time,
          tickerCodes: p.tickerCodes,
          tickerNames: p.tickerNames,
          columns: new Map(
            columnsPresent.map((f) => [
              f,
              p.columns.get(f) ?? new Float64Array(p.time.length).fill(Number.NaN),
            ]),
          ),
        }),
    ),
  );
  const lines = new Uint32Array(stacked.length);
  const fileIndex = new Uint16Array(stacked.length);
  let offset = 0;
  parts.forEach((p, k) => {
    lines.set(p.line, offset);
    fileIndex.fill(k, offset, offset + p.line.length);
    offset += p.line.length;
  });
  const order = tickerTimeOrder(stacked);
  const keep = new Uint8Array(order.length).fill(1);
  let identicalDuplicates = 0;
  let dedupedRows = 0;
  const values = columnsPresent.map((f) => stacked.get(f));
  for (let k = 1; k < order.length; k++) {
    const a = order[k - 1];
    const b = order[k];
    if (stacked.tickerCodes[a] !== stacked.tickerCodes[b] || stacked.time[a] !== stacked.time[b]) continue;
    // Runs of equal keys are in input order, so the earlier row is `a`; walk back to the kept one.
    let kept = k - 1;
    while (!keep[kept]) kept--;
    const first = order[kept];
    if (values.every((v) => Object.is(v[first], v[b]))) {
      keep[k] = 0;
      identicalDuplicates++;
    } else if (dedupe === "first") {
      keep[k] = 0;
      dedupedRows++;
    } else if (dedupe === "last") {
      keep[kept] = 0;
      dedupedRows++;
    } else {
      const where = (row: number) => `${parts[fileIndex[row]].file} line ${lines[row]}`;
      throw new DataError(
        `${where(b)}: duplicate ${stacked.ticker(b)} ${isoDate(stacked.time[b])} with different values (also at ${where(first)})`,
        "pass --dedupe last or --dedupe first to keep one of them",
      );
    }
  }
  const selected = order.filter((_, k) => keep[k] === 1);
  return {
    frame: stacked.take(selected),
    derivedFromClose: [...new Set(parts.flatMap((p) => p.derivedFromClose))],
    skippedNull: mergeNotes(parts.map((p) => p.skippedNull)),
    openMissing: mergeNotes(parts.map((p) => p.openMissing)),
    identicalDuplicates,
    dedupedRows,
  };
}

/**
 * Row order by ticker name, then time, stable in input order for equal keys. A counting pass groups tickers;
 * each group is kept as is when ascending, reversed when strictly descending, and sorted otherwise.
 */
export function tickerTimeOrder(frame: Frame): Uint32Array {
  const n = frame.length;
  const names = frame.tickerNames;
  const rank = new Uint32Array(names.length);
  [...names.keys()]
    .sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0))
    .forEach((code, r) => {
      rank[code] = r;
    });
  const starts = new Uint32Array(names.length + 1);
  for (let i = 0; i < n; i++) starts[rank[frame.tickerCodes[i]] + 1]++;
  for (let r = 0; r < names.length; r++) starts[r + 1] += starts[r];
  const order = new Uint32Array(n);
  const cursor = starts.slice(0, names.length);
  for (let i = 0; i < n; i++) order[cursor[rank[frame.tickerCodes[i]]]++] = i;
  const time = frame.time;
  for (let r = 0; r < names.length; r++) {
    const group = order.subarray(starts[r], starts[r + 1]);
    let ascending = true;
    let descending = true;
    for (let k = 1; k < group.length && (ascending || descending); k++) {
      const d = time[group[k]] - time[group[k - 1]];
      if (d < 0) ascending = false;
      if (d >= 0) descending = false;
    }
    if (ascending) continue;
    if (descending) group.reverse();
    else group.set(Array.from(group).sort((a, b) => time[a] - time[b] || a - b));
  }
  return order;
}

function mergeNotes(all: readonly RowNotes[]): RowNotes {
  const out: RowNotes = new Map();
  for (const notes of all) {
    for (const [ticker, dates] of notes) out.set(ticker, [...(out.get(ticker) ?? []), ...dates]);
  }
  for (const dates of out.values()) dates.sort((a, b) => a - b);
  return out;
}
