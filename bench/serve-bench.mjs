// Benchmark (not a test): `tsml serve`, single-row POST /predict, 32 keep-alive connections on loopback for
// 10 s (a small node:http load generator; autocannon is not installed). Target: >= 3,000 req/s, p99 < 20 ms.
// Run after `npm run build`:  node bench/serve-bench.mjs [model] [seconds]   (default rf, 10)

import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { readTable } from "../dist/artifacts/table-io.js";
import { prepareWorkspace, TSML, tsml } from "./export-workspace.mjs";

const model = process.argv[2] ?? "rf";
const seconds = Number(process.argv[3] ?? 10);
const CONNECTIONS = 32;
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

const artifact = JSON.parse(
  (await import("node:fs")).readFileSync(join(workspace, "models", "SPX", `${model}.json`), "utf8"),
);
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

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
function post() {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...base,
        agent,
        method: "POST",
        path: "/predict",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// Warm-up (JIT, first model load), then the measured run.
for (let i = 0; i < 200; i++) await post();
const latencies = new Float64Array(2_000_000);
let count = 0;
let errors = 0;
const end = performance.now() + seconds * 1000;
async function worker() {
  while (performance.now() < end) {
    const t = performance.now();
    try {
      await post();
      latencies[count++] = performance.now() - t;
    } catch {
      errors++;
    }
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: CONNECTIONS }, worker));
const elapsed = (performance.now() - started) / 1000;
server.kill("SIGTERM");
agent.destroy();
const sorted = latencies.subarray(0, count).sort();
const q = (p) => sorted[Math.min(count - 1, Math.floor(p * count))];
console.log(
  `tsml serve, POST /predict single row, model ${model} (${artifact.features.length} features), ${CONNECTIONS} connections, ${seconds} s`,
);
console.log(`  requests/s: ${(count / elapsed).toFixed(0)}   requests: ${count}   errors: ${errors}`);
console.log(
  `  latency ms: p50 ${q(0.5).toFixed(2)}  p90 ${q(0.9).toFixed(2)}  p99 ${q(0.99).toFixed(2)}  max ${sorted[count - 1].toFixed(2)}`,
);
