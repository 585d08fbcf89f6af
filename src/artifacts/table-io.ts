// Parquet tables through DuckDB: Frame <-> Parquet with real column types (ticker VARCHAR, date DATE or
// TIMESTAMP, numbers DOUBLE; NaN is stored as NULL) and tsml metadata in the Parquet key-value footer.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type * as DuckDBApi from "@duckdb/node-api";
import type { DuckDBResult, DuckDBType, DuckDBVector } from "@duckdb/node-api";
import { writeAtomically } from "../core/atomic-file.js";
import { duckdbApi } from "../core/duckdb-api.js";
import { DataError } from "../core/errors.js";
import { isStdio, makeTempDir, spoolStdin, streamFileToStdout } from "../core/stdio.js";
import { allMidnight, MS_PER_DAY } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { type ArtifactKind, expectKind, SCHEMA_VERSION } from "./artifact-kind.js";
import { duckdb, sqlIdentifier, sqlString } from "./duckdb-engine.js";
import { checkPlausibleValues } from "./plausible-values.js";
import type { Provenance } from "./provenance.js";

// Through core/duckdb-api.ts (require, not import: Node's ESM loader would lex every file of this CommonJS
// package for named exports, ~50 ms of each command's start-up). Loaded when a command first reads this module.
const {
  DuckDBDataChunk,
  DuckDBDateType,
  DuckDBDoubleType,
  DuckDBMaterializedResult,
  DuckDBTimestampType,
  DuckDBTypeId,
  DuckDBUIntegerType,
  DuckDBVarCharType,
} = duckdbApi();
type TypeId = DuckDBApi.DuckDBTypeId;

/** Metadata stored with every table artifact. */
export interface TableMeta {
  kind: ArtifactKind;
  schemaVersion: number;
  provenance: Provenance;
  /** Stage-specific facts: label names and horizons, feature names, model id, split date... */
  details: Record<string, unknown>;
}

export interface ReadTableResult {
  frame: Frame;
  /** Null for a Parquet file that tsml did not write. */
  meta: TableMeta | null;
  /** The file actually read (a spooled temp file for stdin). */
  path: string;
}

const META_KEY = "tsml";
const TICKER_CODE = "__tsml_ticker_code";
const VECTOR_SIZE = 2048;
let tableCounter = 0;

/** Builds TableMeta with the current schema version for `kind`. */
export function tableMeta(
  kind: ArtifactKind,
  provenance: Provenance,
  details: Record<string, unknown> = {},
): TableMeta {
  return { kind, schemaVersion: SCHEMA_VERSION[kind], provenance, details };
}

/**
 * Writes a frame as Parquet, atomically; `-` streams the bytes to stdout.
 * @example
 * await writeTable("features/SPX.parquet", frame, tableMeta("features", provenance));
 */
export async function writeTable(path: string, frame: Frame, meta: TableMeta): Promise<void> {
  if (isStdio(path)) {
    const tmp = await makeTempDir();
    try {
      const file = join(tmp.dir, "out.parquet");
      await copyFrameToParquet(frame, meta, file);
      await streamFileToStdout(file);
    } finally {
      await tmp.cleanup();
    }
    return;
  }
  await writeAtomically(path, (temp) => copyFrameToParquet(frame, meta, temp));
}

