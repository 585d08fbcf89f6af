// Parquet tables through DuckDB: Frame <-> Parquet with real column types (ticker VARCHAR, date DATE or
// TIMESTAMP, numbers DOUBLE; NaN is stored as NULL) and tsml metadata in the Parquet key-value footer.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  DuckDBDataChunk,
  DuckDBDateType,
  DuckDBDoubleType,
  type DuckDBResult,
  DuckDBTimestampType,
  type DuckDBType,
  DuckDBTypeId,
  DuckDBUIntegerType,
  DuckDBVarCharType,
  type DuckDBVector,
} from "@duckdb/node-api";
import { writeAtomically } from "../core/atomic-file.js";
import { DataError } from "../core/errors.js";
import { isStdio, makeTempDir, spoolStdin, streamFileToStdout } from "../core/stdio.js";
import { allMidnight, MS_PER_DAY } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { type ArtifactKind, expectKind, SCHEMA_VERSION } from "./artifact-kind.js";
import { duckdb, sqlIdentifier, sqlString } from "./duckdb-engine.js";
import type { Provenance } from "./provenance.js";

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

/**
 * Reads a Parquet table into a Frame; `-` reads Parquet bytes from stdin. With `kinds`, a tsml artifact of
 * another kind (or a foreign file) is refused with a message saying what to run first.
 */
export async function readTable(
  path: string,
  options: { kinds?: readonly ArtifactKind[] } = {},
): Promise<ReadTableResult> {
  if (isStdio(path)) {
    const spooled = await spoolStdin("stdin.parquet");
    try {
      const result = await readParquetFile(spooled.path, "<stdin>", options.kinds ?? []);
      return { ...result, path: "-" };
    } finally {
      await spooled.cleanup();
    }
  }
  if (!existsSync(path)) throw new DataError(`${path}: file not found`);
  if (statSync(path).isDirectory()) throw new DataError(`${path}: is a directory, expected a Parquet file`);
  return { ...(await readParquetFile(path, path, options.kinds ?? [])), path };
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

async function readParquetFile(file: string, label: string, kinds: readonly ArtifactKind[]) {
  const meta = await readTableMeta(file).catch((error) => {
    if (error instanceof DataError) throw new DataError(error.message.replace(file, label));
    throw error;
  });
  if (kinds.length > 0) expectKind(label, meta?.kind, kinds);
  const connection = await duckdb();
  const countReader = await connection.runAndReadAll(`SELECT count(*) FROM read_parquet(${sqlString(file)})`);
  const total = Number(countReader.getRows()[0][0]);
  const result = await connection.stream(`SELECT * FROM read_parquet(${sqlString(file)})`);
  const frame = await resultToFrame(result, total, label);
  return { frame, meta };
}

const NUMERIC_TYPES = new Set<DuckDBTypeId>([
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
const TIME_TYPES = new Set<DuckDBTypeId>([
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
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
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
  typeId: DuckDBTypeId,
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
  for (let i = 0; i < rows; i++) {
    if (vector.getItem(i) === null) throw new DataError(`${label}: row ${offset + i + 1} has no date`);
  }
}

function copyNumeric(
  vector: DuckDBVector,
  typeId: DuckDBTypeId,
  out: Float64Array,
  offset: number,
  rows: number,
) {
  if (typeId === DuckDBTypeId.DOUBLE) {
    out.set(rawItems<Float64Array>(vector).subarray(0, rows), offset);
    const validity = (vector as unknown as { validity: { itemValid(i: number): boolean } }).validity;
    for (let i = 0; i < rows; i++) if (!validity.itemValid(i)) out[offset + i] = Number.NaN;
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
