// DbClient for a DuckDB file (`duckdb:path`): the embedded default, no server needed.

import type { DuckDBInstance, DuckDBValue } from "@duckdb/node-api";
import { duckdbApi } from "../core/duckdb-api.js";
import type { DbCell, DbClient } from "./db-client.js";
import type { DbUrl } from "./db-url.js";
import { refuseWrite } from "./read-only-query.js";

/** DuckDB values (dates, decimals, timestamps) become plain text or numbers for the reader. */
function cell(value: DuckDBValue): DbCell {
  if (value === null || typeof value === "number" || typeof value === "string" || typeof value === "boolean")
    return value;
  if (typeof value === "bigint") return value;
  return String(value);
}

let stageCounter = 0;

/** How long to wait for another process's lock on the file (DuckDB lets one process open it for writing). */
const LOCK_WAIT_MS = 15_000;

/** Opens the file, waiting while another process holds its lock (three concurrent writers take turns). */
async function openInstance(path: string): Promise<DuckDBInstance> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      // fromCache: one instance per file per process, so a write followed by a read shares it.
      return await duckdbApi().DuckDBInstance.fromCache(path);
    } catch (error) {
      const locked = /Could not set lock|Conflicting lock/i.test(String((error as Error)?.message));
      if (!locked || Date.now() - started > LOCK_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 500)));
    }
  }
}

export async function openDuckDbClient(url: DbUrl): Promise<DbClient> {
  const instance = await openInstance(url.path!);
  const connection = await instance.connect();
  const bind = (params?: readonly DbCell[]) =>
    params && params.length > 0 ? (params as DuckDBValue[]) : undefined;
  return {
    url,
    async exec(sql, params) {
      await connection.run(sql, bind(params));
    },
    async rows(sql, params) {
      const reader = await connection.runAndReadAll(sql, bind(params));
      return reader.getRows().map((row) => row.map(cell));
    },
    async stream(sql, batchRows, onBatch) {
      // DuckDB has no read-only transaction: accept exactly one statement that DuckDB itself types as SELECT,
      // and run it in a transaction that is rolled back (sequences touched by nextval() included).
      const statements = await connection.extractStatements(sql);
      if (statements.count !== 1) throw refuseWrite(`it holds ${statements.count} statements`);
      const prepared = await statements.prepare(0);
      const { StatementType } = duckdbApi();
      if (prepared.statementType !== StatementType.SELECT)
        throw refuseWrite(`DuckDB reads it as a ${StatementType[prepared.statementType]} statement`);
      await connection.run("BEGIN TRANSACTION");
      try {
        const result = await prepared.stream();
        const columns = result.columnNames();
        let batch: DbCell[][] = [];
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          for (const row of chunk.getRows()) batch.push(row.map(cell));
          if (batch.length >= batchRows) {
            onBatch(columns, batch);
            batch = [];
          }
        }
        if (batch.length > 0 || columns.length > 0) onBatch(columns, batch);
      } finally {
        await connection.run("ROLLBACK").catch(() => undefined);
      }
    },
    async stage(kinds, rows, cellAt) {
      // The appender is DuckDB's bulk path: bound multi-row INSERTs are ~10x slower here.
      const name = `tsml_stage_${process.pid}_${stageCounter++}`;
      await connection.run(
        `CREATE TEMP TABLE ${name} (${kinds.map((k, c) => `c${c} ${k === "text" ? "VARCHAR" : "DOUBLE"}`).join(", ")})`,
      );
      const appender = await connection.createAppender(name, null, "temp");
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < kinds.length; c++) {
          const value = cellAt(r, c);
          if (value === null) appender.appendNull();
          else if (kinds[c] === "text") appender.appendVarchar(String(value));
          else appender.appendDouble(Number(value));
        }
        appender.endRow();
      }
      appender.flushSync();
      appender.closeSync();
      return name;
    },
    placeholder: () => "?",
    async close() {
      connection.closeSync();
    },
  };
}
