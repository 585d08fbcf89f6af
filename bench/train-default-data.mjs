// Turns bench/trees-make-data.py's 50,000 x 20 table into a Parquet file `tsml train -i` reads: a daily `date`
// column (so --split-date can cut at 75% as the anchors do), features x0..x19 and the 0/1 label `y`.
// Usage: node bench/train-default-data.mjs PREFIX  ->  PREFIX.parquet; prints the split date of row 37,500.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const prefix = process.argv[2];
const readF64 = (path) => {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
};
const y = readF64(`${prefix}.y.f64`);
const all = readF64(`${prefix}.X.f64`);
const n = y.length;
const p = all.length / n;
const day = 86_400_000;
const start = Date.UTC(1900, 0, 1);
const names = Array.from({ length: p }, (_, j) => `x${j}`);
const lines = [["date", ...names, "y"].join(",")];
for (let i = 0; i < n; i++) {
  const row = [new Date(start + i * day).toISOString().slice(0, 10)];
  // String(v) is the shortest text that reads back as the same double, so the Parquet holds the exact values.
  for (let j = 0; j < p; j++) row.push(String(all[j * n + i]));
  row.push(String(y[i]));
  lines.push(row.join(","));
}
const csv = `${prefix}.csv`;
writeFileSync(csv, `${lines.join("\n")}\n`);
const connection = await (await DuckDBInstance.create()).connect();
const types = Object.fromEntries([["date", "DATE"], ...names.map((c) => [c, "DOUBLE"]), ["y", "DOUBLE"]]);
const typeSql = Object.entries(types)
  .map(([k, v]) => `'${k}': '${v}'`)
  .join(", ");
await connection.run(
  `COPY (SELECT * FROM read_csv('${csv}', header = true, columns = {${typeSql}})) TO '${prefix}.parquet' (FORMAT parquet)`,
);
rmSync(csv);
// Rows before this date are the first 75% (the anchors' `cut = int(0.75 * n)`).
console.log(new Date(start + Math.floor(0.75 * n) * day).toISOString().slice(0, 10));
