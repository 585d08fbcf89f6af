#!/usr/bin/env node
// Benchmark: `tsml features --set seed000` on a 200-ticker x 5,000-day panel (1M rows), the whole process
// (read Parquet, compute, write Parquet), against pandas running seed 000's feature_engineering per ticker
// (compute only; bench/features_pandas.py). Needs `npm run build` and Debian's python3-pandas.
//   node bench/features-bench.mjs [--tickers 200] [--days 5000] [--runs 3]

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { makeProvenance } = await import(join(root, "dist", "artifacts", "provenance.js"));
const { tableMeta, writeTable } = await import(join(root, "dist", "artifacts", "table-io.js"));
const { Frame } = await import(join(root, "dist", "frame", "frame.js"));
const { Random } = await import(join(root, "dist", "core", "random.js"));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const tickers = arg("tickers", 200);
const days = arg("days", 5000);
const runs = arg("runs", 3);
const python = process.env.PYTHON ?? "/usr/bin/python3";

// A seeded random-walk panel: OHLC around a geometric walk, volume log-normal.
const n = tickers * days;
const rng = new Random(42);
const time = new Float64Array(n);
const codes = new Uint32Array(n);
const cols = {
  open: new Float64Array(n),
  high: new Float64Array(n),
  low: new Float64Array(n),
  close: new Float64Array(n),
  volume: new Float64Array(n),
};
const start = Date.UTC(2000, 0, 3);
for (let t = 0; t < tickers; t++) {
  let price = 50 + 100 * rng.next();
  for (let d = 0; d < days; d++) {
    const i = t * days + d;
    time[i] = start + d * 86_400_000;
    codes[i] = t;
    const open = price;
    price *= Math.exp(0.0002 + 0.015 * rng.normal());
    const spread = Math.abs(0.01 * rng.normal()) * price;
    cols.open[i] = open;
    cols.close[i] = price;
    cols.high[i] = Math.max(open, price) + spread;
    cols.low[i] = Math.min(open, price) - spread;
    cols.volume[i] = Math.round(Math.exp(15 + rng.normal()));
  }
}
const names = Array.from({ length: tickers }, (_, t) => `T${String(t).padStart(3, "0")}`);
const frame = new Frame({
  time,
  tickerCodes: codes,
  tickerNames: names,
  columns: new Map(Object.entries(cols)),
});

const dir = mkdtempSync(join(tmpdir(), "tsml-features-bench-"));
try {
  const bars = join(dir, "bars.parquet");
  await writeTable(bars, frame, tableMeta("bars", await makeProvenance({ command: "bench", options: {} })));
  // The same panel as CSV for pandas (its read time is not counted).
  const csv = ["ticker,date,open,high,low,close,volume"];
  for (let i = 0; i < n; i++)
    csv.push(
      `${names[codes[i]]},${new Date(time[i]).toISOString().slice(0, 10)},${cols.open[i]},${cols.high[i]},${cols.low[i]},${cols.close[i]},${cols.volume[i]}`,
    );
  writeFileSync(join(dir, "bars.csv"), `${csv.join("\n")}\n`);

  const tsmlTimes = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        join(root, "bin", "tsml.js"),
        "--quiet",
        "features",
        "-i",
        bars,
        "-o",
        join(dir, "features.parquet"),
        "--set",
        "seed000",
      ],
      { stdio: "inherit" },
    );
    if (run.status !== 0) throw new Error(`tsml features failed with ${run.status}`);
    tsmlTimes.push((performance.now() - t0) / 1000);
  }
  const py = spawnSync(
    python,
    [join(root, "bench", "features_pandas.py"), join(dir, "bars.csv"), String(runs)],
    {
      encoding: "utf8",
    },
  );
  if (py.status !== 0) throw new Error(`pandas anchor failed: ${py.stderr}`);
  const pandasSeconds = Number(py.stdout.trim().split("\n").pop());
  const best = Math.min(...tsmlTimes);
  console.log(`panel: ${tickers} tickers x ${days} days = ${n} rows`);
  console.log(
    `tsml features --set seed000 (whole process, best of ${runs}): ${best.toFixed(2)} s  [${tsmlTimes.map((t) => t.toFixed(2)).join(", ")}]`,
  );
  console.log(
    `pandas feature_engineering per ticker (compute only, best of ${runs}): ${pandasSeconds.toFixed(2)} s`,
  );
  console.log(`ratio tsml / pandas: ${(best / pandasSeconds).toFixed(2)}x (target <= 0.5x)`);
} finally {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  else console.log(dir);
}
