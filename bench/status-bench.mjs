// Benchmark (not a test): `tsml status` on a 200-ticker workspace whose bars were all ingested from one ~75 MB
// CSV, so every bars artifact records that CSV as its input. The anchor, measured in the same run, is one
// SHA-256 pass over the CSV (what checking that one input costs); the ratio says how many such passes status
// spends. Run after `npm run build`:
//   node bench/status-bench.mjs            (data is generated under .bench-data/, which git ignores)

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const dataDir = join(root, ".bench-data");
const csv = join(dataDir, "status-1m-200.csv");
const workspace = join(dataDir, "status-ws");
const ROWS = 1_000_000;
const TICKERS = 200;
const REPEATS = 3;
const tsml = (...args) => [join(root, "bin", "tsml.js"), "--workspace", workspace, ...args];

/** Deterministic generator (LCG, as bench/ingest-bench.mjs) so every run measures the same file. */
function generateCsv() {
  let state = 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const price = new Float64Array(TICKERS).fill(100);
  const lines = ["ticker,date,open,high,low,close,adj_close,volume"];
  const start = Date.UTC(1990, 0, 1);
  for (let d = 0; d < ROWS / TICKERS; d++) {
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (let t = 0; t < TICKERS; t++) {
      const open = price[t];
      const close = open * (1 + (random() - 0.5) * 0.04);
      price[t] = close;
      const high = Math.max(open, close) * (1 + random() * 0.01);
      const low = Math.min(open, close) * (1 - random() * 0.01);
      const volume = Math.floor(random() * 1e7);
      lines.push(
        `T${String(t).padStart(3, "0")},${date},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},${(close * 0.97).toFixed(6)},${volume}`,
      );
    }
  }
  writeFileSync(csv, `${lines.join("\n")}\n`);
}

function run(args) {
  const out = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (out.status !== 0) throw new Error(`tsml ${args.slice(3).join(" ")} failed: ${out.stderr}`);
  return out.stdout;
}

/** Median wall time in ms of `fn` over REPEATS runs. */
async function median(label, fn) {
  const times = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  console.log(`${label.padEnd(52)} ${(ms / 1000).toFixed(3)} s (median of ${REPEATS})`);
  return ms;
}

mkdirSync(dataDir, { recursive: true });
if (!existsSync(csv)) generateCsv();
console.log(`CSV: ${csv} (${(statSync(csv).size / 1e6).toFixed(1)} MB, ${ROWS} rows, ${TICKERS} tickers)`);
if (!existsSync(join(workspace, "bars")) || readdirSync(join(workspace, "bars")).length !== TICKERS) {
  rmSync(workspace, { recursive: true, force: true });
  run(tsml("--quiet", "ingest", "csv", csv));
}

const anchor = await median("sha256 of the CSV, one pass (anchor)", async () => {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(csv)) hash.update(chunk);
  hash.digest("hex");
});
const startup = await median("tsml --version (process start)", async () => run(tsml("--version")));
let artifacts = 0;
const status = await median("tsml status --json (whole CLI process)", async () => {
  artifacts = JSON.parse(run(tsml("--json", "status"))).artifacts.length;
});
console.log(`artifacts listed: ${artifacts}`);
console.log(`ratio status / one CSV hash:               ${(status / anchor).toFixed(1)}x`);
console.log(`ratio (status - start) / one CSV hash:     ${((status - startup) / anchor).toFixed(1)}x`);
