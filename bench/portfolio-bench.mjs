#!/usr/bin/env node
// Benchmark (not a test): a portfolio backtest (`tsml backtest --portfolio`) on a generated panel of 200 tickers x
// 5,000 days of predictions with open and close (one Parquet, read with -i), as a whole CLI process and as the
// engine alone in this process (align + simulate + benchmark), against an anchor measured in the same run: the
// vectorised numpy top-k backtest of the same panel (bench/portfolio-anchor.py, no costs, lots or cash) and the
// time this process takes to read the Parquet. Prints the load average: other work on the machine moves the
// wall time as much as the code does.
//   npx tsc -p tsconfig.build.json && node bench/portfolio-bench.mjs [--tickers 200] [--days 5000] [--top-k 10]

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.TSML_BIN ?? join(root, "bin", "tsml.js");
const dist = (path) => import(join(root, "dist", path));
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : fallback);
};
const tickers = flag("tickers", 200);
const days = flag("days", 5000);
const k = flag("top-k", 10);
const rebalance = flag("rebalance", 5);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const folder = mkdtempSync(join(tmpdir(), "tsml-portfolio-bench-"));

const { Frame } = await dist("frame/frame.js");
const { writeTable } = await dist("artifacts/table-io.js");
const { readArtifactTable } = await dist("artifacts/kinds/artifact-table.js");
const { predictionsMeta } = await dist("artifacts/kinds/predictions-artifact.js");
const { makeProvenance } = await dist("artifacts/provenance.js");
const { alignPanel, firstCommonDay } = await dist("backtest/portfolio-panel.js");
const { simulatePortfolio } = await dist("backtest/portfolio-simulate.js");
const { equalWeightBuyAndHold } = await dist("backtest/portfolio-benchmark.js");
const { NO_MARKET_RULES } = await dist("backtest/market-presets.js");

/** A seeded random walk per ticker (mulberry32): close, the open near the previous close, a noisy score. */
function panel() {
  let seed = 42;
  const uniform = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const cells = tickers * days;
  const score = new Float64Array(cells);
  const close = new Float64Array(cells);
  const open = new Float64Array(cells);
  for (let t = 0; t < tickers; t++) {
    let price = 20 + 80 * uniform();
    for (let i = 0; i < days; i++) {
      const at = t * days + i;
      open[at] = price * (1 + 0.004 * (uniform() - 0.5));
      price *= 1 + 0.03 * (uniform() - 0.5);
      close[at] = price;
      score[at] = uniform();
    }
  }
  return { score, close, open };
}

try {
  const { score, close, open } = panel();
  const time = Float64Array.from({ length: days }, (_, i) => Date.UTC(2000, 0, 3) + i * 86_400_000);
  const names = Array.from({ length: tickers }, (_, t) => `T${String(t).padStart(3, "0")}`);
  const frames = names.map((name, t) =>
    Frame.fromColumns(name, time, {
      proba: score.subarray(t * days, (t + 1) * days),
      close: close.subarray(t * days, (t + 1) * days),
      open: open.subarray(t * days, (t + 1) * days),
    }),
  );
  const input = join(folder, "panel.parquet");
  const provenance = await makeProvenance({ command: "portfolio bench", options: {} });
  await writeTable(input, Frame.concat(frames), predictionsMeta(provenance, {}));
  for (const [name, values] of Object.entries({ score, close, open }))
    writeFileSync(join(folder, `${name}.bin`), Buffer.from(values.buffer));

  const loadBefore = load();
  // 1. The whole CLI: read the Parquet, align, simulate, benchmark, write curve + positions + metrics.
  const args = [bin, "--workspace", join(folder, "ws"), "--quiet", "--json", "backtest", "--portfolio"];
  args.push("-i", input, "--tickers", "all", "--top-k", String(k), "--rebalance", String(rebalance));
  args.push("--cost-bps", "10", "--capital", "10000000");
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: "utf8" });
  const cliSeconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`tsml backtest --portfolio failed (${run.status}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout);

  // 2. In this process: reading the Parquet, then the engine alone (best of 3).
  let clock = performance.now();
  const { frame } = await readArtifactTable(input, { kinds: ["predictions"] });
  const readSeconds = (performance.now() - clock) / 1000;
  void frame;
  const series = names.map((ticker, t) => ({
    ticker,
    time,
    score: score.subarray(t * days, (t + 1) * days),
    close: close.subarray(t * days, (t + 1) * days),
    open: open.subarray(t * days, (t + 1) * days),
  }));
  const rules = {
    topK: k,
    nDrop: Number.POSITIVE_INFINITY,
    rebalanceEvery: rebalance,
    weights: "equal",
    maxWeight: 1,
    capital: 10_000_000,
    costBps: 10,
    commission: 0,
    slippageBps: 0,
    market: NO_MARKET_RULES,
    fractional: false,
  };
  let engineSeconds = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    clock = performance.now();
    const aligned = alignPanel(series);
    simulatePortfolio(aligned, rules);
    equalWeightBuyAndHold(aligned, rules, firstCommonDay(aligned));
    engineSeconds = Math.min(engineSeconds, (performance.now() - clock) / 1000);
  }

  // 3. The anchor: numpy's vectorised top-k backtest of the same panel.
  const anchor = spawnSync(
    "/usr/bin/python3",
    [
      join(root, "bench", "portfolio-anchor.py"),
      folder,
      String(tickers),
      String(days),
      String(k),
      String(rebalance),
    ],
    { encoding: "utf8" },
  );
  const numpy = anchor.status === 0 ? JSON.parse(anchor.stdout) : null;

  const cells = `${tickers} tickers x ${days} days, top ${k} every ${rebalance} days, 10 bps`;
  console.log(`portfolio ${cells}: ${summary.rebalances.length} rebalances, ${summary.rules.trades} trades`);
  console.log(`tsml CLI end to end (read, simulate, benchmark, write 3 files): ${cliSeconds.toFixed(2)} s`);
  console.log(`tsml engine alone (align + simulate + benchmark, best of 3): ${engineSeconds.toFixed(3)} s`);
  console.log(`anchor: reading the predictions Parquet in this process: ${readSeconds.toFixed(3)} s`);
  if (numpy) {
    const np = numpy.readSeconds + numpy.computeSeconds;
    console.log(
      `anchor: numpy vectorised top-k (no costs, lots or cash): ${numpy.computeSeconds.toFixed(3)} s compute + ` +
        `${numpy.readSeconds.toFixed(3)} s read; tsml engine / numpy = ${(engineSeconds / np).toFixed(1)}x`,
    );
  } else
    console.log(
      `anchor: numpy skipped (${anchor.stderr?.trim().split("\n").at(-1) ?? "no /usr/bin/python3"})`,
    );
  console.log(`tsml CLI / Parquet read = ${(cliSeconds / readSeconds).toFixed(1)}x`);
  console.log(
    `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}); load average ${loadBefore} before, ${load()} after`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
