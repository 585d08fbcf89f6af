// Benchmark (not a test): `tsml serve`, single-row POST /predict on loopback with a small node:http load generator
// (autocannon is not installed). Three parts:
//   1. closed loop at 32 and 256 keep-alive connections (each sends its next request when the last is answered):
//      the most req/s; latency there is concurrency / throughput (Little's law), so at 256 connections it
//      measures the queue the generator builds, not the server's service time;
//   2. open loop at 256 connections and a fixed offered rate (default 2,000 req/s): latency is timed from when
//      each request was due, so a stalled server is not hidden by the generator waiting for it;
//   3. memory: the server's RSS before and after 256 bodies of ~1 MiB (32 at a time), 64 refused 8 MiB ones, and
//      while 256 connections each hold a 1 MiB body one byte short of complete.
// Target: >= 3,000 req/s; p99 < 20 ms at 32 connections and at 256 connections at the offered rate.
// Run after `npm run build`:  node bench/serve-bench.mjs [model] [seconds] [rate]   (default rf, 10, 2000)

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { loadavg } from "node:os";
import { join } from "node:path";
import { readTable } from "../dist/artifacts/table-io.js";
import { prepareWorkspace, TSML, tsml } from "./export-workspace.mjs";

const model = process.argv[2] ?? "rf";
const seconds = Number(process.argv[3] ?? 10);
const rate = Number(process.argv[4] ?? 2000);
const workspace = prepareWorkspace(model);
const name = `bench_${model}`;
if (tsml(workspace, ["registry", "show", name], { check: false }).status !== 0)
  tsml(workspace, [
    "registry",
    "register",
    "-m",
    join(workspace, "models", "SPX", `${model}.json`),
    "--name",
    name,
  ]);

const artifact = JSON.parse(readFileSync(join(workspace, "models", "SPX", `${model}.json`), "utf8"));
const { frame } = await readTable(join(workspace, "features", "SPX.parquet"));
const last = frame.length - 1;
const row = Object.fromEntries(artifact.features.map((f) => [f, frame.get(f)[last]]));
const body = JSON.stringify({ model: name, rows: [row] });

const server = spawn(process.execPath, [TSML, "--workspace", workspace, "serve", "--port", "0"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const base = await new Promise((resolve) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = /listening on http:\/\/([\d.]+):(\d+)/.exec(out);
    if (m) resolve({ host: m[1], port: Number(m[2]) });
  });
});

function post(agent, text = body) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...base,
        agent,
        method: "POST",
        path: "/predict",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

/** Error codes seen by the generator (ECONNRESET, ...), for the summary line. */
const errorCodes = new Map();
function failed(error) {
  errorCodes.set(error.code ?? error.message, (errorCodes.get(error.code ?? error.message) ?? 0) + 1);
}

function summary(label, latencies, count, errors, elapsed, statuses = 0) {
  const sorted = latencies.subarray(0, count).sort();
  const q = (p) => sorted[Math.min(count - 1, Math.floor(p * count))]?.toFixed(2) ?? "-";
  console.log(
    `  ${label}: ${(count / elapsed).toFixed(0)} req/s (${count} requests, ${errors} errors${errors ? ` ${JSON.stringify(Object.fromEntries(errorCodes))}` : ""}${statuses ? `, ${statuses} non-200` : ""}); latency ms p50 ${q(0.5)}  p90 ${q(0.9)}  p99 ${q(0.99)}  max ${q(1)}`,
  );
  errorCodes.clear();
}

async function closedLoop(connections) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  for (let i = 0; i < 200; i++) await post(agent); // JIT warm-up, first model load
  const latencies = new Float64Array(4_000_000);
  let count = 0;
  let errors = 0;
  let bad = 0;
  const end = performance.now() + seconds * 1000;
  async function worker() {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        if ((await post(agent)) !== 200) bad++;
        latencies[count++] = performance.now() - t;
      } catch (error) {
        failed(error);
        errors++;
      }
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  summary(
    `closed loop, ${connections} connections`,
    latencies,
    count,
    errors,
    (performance.now() - started) / 1000,
    bad,
  );
  agent.destroy();
}

async function openLoop(connections, perSecond) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  // Open every connection first so that connection setup is not timed.
  await Promise.all(Array.from({ length: connections }, () => post(agent)));
  const total = Math.floor(perSecond * seconds);
  const latencies = new Float64Array(total);
  let count = 0;
  let errors = 0;
  let bad = 0;
  const started = performance.now();
  const pending = [];
  // Requests are issued on schedule whatever the server does; the agent queues a request when all its
  // connections are busy, and that wait counts, as it would for a real client.
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      post(agent).then(
        (status) => {
          if (status !== 200) bad++;
          latencies[count++] = performance.now() - due;
        },
        (error) => {
          failed(error);
          errors++;
        },
      ),
    );
  }
  await Promise.all(pending);
  summary(
    `open loop, ${connections} connections, ${perSecond} req/s offered`,
    latencies,
    count,
    errors,
    (performance.now() - started) / 1000,
    bad,
  );
  agent.destroy();
}

function rssMiB() {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"));
  return m ? (Number(m[1]) / 1024).toFixed(0) : "?";
}

async function memory() {
  // As many rows as fit in ~950 KiB, under the default 1 MiB body limit.
  const rows = Array.from({ length: Math.floor(950_000 / (JSON.stringify(row).length + 1)) }, () => row);
  const big = JSON.stringify({ model: name, rows });
  const huge = Buffer.alloc(8 * 1024 * 1024, 32);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const before = rssMiB();
  let ok = 0;
  for (let round = 0; round < 8; round++)
    ok += (await Promise.all(Array.from({ length: 32 }, () => post(agent, big)))).filter(
      (s) => s === 200,
    ).length;
  const afterBig = rssMiB();
  let refused = 0;
  for (let round = 0; round < 2; round++)
    refused += (await Promise.all(Array.from({ length: 32 }, () => post(agent, huge).catch(() => 0)))).filter(
      (s) => s === 413,
    ).length;
  const afterHuge = rssMiB();
  // 256 connections each send all but the last byte of a ~1 MiB body and hold it.
  const size = 1024 * 1024 - 100;
  const part = Buffer.alloc(size - 1, 32);
  const held = Array.from({ length: 256 }, () => {
    const socket = connect(base.port, base.host);
    socket.on("error", () => undefined);
    socket.write(`POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`);
    socket.write(part);
    return socket;
  });
  await new Promise((r) => setTimeout(r, 3_000));
  const holding = rssMiB();
  for (const socket of held) socket.destroy();
  await new Promise((r) => setTimeout(r, 5_000));
  console.log(
    `  memory: server RSS ${before} MiB -> ${afterBig} MiB after 256 bodies of ${(big.length / 1024).toFixed(0)} KiB (${ok} answered 200) -> ${afterHuge} MiB after 64 bodies of 8 MiB (${refused} refused with 413) -> ${holding} MiB while 256 connections hold a 1 MiB body one byte short -> ${rssMiB()} MiB 5 s later`,
  );
  agent.destroy();
}

console.log(
  `tsml serve, POST /predict single row, model ${model} (${artifact.features.length} features), ${seconds} s per run, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const only = process.env.SERVE_BENCH_ONLY; // closed32 | closed256 | open | memory, to rerun one part
if (!only || only === "closed32") await closedLoop(32);
if (!only || only === "closed256") await closedLoop(256);
if (!only || only === "open") await openLoop(256, rate);
if (!only || only === "memory") await memory();
server.kill("SIGTERM");
