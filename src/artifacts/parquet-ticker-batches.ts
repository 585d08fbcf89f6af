// A Parquet panel read a few whole tickers at a time, for panels larger than memory: one streamed DuckDB
// query in file order, cut into batches at ticker boundaries, so per-ticker stages (features, backtest) see
// every row of a ticker at once while the process holds one batch, not the table.
// Only panels that tsml writes qualify: tickers in contiguous runs, in name order (so batches come out in the
// same order as Frame.sortByTickerTime puts the whole table), a DATE column, numeric columns otherwise.

import type { DuckDBDataChunk, DuckDBVector } from "@duckdb/node-api";
import { DataError } from "../core/errors.js";
import { MS_PER_DAY } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { expectKind } from "./artifact-kind.js";
import { duckdb, sqlIdentifier, sqlString } from "./duckdb-engine.js";
import { checkPlausibleValues } from "./plausible-values.js";
import { MissingColumnError, type ReadTableOptions, readTableMeta, type TableMeta } from "./table-io.js";

/** One ticker's rows in the file. */
export interface TickerRun {
  ticker: string;
  first: number;
  rows: number;
}

export interface TickerBatchSource {
  meta: TableMeta | null;
  /** Every ticker of the file, in file (= name) order; the batches' frames share this dictionary. */
  tickerNames: readonly string[];
  runs: readonly TickerRun[];
  totalRows: number;
  /** Numeric columns each batch carries (besides time and ticker). */
  columns: readonly string[];
  /**
   * Batches of whole tickers, about `batchRows` rows each (one ticker may exceed it), in file order; `only`
   * skips batches without any of those tickers, `columns` reads fewer columns (e.g. none: dates only).
   */
  batches(batchRows: number, only?: ReadonlySet<string>, columns?: readonly string[]): AsyncGenerator<Frame>;
}

/**
 * Opens a panel for batched reading, or returns null when the file does not qualify (then read it whole with
 * readTable). Kind and column checks are readTable's: the same errors, before any row is read.
 * @example for await (const batch of (await openTickerBatches(file, file, {}))!.batches(262_144)) ...
 */
export async function openTickerBatches(
  file: string,
  label: string,
  options: ReadTableOptions & { minRows?: number },
): Promise<TickerBatchSource | null> {
  // The row count is in the footer: a small table is refused before anything is scanned or checked.
  if (options.minRows !== undefined && (await footerRows(file)) <= options.minRows) return null;
  const meta = await readTableMeta(file).catch((error) => {
    if (error instanceof DataError) throw new DataError(error.message.replace(file, label));
    throw error;
  });
  if (options.kinds?.length) expectKind(label, meta?.kind, options.kinds);
  const connection = await duckdb();
  const source = `read_parquet(${sqlString(file)})`;
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`))
    .getRows()
    .map(([name, type]) => ({ name: String(name), type: String(type) }));
  const date = described.find((c) => c.name === "date" && c.type === "DATE");
  const ticker = described.find((c) => c.name === "ticker" && c.type === "VARCHAR");
  const others = described.filter((c) => c !== date && c !== ticker);
  if (!date || !ticker || others.some((c) => c.type !== "DOUBLE")) return null;
  const available = others.map((c) => c.name);
  for (const name of options.columns ?? [])
    if (!available.includes(name)) throw new MissingColumnError(label, name, available);
  const projected = options.columns !== undefined || options.optionalColumns !== undefined;
  const wanted = new Set([...(options.columns ?? []), ...(options.optionalColumns ?? [])]);
  const columns = projected ? available.filter((n) => wanted.has(n)) : available;
  const runs = await contiguousRuns(file);
  if (!runs) return null;
  if (options.ticker !== undefined && !runs.some((r) => r.ticker === options.ticker))
    throw new DataError(
      `${label}: holds other tickers than ${JSON.stringify(options.ticker)}`,
      `the file was written for another ticker (an older workspace?): re-run the stage that writes it for ${JSON.stringify(options.ticker)}`,
    );
  const tickerNames = runs.map((r) => r.ticker);
  const totalRows = runs.reduce((sum, r) => sum + r.rows, 0);
  return {
    meta,
    tickerNames,
    runs,
    totalRows,
    columns,
    batches: (batchRows, only, subset) =>
      readBatches(file, label, runs, tickerNames, subset ?? columns, batchRows, only),
  };
}

/** Rows according to the footer; 0 for a file DuckDB cannot read (readTable then says why). */
async function footerRows(file: string): Promise<number> {
  const connection = await duckdb();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT num_rows FROM parquet_file_metadata(${sqlString(file)})`,
    );
    return Number(reader.getRows()[0]?.[0] ?? 0);
  } catch {
    return 0;
  }
}