async function copyFrameToParquet(frame: Frame, meta: TableMeta, file: string): Promise<void> {
  const connection = await duckdb();
  const table = `tsml_write_${process.pid}_${tableCounter++}`;
  const dateType: DuckDBType = allMidnight(frame.time)
    ? DuckDBDateType.instance
    : DuckDBTimestampType.instance;
  const numeric = frame.columnNames;
  const textNames = [...frame.text.keys()];
  const reserved = new Set(["ticker", "date"]);
  for (const name of [...numeric, ...textNames]) {
    if (reserved.has(name))
      throw new DataError(`column name "${name}" is reserved for the ticker/date columns`);
  }
  // The ticker goes in as its dictionary code (a plain typed-array copy) and becomes VARCHAR in the COPY
  // query below: appending 1M strings one setItem at a time was a third of the write time.
  const types: DuckDBType[] = [
    DuckDBUIntegerType.instance,
    dateType,
    ...numeric.map(() => DuckDBDoubleType.instance),
    ...textNames.map(() => DuckDBVarCharType.instance),
  ];
  const columnSql = [
    `${TICKER_CODE} UINTEGER`,
    `date ${dateType === DuckDBDateType.instance ? "DATE" : "TIMESTAMP"}`,
    ...numeric.map((n) => `${sqlIdentifier(n)} DOUBLE`),
    ...textNames.map((n) => `${sqlIdentifier(n)} VARCHAR`),
  ];
  await connection.run(`CREATE TABLE ${table} (${columnSql.join(", ")})`);
  try {
    const appender = await connection.createAppender(table);
    const n = frame.length;
    const numericColumns = numeric.map((name) => frame.get(name));
    const textColumns = textNames.map((name) => frame.text.get(name)!);
    for (let start = 0; start < n; start += VECTOR_SIZE) {
      const end = Math.min(n, start + VECTOR_SIZE);
      const rows = end - start;
      const chunk = DuckDBDataChunk.create(types, rows);
      const tickerVector = chunk.getColumnVector(0);
      rawItems<Uint32Array>(tickerVector).set(frame.tickerCodes.subarray(start, end));
      tickerVector.flush();
      const dateVector = chunk.getColumnVector(1);
      if (dateType === DuckDBDateType.instance) {
        const items = rawItems<Int32Array>(dateVector);
        for (let i = 0; i < rows; i++) items[i] = frame.time[start + i] / MS_PER_DAY;
      } else {
        const items = rawItems<BigInt64Array>(dateVector);
        for (let i = 0; i < rows; i++) items[i] = BigInt(Math.round(frame.time[start + i] * 1000));
      }
      dateVector.flush();
      for (let c = 0; c < numericColumns.length; c++) {
        const vector = chunk.getColumnVector(2 + c);
        const values = numericColumns[c].subarray(start, end);
        rawItems<Float64Array>(vector).set(values);
        for (let i = 0; i < rows; i++) if (Number.isNaN(values[i])) vector.setItem(i, null);
        vector.flush();
      }
      for (let c = 0; c < textColumns.length; c++) {
        const vector = chunk.getColumnVector(2 + numericColumns.length + c);
        for (let i = 0; i < rows; i++) vector.setItem(i, textColumns[c][start + i] ?? null);
        vector.flush();
      }
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
    const metaJson = JSON.stringify(meta);
    const names = frame.tickerNames.length
      ? `[${frame.tickerNames.map(sqlString).join(", ")}]`
      : "CAST([] AS VARCHAR[])";
    const query = `SELECT ${names}[${TICKER_CODE} + 1] AS ticker, * EXCLUDE (${TICKER_CODE}) FROM ${table}`;
    await connection.run(
      `COPY (${query}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {${META_KEY}: ${sqlString(metaJson)}})`,
    );
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

/** What to read: the artifact kinds accepted and, optionally, a column projection. */
export interface ReadTableOptions {
  /** Refuse a tsml artifact of another kind (or a foreign file) with a message saying what to run first. */
  kinds?: readonly ArtifactKind[];
  /** Read only these columns (plus ticker and date); a missing one is a MissingColumnError. */
  columns?: readonly string[];
  /** Also read these when the file has them (no error when absent); only used with a projection. */
  optionalColumns?: readonly string[];
  /**
   * The ticker a workspace file is named for: a file whose ticker column holds only other tickers is refused,
   * so a file written for another ticker (an older workspace's shared name) is never read as this one.
   */
  ticker?: string;
}

/** A requested column is not in the table: names the file, the column and the columns it does have. */
export class MissingColumnError extends DataError {
  constructor(
    label: string,
    readonly column: string,
    readonly available: readonly string[],
  ) {
    super(`${label}: column "${column}" not found (columns: ${available.join(", ") || "none"})`);
  }
}

/**
 * Reads a Parquet table into a Frame; `-` reads Parquet bytes from stdin. With `kinds`, a tsml artifact of
 * another kind (or a foreign file) is refused with a message saying what to run first. With `columns` (and/or
 * `optionalColumns`), only those columns are read: a wide features table costs what its few used columns do.
 * @example await readTable("features.parquet", { kinds: ["features"], columns: ["close"] })
 */
export async function readTable(path: string, options: ReadTableOptions = {}): Promise<ReadTableResult> {
  if (isStdio(path)) {
    const spooled = await spoolStdin("stdin.parquet");
    try {
      const result = await readParquetFile(spooled.path, "<stdin>", options);
      return { ...result, path: "-" };
    } finally {
      await spooled.cleanup();
    }
  }
  if (!existsSync(path)) throw new DataError(`${path}: file not found`);
  if (statSync(path).isDirectory()) throw new DataError(`${path}: is a directory, expected a Parquet file`);
  const result = await readParquetFile(path, path, options);
  if (options.ticker !== undefined) checkTicker(path, result.frame, options.ticker);
  return { ...result, path };
}

/** The file must hold rows of `ticker` (a file without a ticker column is taken as it is). */
function checkTicker(path: string, frame: Frame, ticker: string): void {
  const held = frame.tickers();
  if (held.length === 0 || held.includes(ticker) || (held.length === 1 && held[0] === "")) return;
  const shown =
    held
      .slice(0, 5)
      .map((t) => JSON.stringify(t))
      .join(", ") + (held.length > 5 ? ", ..." : "");
  throw new DataError(
    `${path}: holds ticker ${shown}, not ${JSON.stringify(ticker)}`,
    `the file was written for another ticker (an older workspace?): re-run the stage that writes it for ${JSON.stringify(ticker)}`,
  );
}

/** Reads only the tsml metadata of a Parquet file (null when absent). */
export async function readTableMeta(path: string): Promise<TableMeta | null> {
  const connection = await duckdb();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${sqlString(path)})`,
    );
    for (const [k, v] of reader.getRows()) if (k === META_KEY) return JSON.parse(String(v)) as TableMeta;
    return null;
  } catch (error) {
    throw new DataError(`${path}: not a readable Parquet file (${firstLine(error)})`);
  }
}

async function readParquetFile(file: string, label: string, options: ReadTableOptions) {
  const meta = await readTableMeta(file).catch((error) => {
    if (error instanceof DataError) throw new DataError(error.message.replace(file, label));
    throw error;
  });
  const kinds = options.kinds ?? [];
  if (kinds.length > 0) expectKind(label, meta?.kind, kinds);
  try {
    return await readParquetData(file, label, options, meta);
  } catch (error) {
    // DuckDB's decoding errors ("Corrupted file?", "dictionary offset out of range") are the file's fault;
    // a TypeError or a TsmlError from tsml's own code is not.
    if (error instanceof DataError || !(error instanceof Error) || error.constructor !== Error) throw error;
    throw new DataError(
      `${label}: cannot read the Parquet data (${firstLine(error).replaceAll(file, label)})`,
      "the file is probably corrupted or truncated: re-create it by running the stage that wrote it again",
    );
  }
}

async function readParquetData(
  file: string,
  label: string,
  options: ReadTableOptions,
  meta: TableMeta | null,
) {
  const source = `read_parquet(${sqlString(file)})`;
  const frame = await readProjected(file, label, source, options);
  checkPlausibleValues(frame, label);
  return { frame, meta };
}

/**
 * Cells (rows x columns) up to which a read is materialised by DuckDB with all its threads (64M: 512 MB of
 * doubles); a larger one is streamed a chunk at a time, so DuckDB never holds a copy of a big table beside the
 * Frame. `TSML_MATERIALISE_CELLS` overrides it (tests read small tables both ways).
 */
function materialiseCells(): number {
  const set = Number(process.env.TSML_MATERIALISE_CELLS);
  return Number.isFinite(set) && process.env.TSML_MATERIALISE_CELLS !== "" ? set : 1 << 26;
}

/**
 * The time column, the ticker column and the requested columns (every column when none are requested). Tickers
 * stored in contiguous runs are not read at all: their codes are filled from the runs.
 */
async function readProjected(
  file: string,
  label: string,
  source: string,
  options: ReadTableOptions,
): Promise<Frame> {
  const connection = await duckdb();
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`))
    .getRows()
    .map(([name, type]) => ({ name: String(name), type: String(type) }));
  const isTime = (t: string) => /^(DATE|TIMESTAMP)/.test(t);
  // The same choice resultToFrame makes: a time column named like a date, else the first time column.
  const time =
    described.find((c) => TIME_NAMES.includes(c.name.toLowerCase()) && isTime(c.type)) ??
    described.find((c) => isTime(c.type));
  const ticker = described.find(
    (c) => c.type === "VARCHAR" && ["ticker", "symbol"].includes(c.name.toLowerCase()),
  );
  const others = described.filter((c) => c !== time && c !== ticker).map((c) => c.name);
  for (const name of options.columns ?? []) {
    if (!others.includes(name)) throw new MissingColumnError(label, name, others);
  }
  const everything = options.columns === undefined && options.optionalColumns === undefined;
  const wanted = new Set([...(options.columns ?? []), ...(options.optionalColumns ?? [])]);
  const picked = others.filter((name) => everything || wanted.has(name)).map(sqlIdentifier);
  if (!time)
    throw new DataError(
      `${label}: no date or timestamp column (columns: ${described.map((c) => c.name).join(", ")})`,
    );
  const timeSql = [sqlIdentifier(time.name)];
  const runs = ticker ? await tickerRuns(file, ticker.name) : null;
  const rows = runs
    ? runs.reduce((sum, run) => sum + run.rows, 0)
    : Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRows()[0][0]);
  // A table that fits in memory twice is materialised by DuckDB with all its threads (a streamed result is
  // decoded by one, a chunk per await).
  const query = (columns: string[]) => {
    const sql = `SELECT ${columns.join(", ")} FROM ${source}`;
    return rows * (columns.length + 1) <= materialiseCells() ? connection.run(sql) : connection.stream(sql);
  };
  if (!runs) {
    const tickerSql = ticker ? [sqlIdentifier(ticker.name)] : [];
    return resultToFrame(await query([...tickerSql, ...timeSql, ...picked]), rows, label);
  }
  // Tickers stored in contiguous runs (every tsml panel): read the numbers only and fill the ticker codes from
  // the runs, instead of converting a million ticker strings one by one (that was two thirds of reading a
  // 1M-row panel whole).
  const numbers = await resultToFrame(await query([...timeSql, ...picked]), rows, label);
  const tickerCodes = new Uint32Array(numbers.length);
  runs.forEach((run, code) => {
    tickerCodes.fill(code, run.first, run.first + run.rows);
  });
  return new Frame({
    time: numbers.time,
    tickerCodes,
    tickerNames: runs.map((r) => r.ticker),
    columns: numbers.columns,
    text: numbers.text,
  });
}

