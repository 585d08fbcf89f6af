// Writes a Frame to a database table in one transaction: CREATE TABLE IF NOT EXISTS with a primary key
// (ticker, date by default), then batched INSERTs with bound values; upsert makes re-runs idempotent.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DataError, UsageError } from "../core/errors.js";
import { quoteIdentifier } from "../core/sql-text.js";
import { allMidnight, isoDate } from "../frame/dates.js";
import type { Frame } from "../frame/frame.js";
import { type DbCell, type DbClient, dbError, withDb } from "./db-client.js";
import { type DbUrl, type Dialect, parseDbUrl } from "./db-url.js";
import { quoteStyle, quoteTable, validateColumnName, validateTableName } from "./identifier.js";
import { hasKey, uniqueKeys } from "./unique-keys.js";

export type WriteMode = "append" | "replace" | "upsert";

export interface WriteFrameOptions {
  /** append: insert (duplicates fail); replace: empty the table first; upsert (default): insert or update. */
  mode?: WriteMode;
  /** Primary key columns (default ticker, date); text columns of the frame may take part. */
  key?: readonly string[];
  /** Rows per INSERT statement (default 500). */
  batchRows?: number;
  /** Test hook: called after each batch; a throw aborts the write (and rolls it back). */
  afterBatch?: (rowsWritten: number) => void;
}

export interface WriteFrameResult {
  table: string;
  rows: number;
  mode: WriteMode;
}

export function parseWriteMode(value: string | undefined): WriteMode {
  if (value === undefined) return "upsert";
  if (value !== "append" && value !== "replace" && value !== "upsert") {
    throw new UsageError(`--mode: "${value}" is not append, replace or upsert`);
  }
  return value;
}

function types(dialect: Dialect) {
  return {
    text: dialect === "mysql" ? "VARCHAR(255)" : "VARCHAR",
    number: dialect === "postgres" ? "DOUBLE PRECISION" : "DOUBLE",
    date: "DATE",
    timestamp: dialect === "mysql" ? "DATETIME(3)" : "TIMESTAMP",
  };
}

/** Bars written by `--to-db`: ticker, date and the numeric columns, keyed by (ticker, date). */
export async function writeBars(url: DbUrl | string, table: string, frame: Frame): Promise<WriteFrameResult> {
  return writeFrame(url, table, frame, { mode: "upsert", key: ["ticker", "date"] });
}

/**
 * @example
 * await writeFrame("postgres://postgres@127.0.0.1/test", "bars", frame, { mode: "upsert" });
 */
