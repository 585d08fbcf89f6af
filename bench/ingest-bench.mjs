// Benchmark (not a test): `tsml ingest csv` on a 1M-row, 200-ticker CSV vs DuckDB's own read_csv, and
// Parquet write/read of 1M x 21 doubles through tsml's table-io vs DuckDB's own. Run after `npm run build`:
//   node bench/ingest-bench.mjs            (data is generated under .bench-data/, which git ignores)

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { writeTableFast } from "../dist/artifacts/parquet-fast-writer.js";
import { readTable, tableMeta, writeTable } from "../dist/artifacts/table-io.js";
import { Frame } from "../dist/frame/frame.js";
import { assembleBars } from "../dist/ingest/bars-schema.js";
import { readCsvBars } from "../dist/ingest/csv/read-csv-bars.js";

const root = join(import.meta.dirname, "..");
const dataDir = join(root, ".bench-data");
const csv = join(dataDir, "bars-1m-200.csv");
const ROWS = 1_000_000;
const TICKERS = 200;
const REPEATS = 3;

/** Deterministic generator (LCG) so every run measures the same file. */
function generateCsv() {
  let state = 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const price = new Float64Array(TICKERS).fill(100);
  const lines = ["ticker,date,open,high,low,close,adj_close,volume"];
  const start = Date.UTC(1990, 0, 1);
  for (let d = 0; d < ROWS / TICKERS; d++) {
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (let t = 0; t < TICKERS; t++) {
      const open = price[t];
      const close = open * (1 + (random() - 0.5) * 0.04);
      price[t] = close;
      const high = Math.max(open, close) * (1 + random() * 0.01);
      const low = Math.min(open, close) * (1 - random() * 0.01);
      const volume = Math.floor(random() * 1e7);
      lines.push(
        `T${String(t).padStart(3, "0")},${date},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},${(close * 0.97).toFixed(6)},${volume}`,
      );
    }
  }
  writeFileSync(csv, `${lines.join("\n")}\n`);
}

/** Median wall time and the CPU time of that run (all threads; children for subprocess runs). */
async function time(label, fn) {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const childCpu = await fn();
    const used = process.cpuUsage(cpu);
    runs.push({ wall: performance.now() - start, cpu: childCpu ?? (used.user + used.system) / 1000 });
  }
  runs.sort((a, b) => a.wall - b.wall);
  const median = runs[Math.floor(runs.length / 2)];
  console.log(
    `${label.padEnd(58)} ${(median.wall / 1000).toFixed(2)} s wall, ${(median.cpu / 1000).toFixed(2)} s cpu (median of ${REPEATS})`,
  );
  return median.wall;
}

mkdirSync(dataDir, { recursive: true });
if (!existsSync(csv)) generateCsv();
console.log(`CSV: ${csv} (${(statSync(csv).size / 1e6).toFixed(1)} MB, ${ROWS} rows, ${TICKERS} tickers)`);
const duck = await (await DuckDBInstance.create(":memory:")).connect();
const out = join(dataDir, "ingest-out.parquet");

console.log("\n== CSV ingest");
const duckCsv = await time("DuckDB read_csv -> in-memory table (anchor)", async () => {
  await duck.run(`CREATE OR REPLACE TABLE anchor AS SELECT * FROM read_csv('${csv}')`);
});
const duckCsvParquet = await time("DuckDB read_csv -> Parquet file", async () => {
  await duck.run(
    `COPY (SELECT * FROM read_csv('${csv}')) TO '${join(dataDir, "duck.parquet")}' (FORMAT parquet)`,
  );
});
const parseOnly = await time("tsml parse + checks + sort (in process)", async () => {
  assembleBars([await readCsvBars(csv)]);
});
const cli = await time("tsml ingest csv FILE -o out.parquet (whole CLI process)", async () => {
  const command = `"${process.execPath}" "${join(root, "bin", "tsml.js")}" --quiet ingest csv "${csv}" -o "${out}"`;
  // /usr/bin/time reports the child's CPU time (user + system, all threads).
  const run = spawnSync("sh", ["-c", `/usr/bin/time -f "%U %S" ${command}`], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`tsml failed: ${run.stderr}`);
  const [user, system] = run.stderr.trim().split("\n").pop().split(" ").map(Number);
  return Number.isFinite(user) ? (user + system) * 1000 : undefined;
});
console.log(`ratio tsml CLI / DuckDB read_csv:            ${(cli / duckCsv).toFixed(2)}x (target <= 2x)`);
console.log(`ratio tsml CLI / DuckDB read_csv->Parquet:   ${(cli / duckCsvParquet).toFixed(2)}x`);
console.log(`ratio tsml parse only / DuckDB read_csv:     ${(parseOnly / duckCsv).toFixed(2)}x`);

console.log("\n== Parquet 1M x 21 doubles");
const n = ROWS;
const columns = new Map();
let seed = 7;
for (let c = 0; c < 21; c++) {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 16807) % 2147483647;
    values[i] = seed / 2147483647;
  }
  columns.set(`f${c}`, values);
}
const time0 = Date.UTC(1990, 0, 1);
const frame = Frame.fromColumns(
  "T",
  Float64Array.from({ length: n }, (_, i) => time0 + i * 86_400_000),
  columns,
);
const wide = join(dataDir, "wide.parquet");
const meta = tableMeta("features", {
  tsmlVersion: "bench",
  command: "bench",
  options: {},
  seed: null,
  inputs: [],
  createdAt: new Date().toISOString(),
});
const tsmlWrite = await time("tsml writeTable (Frame -> DuckDB appender -> COPY zstd)", () =>
  writeTable(wide, frame, meta),
);
const tsmlWriteFast = await time("tsml writeTableFast (direct Parquet, uncompressed)", () =>
  writeTableFast(join(dataDir, "wide-fast.parquet"), frame, meta),
);
await duck.run(`CREATE OR REPLACE TABLE wide AS SELECT * FROM read_parquet('${wide}')`);
const duckWrite = await time("DuckDB COPY table -> Parquet (anchor)", async () => {
  await duck.run(`COPY wide TO '${join(dataDir, "wide-duck.parquet")}' (FORMAT parquet, COMPRESSION zstd)`);
});
const tsmlRead = await time("tsml readTable (Parquet -> Float64Array columns)", async () => {
  const { frame: back } = await readTable(wide);
  if (back.length !== n) throw new Error("row count mismatch");
});
const duckRead = await time("DuckDB read_parquet -> in-memory table (anchor)", async () => {
  await duck.run(`CREATE OR REPLACE TABLE wide2 AS SELECT * FROM read_parquet('${wide}')`);
});
const duckReadJs = await time("DuckDB node-api runAndReadAll + getColumns (JS values)", async () => {
  const reader = await duck.runAndReadAll(`SELECT * FROM read_parquet('${wide}')`);
  reader.getColumns();
});
console.log(`ratio tsml writeTable / DuckDB write:        ${(tsmlWrite / duckWrite).toFixed(2)}x`);
console.log(`ratio tsml writeTableFast / DuckDB write:    ${(tsmlWriteFast / duckWrite).toFixed(2)}x`);
console.log(
  `ratio tsml read / DuckDB read (table):       ${(tsmlRead / duckRead).toFixed(2)}x (target <= 1.2x)`,
);
console.log(`ratio tsml read / DuckDB read (JS columns):  ${(tsmlRead / duckReadJs).toFixed(2)}x`);
rmSync(out, { force: true });
