// A second Parquet reader for e2e pipes: reads Parquet bytes from stdin with DuckDB, prints one JSON line.
// Usage: ... -o - | node test/e2e/helpers/parquet-stats.mjs /tmp/spool.parquet

import { writeFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const file = process.argv[2];
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
writeFileSync(file, Buffer.concat(chunks));
const connection = await (await DuckDBInstance.create(":memory:")).connect();
const literal = `'${file.replaceAll("'", "''")}'`;
const query = async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson();
const [stats] = await query(
  `SELECT count(*) AS n, any_value(typeof(date)) AS dt, any_value(ticker) AS ticker,
     strftime(min(date), '%Y-%m-%d') AS first, strftime(max(date), '%Y-%m-%d') AS last
   FROM read_parquet(${literal})`,
);
const [kv] = await query(
  `SELECT decode(value) AS v FROM parquet_kv_metadata(${literal}) WHERE decode(key) = 'tsml'`,
);
console.log(JSON.stringify({ ...stats, kind: JSON.parse(kv.v).kind }));