export async function writeFrame(
  url: DbUrl | string,
  table: string,
  frame: Frame,
  options: WriteFrameOptions = {},
): Promise<WriteFrameResult> {
  const parsed = typeof url === "string" ? parseDbUrl(url, "--to-db") : url;
  validateTableName(table);
  const mode = options.mode ?? "upsert";
  const key = options.key ?? ["ticker", "date"];
  const numeric = frame.columnNames.map(validateColumnName);
  const text = [...frame.text.keys()].map(validateColumnName);
  const columns = ["ticker", "date", ...text, ...numeric];
  for (const k of key)
    if (!columns.includes(k))
      throw new UsageError(`key column "${k}" is not in the data (columns: ${columns.join(", ")})`);
  // A write creates the DuckDB file, so it creates its folder too, as -o does for Parquet outputs.
  if (parsed.dialect === "duckdb" && parsed.path && parsed.path !== ":memory:")
    mkdirSync(dirname(parsed.path), { recursive: true });
  return withDb(parsed, async (db) => {
    const d = parsed.dialect;
    const q = (name: string) => quoteIdentifier(name, quoteStyle(d));
    const target = quoteTable(d, table);
    const t = types(d);
    const dateType = allMidnight(frame.time) ? t.date : t.timestamp;
    const definitions = [
      `${q("ticker")} ${t.text} NOT NULL`,
      `${q("date")} ${dateType} NOT NULL`,
      ...text.map((c) => `${q(c)} ${t.text}${key.includes(c) ? " NOT NULL" : ""}`),
      ...numeric.map((c) => `${q(c)} ${t.number}`),
    ];
    const create = `CREATE TABLE IF NOT EXISTS ${target} (${definitions.join(", ")}, PRIMARY KEY (${key.map(q).join(", ")}))`;
    const formatTime =
      dateType === t.date
        ? isoDate
        : (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");
    let written = 0;
    const run = async (sql: string, params?: DbCell[]) => {
      try {
        await db.exec(sql, params);
      } catch (error) {
        throw classify(parsed, error, table);
      }
    };
    // MySQL commits DDL implicitly, so its CREATE runs before the transaction opens (its metadata locks
    // make concurrent CREATE TABLE IF NOT EXISTS safe).
    if (d === "mysql") await run(create);
    await run(d === "mysql" ? "START TRANSACTION" : "BEGIN");
    try {
      // PostgreSQL: concurrent first writes would race inside CREATE TABLE IF NOT EXISTS (a duplicate
      // pg_type row); a per-table lock held to COMMIT makes writers to one table take turns.
      if (d === "postgres") await run("SELECT pg_advisory_xact_lock(hashtext($1))", [`tsml write ${target}`]);
      if (mode === "replace" && d !== "mysql") await run(`DROP TABLE IF EXISTS ${target}`);
      if (d !== "mysql") await run(create);
      if (mode === "replace" && d === "mysql") await run(`DELETE FROM ${target}`);
      await checkColumns(db, table, columns);
      if (mode !== "replace") await checkKey(db, table, key);
      if (db.stage) {
        const kinds = [
          "text" as const,
          "text" as const,
          ...text.map(() => "text" as const),
          ...numeric.map(() => "number" as const),
        ];
        const numericAt = numeric.map((c) => frame.get(c));
        const textAt = text.map((c) => frame.text.get(c)!);
        const stage = await db.stage(kinds, frame.length, (row, c) => {
          if (c === 0) return frame.ticker(row);
          if (c === 1) return formatTime(frame.time[row]);
          if (c < 2 + text.length) return textAt[c - 2][row] ?? null;
          const v = numericAt[c - 2 - text.length][row];
          return Number.isFinite(v) ? v : null;
        });
        try {
          const select = columns.map((_, c) => (c === 1 ? `CAST(c1 AS ${dateType})` : `c${c}`)).join(", ");
          await run(
            `INSERT INTO ${target} (${columns.map(q).join(", ")}) SELECT ${select} FROM ${stage}${conflictClause(d, mode, columns, key, q)}`,
          );
        } finally {
          await db.exec(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
        }
        written = frame.length;
        options.afterBatch?.(written);
      }
      const batch = Math.max(1, Math.min(options.batchRows ?? 500, Math.floor(30_000 / columns.length)));
      const numericArrays = numeric.map((c) => frame.get(c));
      const textArrays = text.map((c) => frame.text.get(c)!);
      for (let start = db.stage ? frame.length : 0; start < frame.length; start += batch) {
        const end = Math.min(frame.length, start + batch);
        const params: DbCell[] = [];
        const tuples: string[] = [];
        for (let i = start; i < end; i++) {
          const marks: string[] = [];
          const add = (value: DbCell) => {
            params.push(value);
            marks.push(db.placeholder(params.length));
          };
          add(frame.ticker(i));
          add(formatTime(frame.time[i]));
          for (const values of textArrays) add(values[i] ?? null);
          for (const values of numericArrays) add(Number.isFinite(values[i]) ? values[i] : null);
          tuples.push(`(${marks.join(", ")})`);
        }
        await run(
          `INSERT INTO ${target} (${columns.map(q).join(", ")}) VALUES ${tuples.join(", ")}${conflictClause(d, mode, columns, key, q)}`,
          params,
        );
        written += end - start;
        options.afterBatch?.(written);
      }
      await run("COMMIT");
    } catch (error) {
      await db.exec("ROLLBACK").catch(() => undefined);
      throw error instanceof DataError || error instanceof UsageError
        ? error
        : classify(parsed, error, table);
    }
    return { table, rows: written, mode };
  });
}

function conflictClause(
  d: Dialect,
  mode: WriteMode,
  columns: string[],
  key: readonly string[],
  q: (n: string) => string,
): string {
  if (mode !== "upsert") return "";
  const rest = columns.filter((c) => !key.includes(c));
  if (d === "mysql") {
    const sets = (rest.length > 0 ? rest : [key[0]]).map((c) => `${q(c)} = VALUES(${q(c)})`);
    return ` ON DUPLICATE KEY UPDATE ${sets.join(", ")}`;
  }
  if (rest.length === 0) return ` ON CONFLICT (${key.map(q).join(", ")}) DO NOTHING`;
  return ` ON CONFLICT (${key.map(q).join(", ")}) DO UPDATE SET ${rest.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(", ")}`;
}

/** An existing table must have every column we write (we never alter a user's table). */
async function checkColumns(db: DbClient, table: string, columns: string[]): Promise<void> {
  const parts = validateTableName(table);
  const name = parts[parts.length - 1];
  const schemaFilter =
    parts.length === 2
      ? ` AND table_schema = ${db.placeholder(2)}`
      : db.url.dialect === "mysql"
        ? " AND table_schema = DATABASE()"
        : " AND table_schema = current_schema()";
  const params: DbCell[] = parts.length === 2 ? [name, parts[0]] : [name];
  const rows = await db.rows(
    `SELECT column_name FROM information_schema.columns WHERE table_name = ${db.placeholder(1)}${schemaFilter}`,
    params,
  );
  if (rows.length === 0) return;
  const have = new Set(rows.map((r) => String(r[0]).toLowerCase()));
  const missing = columns.filter((c) => !have.has(c.toLowerCase()));
  if (missing.length > 0) {
    throw new DataError(
      `table ${table} exists without column(s) ${missing.join(", ")}`,
      "write to a new --table, or replace it (export db --mode replace)",
    );
  }
}

/**
 * An existing table must have a primary key or unique index on exactly the key columns: without one, upsert
 * and append insert every row again on each re-run (a MySQL table without a key doubled 5,105 rows to 10,210).
 */
async function checkKey(db: DbClient, table: string, key: readonly string[]): Promise<void> {
  if (hasKey(await uniqueKeys(db, table), key)) return;
  const columns = key.join(", ");
  throw new DataError(
    `table ${table} has no primary key or unique index on (${columns}): every re-run would add its rows again`,
    `add one (after removing duplicate rows): ALTER TABLE ${table} ADD PRIMARY KEY (${columns}); or write to a new --table, which tsml creates with that key`,
  );
}

function classify(url: DbUrl, error: unknown, table: string) {
  const message = error instanceof Error ? error.message : String(error);
  if (/duplicate|unique|primary key/i.test(message)) {
    return new DataError(
      `table ${table}: a row with the same key already exists (${message.split("\n")[0]})`,
      "use upsert mode to update existing rows",
    );
  }
  return dbError(url, error, `writing ${table}`);
}
