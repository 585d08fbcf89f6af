// Benchmark (not a test): `--to-db` writes (upsert, one transaction) and `ingest db` reads of a 100k-row,
// 20-ticker bars frame through src/db, on DuckDB (file), PostgreSQL and MariaDB. Run after `npm run build`:
//   node bench/db-bench.mjs    (servers from TSML_TEST_PG_URL / TSML_TEST_MYSQL_URL, as in the tests)

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withDb } from "../dist/db/db-client.js";
import { parseDbUrl } from "../dist/db/db-url.js";
import { quoteTable } from "../dist/db/identifier.js";
import { readFrame } from "../dist/db/read-frame.js";
import { writeFrame } from "../dist/db/write-frame.js";
import { Frame } from "../dist/frame/frame.js";

const TICKERS = 20;
const DAYS = 5000;
const n = TICKERS * DAYS;
const time = new Float64Array(n);
const codes = new Uint32Array(n);
const cols = ["open", "high", "low", "close", "adj_close", "volume"].map((c) => [c, new Float64Array(n)]);
let state = 7;
const random = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};
for (let t = 0, i = 0; t < TICKERS; t++) {
  for (let d = 0; d < DAYS; d++, i++) {
    time[i] = Date.UTC(2000, 0, 1) + d * 86_400_000;
    codes[i] = t;
    for (const [, v] of cols) v[i] = 100 + random() * 10;
  }
}
const frame = new Frame({
  time,
  tickerCodes: codes,
  tickerNames: Array.from({ length: TICKERS }, (_, t) => `T${t}`),
  columns: new Map(cols),
});

const targets = [
  ["duckdb", `duckdb:${join(mkdtempSync(join(tmpdir(), "tsml-bench-")), "b.duckdb")}`],
  ["postgres", process.env.TSML_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"],
  ["mariadb", process.env.TSML_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test"],
];
const table = `tsml_bench_${process.pid}`;
const seconds = async (fn) => {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
};
console.log(`${n} rows x ${cols.length} columns, ${TICKERS} tickers`);
for (const [name, url] of targets) {
  try {
    const first = await seconds(() => writeFrame(url, table, frame));
    const again = await seconds(() => writeFrame(url, table, frame));
    let rows = 0;
    const read = await seconds(async () => {
      rows = (await readFrame(url, { table })).frame.length;
    });
    console.log(
      `${name.padEnd(8)} upsert new ${first.toFixed(2)} s (${Math.round(n / first)} rows/s), ` +
        `re-upsert ${again.toFixed(2)} s, read ${read.toFixed(2)} s (${Math.round(rows / read)} rows/s), rows after 2 runs ${rows}`,
    );
    const parsed = parseDbUrl(url);
    await withDb(parsed, (db) => db.exec(`DROP TABLE IF EXISTS ${quoteTable(parsed.dialect, table)}`));
  } catch (error) {
    console.log(`${name}: skipped (${error.message})`);
  }
}
