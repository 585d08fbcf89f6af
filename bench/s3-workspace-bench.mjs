#!/usr/bin/env node
// Benchmark (not a test): the cost of `--workspace s3://...` on the bundled demo pipeline (train, backtest,
// evaluate on SPX). s3rver runs in this process on loopback with a temp folder (never the repository); each
// step runs on a plain folder (the anchor) and on the S3 workspace, and the sync line the CLI prints is parsed
// (objects and kB pulled and pushed, seconds each way). Then a fresh cache (another machine) pulls the whole
// workspace once, and pulls it again unchanged (the ETag cache: nothing downloaded).
//   npx tsc -p tsconfig.build.json && node bench/s3-workspace-bench.mjs [--model ridge]

import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "tsml.js");
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const model = flag("model", "rf");
const dir = "/tmp/tsml-s3-bench";
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const require = createRequire(import.meta.url);
const S3rver = require("s3rver");
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory: join(dir, "s3rver"),
  configureBuckets: [{ name: "bench" }],
});
const { port } = await server.run();

/** One CLI run: wall seconds and the parsed sync line (null on a plain folder). */
function tsml(args, cache) {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    TSML_S3_ENDPOINT: `http://127.0.0.1:${port}`,
    TSML_CACHE_DIR: join(dir, cache),
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`tsml ${args.join(" ")}: exit ${code}\n${stderr}`));
      const m =
        /pulled (\d+) of (\d+) objects \((\d+) kB, ([\d.]+)s\); pushed (\d+) \((\d+) kB\), deleted \d+ \(([\d.]+)s\)/.exec(
          stderr,
        );
      resolve({
        seconds: (performance.now() - started) / 1000,
        sync: m && {
          pulled: Number(m[1]),
          listed: Number(m[2]),
          kbDown: Number(m[3]),
          pullS: Number(m[4]),
          pushed: Number(m[5]),
          kbUp: Number(m[6]),
          pushS: Number(m[7]),
        },
      });
    });
    child.on("error", reject);
  });
}

const steps = [
  ["train", "--ticker", "SPX", "--model", model, "--seed", "1"],
  ["backtest", "--no-chart"],
  ["evaluate"],
];
const rows = [];
for (const step of steps) {
  const plain = await tsml(["--workspace", join(dir, "folder"), ...step], "unused");
  const s3 = await tsml(["--workspace", "s3://bench/demo", ...step], "machine-a");
  rows.push({ step: step[0], plain, s3 });
}
/** Seconds a fresh Node takes to load the AWS SDK's S3 client (paid once by every command on an S3 workspace). */
function sdkLoadSeconds() {
  const script =
    "const t=performance.now();await import('@aws-sdk/client-s3');console.log((performance.now()-t)/1000)";
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: root });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("close", () => resolve(Number(out)));
    child.on("error", reject);
  });
}
const sdk = await sdkLoadSeconds();
const cold = await tsml(["--workspace", "s3://bench/demo", "status"], "machine-b");
const warm = await tsml(["--workspace", "s3://bench/demo", "status"], "machine-b");
const plainStatus = await tsml(["--workspace", join(dir, "folder"), "status"], "unused");
await server.close();

const f = (x) => x.toFixed(2);
console.log(
  `tsml --workspace s3:// on s3rver (loopback), bundled SPX, model ${model}; load average ${loadavg()[0].toFixed(2)}`,
);
console.log("step       folder s   s3 s   ratio   pulled (kB, s)          pushed (kB, s)");
for (const { step, plain, s3 } of rows) {
  const y = s3.sync;
  console.log(
    `${step.padEnd(10)} ${f(plain.seconds).padStart(8)} ${f(s3.seconds).padStart(6)} ${f(s3.seconds / plain.seconds).padStart(7)}   ` +
      `${y.pulled}/${y.listed} (${y.kbDown} kB, ${f(y.pullS)}s)`.padEnd(24) +
      `${y.pushed} (${y.kbUp} kB, ${f(y.pushS)}s)`,
  );
}
for (const [name, r] of [
  ["status, fresh cache", cold],
  ["status, unchanged", warm],
]) {
  console.log(
    `${name.padEnd(20)} ${f(r.seconds)} s (folder: ${f(plainStatus.seconds)} s): pulled ${r.sync.pulled} of ${r.sync.listed} objects, ` +
      `${r.sync.kbDown} kB in ${f(r.sync.pullS)} s`,
  );
}
console.log(`loading @aws-sdk/client-s3 in a fresh process: ${f(sdk)} s`);
rmSync(dir, { recursive: true, force: true });
