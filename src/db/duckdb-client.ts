// DbClient for a DuckDB file (`duckdb:path`): the embedded default, no server needed.

import { DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import type { DbCell, DbClient } from "./db-client.js";
import type { DbUrl } from "./db-url.js";

/** DuckDB values (dates, decimals, timestamps) become plain text or numbers for the reader. */
function cell(value: DuckDBValue): DbCell {
  if (value === null || typeof value === "number" || typeof value === "string" || typeof value === "boolean")
    return value;
  if (typeof value === "bigint") return value;
  return String(value);
}

let stageCounter = 0;

export async function openDuckDbClient(url: DbUrl): Promise<DbClient> {
  // fromCache: one instance per file per process, so a write followed by a read shares it.
  const instance = await DuckDBInstance.fromCache(url.path!);
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
      const result = await connection.stream(sql);
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