/** Each ticker's first row and row count, or null unless every ticker is one run and runs are in name order. */
async function contiguousRuns(file: string): Promise<TickerRun[] | null> {
  const connection = await duckdb();
  const rows = (
    await connection.runAndReadAll(
      `SELECT ticker, min(file_row_number), max(file_row_number), count(*)
       FROM read_parquet(${sqlString(file)}, file_row_number = true) GROUP BY 1 ORDER BY 2`,
    )
  ).getRows();
  const runs: TickerRun[] = [];
  for (const [ticker, first, last, count] of rows) {
    if (ticker === null || Number(last) - Number(first) + 1 !== Number(count)) return null;
    const name = String(ticker);
    if (runs.length > 0 && !(runs[runs.length - 1].ticker < name)) return null;
    runs.push({ ticker: name, first: Number(first), rows: Number(count) });
  }
  return runs;
}

async function* readBatches(
  file: string,
  label: string,
  runs: readonly TickerRun[],
  tickerNames: readonly string[],
  columns: readonly string[],
  batchRows: number,
  only: ReadonlySet<string> | undefined,
): AsyncGenerator<Frame> {
  const connection = await duckdb();
  const select = ["date", ...columns].map(sqlIdentifier).join(", ");
  // Rows come in file order (DuckDB keeps insertion order unless told otherwise), so row k of the stream is
  // row k of the file and the runs say whose it is.
  const result = await connection.stream(`SELECT ${select} FROM read_parquet(${sqlString(file)})`);
  let chunk: DuckDBDataChunk | null = null;
  let chunkRow = 0;
  let run = 0;
  while (run < runs.length) {
    // The next batch: whole runs until batchRows is reached (at least one run).
    let end = run;
    let rows = 0;
    while (end < runs.length && (end === run || rows + runs[end].rows <= batchRows)) rows += runs[end++].rows;
    const wanted = only === undefined || runs.slice(run, end).some((r) => only.has(r.ticker));
    const time = new Float64Array(wanted ? rows : 0);
    const values = columns.map(() => new Float64Array(wanted ? rows : 0));
    let filled = 0;
    while (filled < rows) {
      if (!chunk || chunkRow >= chunk.rowCount) {
        chunk = await result.fetchChunk();
        chunkRow = 0;
        if (!chunk || chunk.rowCount === 0)
          throw new DataError(`${label}: fewer rows than its row groups announce`);
      }
      const take = Math.min(rows - filled, chunk.rowCount - chunkRow);
      if (wanted) {
        copyDates(chunk.getColumnVector(0), chunkRow, take, time, filled, label);
        for (let c = 0; c < columns.length; c++)
          copyDoubles(chunk.getColumnVector(c + 1), chunkRow, take, values[c], filled);
      }
      chunkRow += take;
      filled += take;
    }
    if (wanted) {
      const tickerCodes = new Uint32Array(rows);
      for (let r = run, at = 0; r < end; at += runs[r].rows, r++) tickerCodes.fill(r, at, at + runs[r].rows);
      const frame = new Frame({
        time,
        tickerCodes,
        tickerNames,
        columns: new Map(columns.map((name, c) => [name, values[c]])),
      });
      checkPlausibleValues(frame, label);
      yield frame;
    }
    run = end;
  }
}

function copyDates(
  vector: DuckDBVector,
  from: number,
  rows: number,
  out: Float64Array,
  at: number,
  label: string,
) {
  const items = rawItems<Int32Array>(vector);
  const valid = validityWords(vector);
  for (let i = 0; i < rows; i++) {
    if (valid !== null && !isValid(valid, from + i))
      throw new DataError(`${label}: row ${at + i + 1} of a batch has no date`);
    out[at + i] = items[from + i] * MS_PER_DAY;
  }
}

function copyDoubles(vector: DuckDBVector, from: number, rows: number, out: Float64Array, at: number) {
  out.set(rawItems<Float64Array>(vector).subarray(from, from + rows), at);
  const valid = validityWords(vector);
  if (valid === null) return;
  for (let i = 0; i < rows; i++) if (!isValid(valid, from + i)) out[at + i] = Number.NaN;
}

/** The typed array behind a fixed-width vector (private in the API; the fast path table-io also takes). */
function rawItems<T>(vector: DuckDBVector): T {
  return (vector as unknown as { items: T }).items;
}

/** The validity bitmap as 32-bit words, null when every row is valid (see table-io's validityWords). */
function validityWords(vector: DuckDBVector): Uint32Array | null {
  const validity = (vector as unknown as { validity?: { data?: BigUint64Array | null; offset?: number } })
    .validity;
  const data = validity?.data;
  if (validity?.offset !== 0 || data === undefined) {
    // The API's private layout changed: fall back to asking row by row (slow but right).
    const words = new Uint32Array(Math.ceil(vector.itemCount / 32));
    for (let i = 0; i < vector.itemCount; i++)
      if (vector.getItem(i) !== null) words[i >>> 5] |= 1 << (i & 31);
    return words;
  }
  if (data === null) return null;
  return new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
}

function isValid(words: Uint32Array, i: number): boolean {
  return ((words[i >>> 5] >>> (i & 31)) & 1) === 1;
}
