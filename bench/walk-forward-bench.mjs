#!/usr/bin/env node
// Benchmark (not a test): a walk-forward backtest of the default random forest on the bundled S&P 500 (SPX,
// 2000-2020 daily), refitted every 21 bars over an expanding window (about 230 refits), as a whole CLI process.
// Prints the wall time, the CPU time of the process and its workers, the refits and threads, and the machine's
// load average before and after: on a shared machine the load decides the wall time as much as the code does.
//   npx tsc -p tsconfig.build.json && node bench/walk-forward-bench.mjs [--refit 21] [--window expanding] [--model rf]
// TSML_BIN points at another build of the CLI.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.TSML_BIN ?? join(root, "bin", "tsml.js");
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const refit = flag("refit", "21");
const window = flag("window", "expanding");
const model = flag("model", "rf");
const workspace = mkdtempSync(join(tmpdir(), "tsml-wf-bench-"));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

try {
  const features = spawnSync(process.execPath, [
    bin,
    "--workspace",
    workspace,
    "--quiet",
    "features",
    "--ticker",
    "SPX",
  ]);
  if (features.status !== 0) throw new Error(`tsml features failed: ${features.stderr}`);
  const args = [bin, "--workspace", workspace, "--json", "--quiet", "backtest", "--walk-forward"];
  args.push("--refit", refit, "--window", window, "--model", model, "--ticker", "SPX");
  // GNU time reports the CPU seconds of the process and its worker threads.
  const timed = existsSync("/usr/bin/time");
  const loadBefore = load();
  const started = performance.now();
  const run = timed
    ? spawnSync("/usr/bin/time", ["-f", "%U %S", process.execPath, ...args], { encoding: "utf8" })
    : spawnSync(process.execPath, args, { encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`tsml backtest --walk-forward failed (${run.status}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout);
  const wf = summary.tickers.SPX.walkForward;
  const cpu = timed
    ? run.stderr
        .trim()
        .split("\n")
        .at(-1)
        .split(" ")
        .map(Number)
        .reduce((a, b) => a + b, 0)
    : Number.NaN;
  console.log(
    `walk-forward SPX ${model} --refit ${refit} --window ${window}: ${wf.refits} refits in ${seconds.toFixed(1)} s wall ` +
      `(walk-forward itself ${wf.seconds.toFixed(1)} s on ${wf.jobs} threads; ${cpu.toFixed(1)} s CPU; fits ${wf.fitSeconds.toFixed(1)} s summed)`,
  );
  console.log(
    `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}); load average ${loadBefore} before, ${load()} after`,
  );
  const test = summary.tickers.SPX.test;
  console.log(
    `out-of-sample: Sharpe ${test.sharpe.toFixed(3)}, total return ${(test.total_return * 100).toFixed(1)}%`,
  );
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
