// Benchmark (not a test): `tsml export report` for a 20-year daily series (S&P 500 2000-2020), target < 2 s.
// Run after `npm run build`:  node bench/report-bench.mjs [model]   (default rf; workspace under .bench-data/)

import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { buildReportData } from "../dist/commands/export-report.js";
import { renderReport } from "../dist/export/report-html.js";
import { prepareWorkspace, TSML } from "./export-workspace.mjs";

const model = process.argv[2] ?? "rf";
const workspace = prepareWorkspace(model);
const output = join(workspace, "reports", "bench.html");
const REPEATS = 5;

const wall = [];
for (let r = 0; r < REPEATS; r++) {
  const start = performance.now();
  const run = spawnSync(process.execPath, [
    TSML,
    "--workspace",
    workspace,
    "--quiet",
    "export",
    "report",
    "--ticker",
    "SPX",
    "-o",
    output,
  ]);
  if (run.status !== 0) throw new Error(String(run.stderr));
  wall.push(performance.now() - start);
}
const inProcess = [];
for (let r = 0; r < REPEATS; r++) {
  const start = performance.now();
  renderReport(await buildReportData(workspace, ["SPX"]));
  inProcess.push(performance.now() - start);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const data = await buildReportData(workspace, ["SPX"]);
console.log(`export report, SPX daily ${data.tickers[0].backtest?.length ?? 0} rows, model ${model}`);
console.log(`  CLI process wall time (median of ${REPEATS}): ${(median(wall) / 1000).toFixed(2)} s`);
console.log(
  `  read artifacts + render in process (median of ${REPEATS}): ${median(inProcess).toFixed(0)} ms`,
);
console.log(`  report size: ${(statSync(output).size / 1024).toFixed(0)} KiB`);
