// One in-process DuckDB (in memory) shared by everything that reads or writes Parquet in a run.

import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdbApi } from "../core/duckdb-api.js";
import { quoteIdentifier } from "../core/sql-text.js";

export { sqlString } from "../core/sql-text.js";

let connectionPromise: Promise<DuckDBConnection> | null = null;

/** The process-wide DuckDB connection (created on first use). */
export function duckdb(): Promise<DuckDBConnection> {
  if (!connectionPromise) {
    connectionPromise = duckdbApi()
      .DuckDBInstance.create(":memory:")
      .then((instance) => instance.connect());
  }
  return connectionPromise;
}

/** A DuckDB identifier (ANSI quotes), with one parameter so it can be passed to `map`. */
export function sqlIdentifier(name: string): string {
  return quoteIdentifier(name);
}
