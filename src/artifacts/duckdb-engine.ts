// One in-process DuckDB (in memory) shared by everything that reads or writes Parquet in a run.

import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

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
