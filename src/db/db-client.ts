// One small interface over DuckDB files, PostgreSQL and MySQL/MariaDB: run a statement with bound
// parameters, read rows, stream rows in batches, close. Driver errors become one scrubbed line (exit 4).

import { SourceError } from "../core/errors.js";
import { type DbUrl, scrubSecrets } from "./db-url.js";

/** A value as the reader sees it: dates and timestamps arrive as text, numbers as numbers or text. */
export type DbCell = string | number | bigint | boolean | null;

export interface DbClient {
  readonly url: DbUrl;
  /** Runs a statement; `params` are bound, never spliced into the text. */
  exec(sql: string, params?: readonly DbCell[]): Promise<void>;
  /** All rows of a small query, as arrays. */
  rows(sql: string, params?: readonly DbCell[]): Promise<DbCell[][]>;
  /**
   * Rows of a possibly large query in batches of at most `batchRows`, with bounded memory. Read-only on every
   * engine: PostgreSQL runs it in a READ ONLY transaction; MySQL too, after refusing a statement that does not
   * start like a read (its DDL ignores read-only transactions); DuckDB accepts one statement that it types as
   * SELECT, inside a transaction that is rolled back.
   */
  stream(
    sql: string,
    batchRows: number,
    onBatch: (columns: string[], rows: DbCell[][]) => void,
  ): Promise<void>;
  /**
   * Optional fast path (DuckDB): loads `rows` rows into a new temporary table of VARCHAR ("text") and DOUBLE
   * ("number") columns named c0, c1... and returns its name; the caller inserts from it in its transaction.
   */
  stage?(
    kinds: readonly ("text" | "number")[],
    rows: number,
    cell: (row: number, column: number) => DbCell,
  ): Promise<string>;
  /** The n-th (1-based) parameter placeholder: $n for PostgreSQL, ? elsewhere. */
  placeholder(n: number): string;
  close(): Promise<void>;
}

/**
 * Opens a connection for a parsed URL; connection failures and bad credentials are a SourceError.
 * @example
 * const db = await openDb(parseDbUrl("duckdb:prices.duckdb")); try { ... } finally { await db.close(); }
 */
export async function openDb(url: DbUrl): Promise<DbClient> {
  try {
    if (url.dialect === "duckdb") return await (await import("./duckdb-client.js")).openDuckDbClient(url);
    if (url.dialect === "postgres")
      return await (await import("./postgres-client.js")).openPostgresClient(url);
    return await (await import("./mysql-client.js")).openMysqlClient(url);
  } catch (error) {
    throw dbError(url, error, "cannot connect");
  }
}

/** Runs `fn` with an open client and always closes it. */
export async function withDb<T>(url: DbUrl, fn: (db: DbClient) => Promise<T>): Promise<T> {
  const db = await openDb(url);
  try {
    return await fn(db);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** A one-line SourceError for a driver error, with the password scrubbed and a hint by error kind. */
export function dbError(url: DbUrl, error: unknown, action: string): SourceError {
  if (error instanceof SourceError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const code = String((error as { code?: unknown })?.code ?? "");
  const message = scrubSecrets(raw || code || "unknown error", url);
  let hint: string | undefined;
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT/.test(code + raw))
    hint = "is the database server running and reachable at that host and port?";
  else if (
    /password|authentication|access denied|role .* does not exist|28P01|28000|ER_ACCESS_DENIED/i.test(
      code + raw,
    )
  )
    hint = "check the user and password in the URL (or PGPASSWORD / the driver's usual variables)";
  else if (/database .* does not exist|3D000|ER_BAD_DB_ERROR|Unknown database/i.test(code + raw))
    hint = "check the database name at the end of the URL";
  else if (/Could not set lock|Conflicting lock/i.test(raw))
    hint =
      "another process keeps the DuckDB file open (one process at a time may write it): run again when it is done";
  else if (/Cannot open file|IO Error/i.test(raw))
    hint = "check the duckdb: file path (its folder must exist)";
  else if (
    /does not exist|doesn't exist|no such table|42P01|ER_NO_SUCH_TABLE|Catalog Error/i.test(code + raw)
  )
    hint = "check the table name (and schema); list tables with your database client";
  return new SourceError(`database ${url.display}: ${action ? `${action}: ` : ""}${message}`, hint);
}
