#!/usr/bin/env node
// Benchmark (not a test): `train --tune` on the bundled SPX with its grid search run (a) in this process
// (--jobs 1), (b) in local threads (--jobs W), and (c) on the Redis job queue by W `tsml worker` processes on
// this machine. Each run's CV time is the model artifact's cv.seconds (the grid search alone; the final fit and
// importance are local either way), and the whole command's wall time is printed beside it. A ridge grid of
// many quick fits measures the queue's overhead per job: (queue CV seconds - in-process CV seconds) / tasks, one
// worker. The load average is printed: on a shared machine other work competes for the cores.
//   npm run build && node bench/queue-bench.mjs [--workers 2] [--queue redis://127.0.0.1:6379]

import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "tsml.js");
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const workers = Number(flag("workers", 2));
const queue = flag("queue", "redis://127.0.0.1:6379");
const dir = "/tmp/tsml-queue-bench";
const ws = join(dir, "ws");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

function tsml(args) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "--workspace", ws, "--quiet", ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1000)
        : reject(new Error(`tsml ${args.join(" ")}: ${code}\n${stderr}`)),
    );
  });
}

function startWorkers(n) {
  return Array.from({ length: n }, () =>
    spawn(process.execPath, [bin, "--workspace", ws, "--quiet", "worker", "--queue", queue], {
      stdio: "ignore",
    }),
  );
}

async function stop(children) {
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          c.on("close", resolve);
          c.kill("SIGTERM");
        }),
    ),
  );
}

const cvSeconds = (file) => JSON.parse(readFileSync(file, "utf8")).cv.seconds;
const cvTable = (file) =>
  JSON.stringify(
    JSON.parse(readFileSync(file, "utf8")).cv.results.map((r) => [
      r.params,
      r.splitTestScores,
      r.splitTrainScores,
    ]),
  );

const rfGrid = join(dir, "rf-grid.json");
writeFileSync(
  rfGrid,
  JSON.stringify({ n_estimators: [100], max_depth: [4, 6, 8], min_samples_leaf: [1, 5] }),
);
const ridgeGrid = join(dir, "ridge-grid.json");
writeFileSync(ridgeGrid, JSON.stringify({ alpha: Array.from({ length: 20 }, (_, i) => 10 ** (i / 4 - 2)) }));
const common = [
  "--seed",
  "1",
  "train",
  "--ticker",
  "SPX",
  "--tune",
  "--split-date",
  "2016-01-01",
  "--importance-rows",
  "50",
  "--shap-rows",
  "20",
  "--repeats",
  "1",
];

// Warm-up: bars and features built once, outside the timings.
await tsml([...common, "--model", "ridge", "-o", join(dir, "warm.json")]);
console.log(`machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at start`);

const rows = [];
for (const [model, grid, tasks] of [
  ["rf", rfGrid, 6 * 5],
  ["ridge", ridgeGrid, 20 * 5],
]) {
  const base = [...common, "--model", model, "--grid", grid];
  const one = join(dir, `${model}-jobs1.json`);
  const wallOne = await tsml([...base, "--jobs", "1", "-o", one]);
  const threads = join(dir, `${model}-threads.json`);
  const wallThreads = await tsml([...base, "--jobs", String(workers), "-o", threads]);
  const count = model === "ridge" ? 1 : workers;
  const pool = startWorkers(count);
  await new Promise((r) => setTimeout(r, 1500));
  const queued = join(dir, `${model}-queue.json`);
  const wallQueue = await tsml([...base, "--queue", queue, "-o", queued]);
  await stop(pool);
  if (cvTable(queued) !== cvTable(one) || cvTable(threads) !== cvTable(one))
    throw new Error(`${model}: the CV tables differ between the runs`);
  rows.push({ model, tasks, count, one, threads, queued, wallOne, wallThreads, wallQueue });
}

console.log(`load average ${loadavg()[0].toFixed(1)} at end; CV tables identical in all runs\n`);
console.log(
  "| grid | tasks | in-process (--jobs 1) | threads (--jobs W) | queue (W workers) | queue vs in-process |",
);
console.log("|---|---|---|---|---|---|");
for (const r of rows) {
  const a = cvSeconds(r.one);
  const b = cvSeconds(r.threads);
  const c = cvSeconds(r.queued);
  console.log(
    `| ${r.model} | ${r.tasks} | CV ${a.toFixed(2)} s (command ${r.wallOne.toFixed(1)} s) | CV ${b.toFixed(2)} s, W=${workers} (${r.wallThreads.toFixed(1)} s) | CV ${c.toFixed(2)} s, W=${r.count} (${r.wallQueue.toFixed(1)} s) | ${(a / c).toFixed(2)}x |`,
  );
  if (r.model === "ridge")
    console.log(`\nqueue overhead per job (ridge, 1 worker): ${(((c - a) / r.tasks) * 1000).toFixed(1)} ms`);
}
