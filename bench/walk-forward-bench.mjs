#!/usr/bin/env node
// Benchmark (not a test): a walk-forward backtest of the default random forest on the bundled S&P 500 (SPX,
// 2000-2020 daily), refitted every 21 bars over an expanding window (231 refits), as a whole CLI process, and in
// the same run its anchor: scikit-learn's RandomForestClassifier (same defaults, n_jobs=2) refitted on the very
// windows tsml used (read back from the backtest artifact), each predicting its block (bench/walk-forward-anchor.py).
// Prints both wall and CPU times (CPU: user + system of the process and its threads), their ratios, the
// out-of-sample accuracy of both, and the machine's load average: on a shared machine the load decides the wall
// time as much as the code does, so the CPU time / cores is the estimate of the wall time on an idle machine.
//   npm run build && node bench/walk-forward-bench.mjs [--refit 21] [--window expanding] [--model rf] [--no-anchor]
// TSML_BIN points at another build of the CLI (its dist/ is read for the artifacts); PYTHON at another python.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.TSML_BIN ?? join(root, "bin", "tsml.js");
const python = process.env.PYTHON ?? "/usr/bin/python3";
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const refit = flag("refit", "21");
const window = flag("window", "expanding");
const model = flag("model", "rf");
const anchor = !process.argv.includes("--no-anchor") && model === "rf";
const workspace = mkdtempSync(join(tmpdir(), "tsml-wf-bench-"));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
// GNU time reports the CPU seconds (user, system) of a process and all its threads.
const timed = existsSync("/usr/bin/time");
function run(command, args) {
  const started = performance.now();
  const out = timed
    ? spawnSync("/usr/bin/time", ["-f", "%U %S", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  const cpu = timed
    ? out.stderr
        .trim()
        .split("\n")
        .at(-1)
        .split(" ")
        .map(Number)
        .reduce((a, b) => a + b, 0)
    : Number.NaN;
  return { ...out, seconds, cpu };
}
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

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
  const loadBefore = load();
  const tsml = run(process.execPath, args);
  const loadAfter = load();
  if (tsml.status !== 0)
    throw new Error(`tsml backtest --walk-forward failed (${tsml.status}): ${tsml.stderr}`);
  const summary = JSON.parse(tsml.stdout);
  const wf = summary.tickers.SPX.walkForward;
  console.log(
    `tsml    walk-forward SPX ${model} --refit ${refit} --window ${window}: ${wf.refits} refits in ${tsml.seconds.toFixed(1)} s wall, ` +
      `${tsml.cpu.toFixed(1)} s CPU (walk-forward itself ${wf.seconds.toFixed(1)} s on ${wf.jobs} threads; fits ${wf.fitSeconds.toFixed(1)} s summed); load ${loadBefore} -> ${loadAfter}`,
  );
  const test = summary.tickers.SPX.test;
  let accuracy = null;
  if (anchor) {
    // The windows tsml used, from the backtest artifact's refit records, as rows of the features table.
    const dist = join(dirname(bin), "..", "dist");
    const { readTable } = await import(pathToFileURL(join(dist, "artifacts", "table-io.js")).href);
    const feats = await readTable(join(workspace, "features", "SPX.parquet"));
    const backtest = await readTable(join(workspace, "backtests", "SPX.parquet"));
    const record = backtest.meta.details.walkForward.SPX;
    const day = (t) => new Date(t).toISOString().slice(0, 10);
    const rowOf = new Map(Array.from(feats.frame.time, (t, i) => [day(t), i]));
    const at = (d) => {
      const row = rowOf.get(d);
      if (row === undefined) throw new Error(`refit date ${d} is not a row of the features table`);
      return row;
    };
    const refits = Int32Array.from(
      record.refits.flatMap((r) => [
        at(r.trainFrom),
        at(r.trainTo) + 1,
        at(r.predictFrom),
        at(r.predictTo) + 1,
      ]),
    );
    const n = feats.frame.length;
    const X = new Float64Array(n * record.features.length);
    record.features.forEach((f, j) => {
      X.set(feats.frame.get(f), j * n);
    });
    const y = feats.frame.get(record.target);
    const prefix = join(workspace, "anchor");
    writeFileSync(`${prefix}.X.f64`, X);
    writeFileSync(`${prefix}.y.f64`, y);
    writeFileSync(`${prefix}.refits.i32`, refits);
    // tsml's out-of-sample accuracy on the same rows: its signal (proba > 0.5) against the label.
    const signal = backtest.frame.get("signal");
    const labelAt = new Map(Array.from(feats.frame.time, (t, i) => [t, y[i]]));
    let hits = 0;
    let scored = 0;
    backtest.frame.time.forEach((t, i) => {
      const label = labelAt.get(t);
      if (Number.isFinite(signal[i]) && Number.isFinite(label)) {
        scored++;
        if (signal[i] === label) hits++;
      }
    });
    accuracy = scored > 0 ? hits / scored : null;
    const loadAnchor = load();
    const py = run(python, [join(root, "bench", "walk-forward-anchor.py"), prefix, "2"]);
    if (py.status !== 0) throw new Error(`anchor failed (${py.status}): ${py.stderr}`);
    const a = JSON.parse(py.stdout.trim().split("\n").at(-1));
    console.log(
      `sklearn RandomForestClassifier(n_jobs=2) on the same ${a.refits} windows: ${py.seconds.toFixed(1)} s wall, ${py.cpu.toFixed(1)} s CPU ` +
        `(refit loop ${a.seconds.toFixed(1)} s wall, ${a.cpuSeconds.toFixed(1)} s CPU); load ${loadAnchor} -> ${load()}`,
    );
    console.log(
      `ratio tsml / sklearn: wall ${ratio(tsml.seconds, py.seconds)}, CPU ${ratio(tsml.cpu, py.cpu)}; ` +
        `out-of-sample accuracy tsml ${accuracy?.toFixed(4)}, sklearn ${a.accuracy?.toFixed(4)}`,
    );
  }
  const cores = availableParallelism();
  console.log(
    `machine: ${cores} cores (${cpus()[0]?.model ?? "unknown CPU"}); tsml's CPU time / ${cores} cores = ${(tsml.cpu / cores).toFixed(1)} s, ` +
      "its wall time on an idle machine if the threads stay busy",
  );
  console.log(
    `out-of-sample: Sharpe ${test.sharpe.toFixed(3)}, total return ${(test.total_return * 100).toFixed(1)}%`,
  );
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
