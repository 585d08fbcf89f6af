// DbClient for PostgreSQL and TimescaleDB via `pg`; large reads go through a server-side cursor.

import pg from "pg";
import type { DbCell, DbClient } from "./db-client.js";
import type { DbUrl } from "./db-url.js";

// DATE, TIMESTAMP and TIMESTAMPTZ stay text: pg would build local-time Date objects otherwise.
const TEXT_TYPES = new Set([1082, 1114, 1184]);
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    TEXT_TYPES.has(oid)
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

let cursorCounter = 0;

export async function openPostgresClient(url: DbUrl): Promise<DbClient> {
  const client = new pg.Client({ connectionString: url.raw, types, connectionTimeoutMillis: 10_000 });
  // An idle-connection error must not crash the process; the next query reports it.
  client.on("error", () => undefined);
  await client.connect();
  const query = (text: string, params?: readonly DbCell[]) =>
    client.query({ text, values: params as unknown[] | undefined, rowMode: "array" });
  return {
    url,
    async exec(sql, params) {
      await query(sql, params);
    },
    async rows(sql, params) {
      return (await query(sql, params)).rows as DbCell[][];
    },
    async stream(sql, batchRows, onBatch) {
      const cursor = `tsml_cursor_${cursorCounter++}`;
      await client.query("BEGIN READ ONLY");
      try {
        await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`);
        for (;;) {
          const result = await query(`FETCH FORWARD ${Math.max(1, Math.floor(batchRows))} FROM ${cursor}`);
          const columns = result.fields.map((f) => f.name);
          onBatch(columns, result.rows as DbCell[][]);
          if (result.rows.length < batchRows) break;
        }
        await client.query(`CLOSE ${cursor}`);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
    placeholder: (n) => `$${n}`,
    async close() {
      await client.end();
    },
  };
}