/** Each ticker's first row and row count, or null when some ticker's rows are not contiguous (or NULL). */
async function tickerRuns(file: string, column: string) {
  const connection = await duckdb();
  const rows = (
    await connection.runAndReadAll(
      `SELECT ${sqlIdentifier(column)}, min(file_row_number), max(file_row_number), count(*)
       FROM read_parquet(${sqlString(file)}, file_row_number = true) GROUP BY 1 ORDER BY 2`,
    )
  ).getRows();
  const runs = rows.map(([ticker, first, last, count]) => ({
    ticker: ticker === null ? null : String(ticker),
    first: Number(first),
    rows: Number(count),
    contiguous: Number(last) - Number(first) + 1 === Number(count),
  }));
  return runs.every((r) => r.contiguous && r.ticker !== null)
    ? runs.map((r) => ({ ticker: r.ticker as string, first: r.first, rows: r.rows }))
    : null;
}

const NUMERIC_TYPES = new Set<TypeId>([
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.DECIMAL,
  DuckDBTypeId.BOOLEAN,
]);
const TIME_TYPES = new Set<TypeId>([
  DuckDBTypeId.DATE,
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);
const TIME_NAMES = ["date", "time", "timestamp", "datetime"];

/**
 * Converts a streamed DuckDB result into a Frame: the first DATE/TIMESTAMP column named like a date becomes
 * time, a VARCHAR `ticker`/`symbol` column becomes the ticker, numeric columns become Float64Array.
 * Used for Parquet and for SQL query results.
 */
export async function resultToFrame(
  result: DuckDBResult,
  totalRows: number,
  label: string,
  defaultTicker = "",
): Promise<Frame> {
  const names = result.columnNames();
  const typeIds = result.columnTypes().map((t) => t.typeId);
  let timeIndex = names.findIndex(
    (n, i) => TIME_NAMES.includes(n.toLowerCase()) && TIME_TYPES.has(typeIds[i]),
  );
  if (timeIndex < 0) timeIndex = typeIds.findIndex((t) => TIME_TYPES.has(t));
  if (timeIndex < 0)
    throw new DataError(`${label}: no date or timestamp column (columns: ${names.join(", ")})`);
  const tickerIndex = names.findIndex(
    (n, i) => ["ticker", "symbol"].includes(n.toLowerCase()) && typeIds[i] === DuckDBTypeId.VARCHAR,
  );
  const time = new Float64Array(totalRows);
  const codes = new Uint32Array(totalRows);
  const tickerNames: string[] = [];
  const codeOf = new Map<string, number>();
  const numeric = new Map<string, Float64Array>();
  const text = new Map<string, (string | null)[]>();
  names.forEach((name, i) => {
    if (i === timeIndex || i === tickerIndex) return;
    if (NUMERIC_TYPES.has(typeIds[i])) numeric.set(name, new Float64Array(totalRows));
    else text.set(name, []);
  });
  // A materialised result hands its chunks over without an await (and a worker-thread hop) each.
  const materialized = result instanceof DuckDBMaterializedResult ? result : null;
  let fetched = 0;
  let offset = 0;
  for (;;) {
    const chunk = materialized
      ? fetched < materialized.chunkCount
        ? materialized.getChunk(fetched++)
        : null
      : await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    if (offset + rows > totalRows) throw new DataError(`${label}: more rows than announced`);
    copyTime(chunk.getColumnVector(timeIndex), typeIds[timeIndex], time, offset, rows, label);
    if (tickerIndex >= 0) {
      const vector = chunk.getColumnVector(tickerIndex);
      for (let i = 0; i < rows; i++) {
        const t = String(vector.getItem(i) ?? defaultTicker);
        let code = codeOf.get(t);
        if (code === undefined) {
          code = tickerNames.length;
          tickerNames.push(t);
          codeOf.set(t, code);
        }
        codes[offset + i] = code;
      }
    }
    for (let c = 0; c < names.length; c++) {
      const target = numeric.get(names[c]);
      if (target && c !== timeIndex && c !== tickerIndex)
        copyNumeric(chunk.getColumnVector(c), typeIds[c], target, offset, rows);
      const textTarget = text.get(names[c]);
      if (textTarget) {
        const vector = chunk.getColumnVector(c);
        for (let i = 0; i < rows; i++) {
          const v = vector.getItem(i);
          textTarget.push(v === null ? null : String(v));
        }
      }
    }
    offset += rows;
  }
  if (tickerIndex < 0) tickerNames.push(defaultTicker);
  const sliceTo = <T extends Float64Array | Uint32Array>(a: T) =>
    offset === totalRows ? a : (a.subarray(0, offset) as T);
  return new Frame({
    time: sliceTo(time),
    tickerCodes: sliceTo(codes),
    tickerNames,
    columns: new Map([...numeric].map(([n, v]) => [n, sliceTo(v)])),
    text,
  });
}

function copyTime(
  vector: DuckDBVector,
  typeId: TypeId,
  out: Float64Array,
  offset: number,
  rows: number,
  label: string,
) {
  if (typeId === DuckDBTypeId.DATE) {
    const items = rawItems<Int32Array>(vector);
    for (let i = 0; i < rows; i++) out[offset + i] = items[i] * MS_PER_DAY;
  } else {
    const scale =
      typeId === DuckDBTypeId.TIMESTAMP_S
        ? 1000
        : typeId === DuckDBTypeId.TIMESTAMP_MS
          ? 1
          : typeId === DuckDBTypeId.TIMESTAMP_NS
            ? 1e-6
            : 1e-3;
    const items = rawItems<BigInt64Array>(vector);
    for (let i = 0; i < rows; i++) out[offset + i] = Number(items[i]) * scale;
  }
  const valid = validityWords(vector);
  if (valid === undefined) {
    for (let i = 0; i < rows; i++) {
      if (vector.getItem(i) === null) throw new DataError(`${label}: row ${offset + i + 1} has no date`);
    }
  } else if (valid !== null) {
    for (let i = 0; i < rows; i++) {
      if (!isValid(valid, i)) throw new DataError(`${label}: row ${offset + i + 1} has no date`);
    }
  }
}

/**
 * The vector's validity bitmap as 32-bit words (little-endian, like DuckDB's 64-bit ones), null when every
 * row is valid, undefined when the API keeps it out of reach. Testing bits here instead of calling getItem or
 * itemValid per row avoids a value object or BigInt per row (the garbage was a third of the read time).
 */
function validityWords(vector: DuckDBVector): Uint32Array | null | undefined {
  const validity = (vector as unknown as { validity?: { data?: BigUint64Array | null; offset?: number } })
    .validity;
  if (validity?.offset !== 0 || validity.data === undefined) return undefined;
  const data = validity.data;
  if (data === null) return null;
  return new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
}

function isValid(words: Uint32Array, i: number): boolean {
  return ((words[i >>> 5] >>> (i & 31)) & 1) === 1;
}

function copyNumeric(vector: DuckDBVector, typeId: TypeId, out: Float64Array, offset: number, rows: number) {
  if (typeId === DuckDBTypeId.DOUBLE) {
    out.set(rawItems<Float64Array>(vector).subarray(0, rows), offset);
    const valid = validityWords(vector);
    if (valid === undefined) {
      for (let i = 0; i < rows; i++) if (vector.getItem(i) === null) out[offset + i] = Number.NaN;
    } else if (valid !== null) {
      for (let w = 0; w << 5 < rows; w++) {
        if (valid[w] === 0xffffffff) continue;
        const end = Math.min(rows, (w + 1) << 5);
        for (let i = w << 5; i < end; i++) if (!isValid(valid, i)) out[offset + i] = Number.NaN;
      }
    }
    return;
  }
  for (let i = 0; i < rows; i++) {
    const value = vector.getItem(i);
    out[offset + i] =
      value === null ? Number.NaN : typeof value === "boolean" ? Number(value) : Number(value as number);
  }
}

/** The typed array behind a fixed-width DuckDB vector (the API keeps it private; copying through it is the fast path). */
function rawItems<T>(vector: DuckDBVector): T {
  return (vector as unknown as { items: T }).items;
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0];
}
