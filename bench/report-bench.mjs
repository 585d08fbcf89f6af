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
// Anchor, measured in the same run: a tsml process that starts and exits (`tsml --version`), so a loaded
// machine shows in both figures and the ratio says what the report itself costs.
const anchor = [];
for (let r = 0; r < REPEATS; r++) {
  const start = performance.now();
  const run = spawnSync(process.execPath, [TSML, "--version"]);
  if (run.status !== 0) throw new Error(String(run.stderr));
  anchor.push(performance.now() - start);
}
const data = await buildReportData(workspace, ["SPX"]);
const renderOnly = [];
for (let r = 0; r < REPEATS; r++) {
  const start = performance.now();
  renderReport(data);
  renderOnly.push(performance.now() - start);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`export report, SPX daily ${data.tickers[0].backtest?.length ?? 0} rows, model ${model}`);
console.log(`  CLI process wall time (median of ${REPEATS}): ${(median(wall) / 1000).toFixed(2)} s`);
console.log(
  `  read artifacts + render in process (median of ${REPEATS}): ${median(inProcess).toFixed(0)} ms`,
);
console.log(
  `  of which render (tearsheet series, charts, tables; median of ${REPEATS}): ${median(renderOnly).toFixed(0)} ms`,
);
console.log(
  `  anchor: tsml --version process (median of ${REPEATS}): ${(median(anchor) / 1000).toFixed(2)} s; report / anchor: ${(median(wall) / median(anchor)).toFixed(2)}x`,
);
console.log(`  report size: ${(statSync(output).size / 1024).toFixed(0)} KiB`);
