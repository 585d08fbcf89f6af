// DbClient for MySQL and MariaDB via `mysql2`; large reads stream with backpressure.

import mysql from "mysql2/promise";
import type { DbCell, DbClient } from "./db-client.js";
import type { DbUrl } from "./db-url.js";
import { checkReadOnlyQuery } from "./read-only-query.js";

interface StreamingQuery {
  on(event: "fields", listener: (fields: { name: string }[]) => void): unknown;
  stream(options: { highWaterMark: number }): AsyncIterable<DbCell[]>;
}

export async function openMysqlClient(url: DbUrl): Promise<DbClient> {
  const connection = await mysql.createConnection({
    uri: url.raw,
    // mysql2 reads no environment; honour the mysql client's MYSQL_PWD when the URL has no password.
    ...(new URL(url.raw).password === "" && process.env.MYSQL_PWD ? { password: process.env.MYSQL_PWD } : {}),
    dateStrings: true,
    connectTimeout: 10_000,
    supportBigNumbers: true,
  });
  connection.on("error", () => undefined);
  return {
    url,
    async exec(sql, params) {
      await connection.query(sql, params as unknown[] | undefined);
    },
    async rows(sql, params) {
      const [rows] = await connection.query({
        sql,
        values: params as unknown[] | undefined,
        rowsAsArray: true,
      });
      return rows as unknown as DbCell[][];
    },
    async stream(sql, batchRows, onBatch) {
      // A READ ONLY transaction refuses DML (error 1792), but DDL (DROP, TRUNCATE, RENAME) commits it implicitly
      // and runs anyway, and a streamed non-SELECT never ends: only a statement that starts like a read is sent.
      // mysql2 sends one statement per query (no multipleStatements), so nothing can follow it.
      checkReadOnlyQuery(sql, "mysql");
      await connection.query("START TRANSACTION READ ONLY");
      try {
        // The callback connection underneath the promise API is the one that can stream.
        const raw = (connection as unknown as { connection: { query(o: object): StreamingQuery } })
          .connection;
        const query = raw.query({ sql, rowsAsArray: true });
        let columns: string[] = [];
        query.on("fields", (fields) => {
          columns = fields.map((f) => f.name);
        });
        let batch: DbCell[][] = [];
        for await (const row of query.stream({ highWaterMark: batchRows })) {
          batch.push(row);
          if (batch.length >= batchRows) {
            onBatch(columns, batch);
            batch = [];
          }
        }
        onBatch(columns, batch);
      } finally {
        await connection.query("ROLLBACK").catch(() => undefined);
      }
    },
    placeholder: () => "?",
    async close() {
      await connection.end();
    },
  };
}
