#!/usr/bin/env node
// `npm run demo`: the main job end to end on the bundled real S&P 500 series (vega-datasets, 2000-2020).
// Each step is a real `tsml` process in a fresh workspace, exactly as a user would type it.

import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
// vega-datasets exports only its entry (build/index.js), not package.json; the data folder sits beside build/.
const sp500 = join(dirname(require.resolve("vega-datasets")), "..", "data", "sp500-2000.csv");
const workspace = join(root, "tsml-workspace", "demo");
const report = join(workspace, "reports", "report.html");
rmSync(workspace, { recursive: true, force: true });

// Pipeline order; each stage appends its step here when it lands.
const steps = [
  ["ingest", "csv", sp500, "--ticker", "SPX"],
  // Database round trip, offline: bars upserted into an embedded DuckDB file, then read back as bars.
  [
    "ingest",
    "csv",
    sp500,
    "--ticker",
    "SPX",
    "-o",
    join(workspace, "db-demo", "spx.parquet"),
    "--to-db",
    `duckdb:${join(workspace, "db-demo", "bars.duckdb")}`,
    "--table",
    "daily_bars",
  ],
  [
    "ingest",
    "db",
    "--url",
    `duckdb:${join(workspace, "db-demo", "bars.duckdb")}`,
    "--table",
    "daily_bars",
    "-o",
    join(workspace, "db-demo", "spx-from-db.parquet"),
  ],
  ["features", "--ticker", "SPX", "--set", "seed000"],
  ["train", "--ticker", "SPX", "--model", "rf", "--tune", "--split-date", "2016-01-01"],
  // Seed 004's LSTM, smaller and shorter for the demo (README "sequence" has the full set-up).
  [
    "train",
    "--ticker",
    "SPX",
    "--model",
    "lstm",
    "--split-date",
    "2016-01-01",
    "--detrend",
    "linear",
    "--iterations",
    "150",
    "--units",
    "32",
    "--patience",
    "0",
  ],
  ["predict", "-m", join(workspace, "models", "SPX", "rf.json")],
  ["backtest", "--ticker", "SPX", "--strategy", "long-only"],
  ["evaluate", "--ticker", "SPX"],
  // Walk-forward: rf refitted every 252 bars on the previous 1,000 (purged by the label horizon), with a
  // threshold sweep (deflated Sharpe ratio over the workspace's trials, PBO); written beside the main backtest.
  [
    "backtest",
    "--walk-forward",
    "--refit",
    "252",
    "--window",
    "1000",
    "--ticker",
    "SPX",
    "--sweep",
    "threshold=0.5:0.6:0.05",
    "--no-chart",
    "-o",
    join(workspace, "walk-forward", "SPX.parquet"),
  ],
  // A portfolio across the five bundled monthly stocks: one rf each (bars built from the bundled data), then one
  // account holding the two best-ranked every three months against their equal-weight buy-and-hold.
  ...["AAPL", "MSFT", "AMZN", "GOOG", "IBM"].map((t) => [
    "--quiet",
    "train",
    "--ticker",
    t,
    "--model",
    "rf",
    "--split-date",
    "2008-01-01",
  ]),
  [
    "backtest",
    "--portfolio",
    "--tickers",
    "AAPL,MSFT,AMZN,GOOG,IBM",
    "--top-k",
    "2",
    "--rebalance",
    "3",
    "--cost-bps",
    "10",
    "--split-date",
    "2008-01-01",
    "--no-chart",
  ],
  // demo:steps
  // The report comes last (other stages add their steps above the marker).
  ["export", "report", "--ticker", "SPX", "-o", report],
];

for (const args of steps) {
  const full = ["--workspace", workspace, "--seed", "7", ...args];
  process.stdout.write(`\n$ tsml ${args.join(" ").replace(sp500, "<vega-datasets>/data/sp500-2000.csv")}\n`);
  const run = spawnSync(process.execPath, [join(root, "bin", "tsml.js"), ...full], { stdio: "inherit" });
  if (run.status !== 0) {
    process.stderr.write(`demo: step failed with exit code ${run.status}\n`);
    process.exit(run.status ?? 1);
  }
}
process.stdout.write(`\ndemo finished; artifacts are in ${workspace}\n`);
process.stdout.write(`HTML report: ${report}\n`);
