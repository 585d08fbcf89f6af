// One in-process DuckDB (in memory) shared by everything that reads or writes Parquet in a run.

import { createRequire } from "node:module";
import type * as DuckDBApi from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";

// Loaded through require: Node's ESM loader takes about 100 ms for this CommonJS package, require about 45 ms,
// and every command that touches Parquet pays it.
const { DuckDBInstance } = createRequire(import.meta.url)("@duckdb/node-api") as typeof DuckDBApi;

let connectionPromise: Promise<DuckDBConnection> | null = null;

/** The process-wide DuckDB connection (created on first use). */
export function duckdb(): Promise<DuckDBConnection> {
  if (!connectionPromise) {
    connectionPromise = DuckDBInstance.create(":memory:").then((instance) => instance.connect());
  }
  return connectionPromise;
}

/** Quotes a string as a SQL literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Quotes an identifier (column or table name) for DuckDB. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
