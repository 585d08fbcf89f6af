// Scale-out changes where the work runs, never what it computes. Over a 200-ticker synthetic universe plus the
// bundled tickers (the S&P 500's daily bars and the five monthly stocks), features, train (rf) and backtest run
// once in a single process, then split by `--shard i/N` (N = 1, 2, 3 processes at once on one workspace) and by
// the job queue (`--queue`, one job per ticker, with 1, 2 and 3 `tsml worker`s on the real Redis). Every
// ticker's features, model state, predictions and backtest (rows, details and metrics) must equal the
// single-process run's exactly; only provenance and timings may differ. The universe has the awkward cases
// real data has: a stretch of repeated prices, a ticker without volume, a three-week gap, monthly bars.

import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  modelFacts,
  parquetFacts,
  runStagesSharded,
  tsmlAsync,
  withoutFileHashes,
} from "../helpers/artifact-facts.js";
import { TSML_BIN } from "../helpers/run-cli.js";
import { REDIS_REQUIRED, TEST_REDIS_URL, testRedisWhy } from "../helpers/test-redis.js";

const URL_TEXT = TEST_REDIS_URL;
const REQUIRED = REDIS_REQUIRED;
const root = resolve(import.meta.dirname, "..", "..");
const DATA = join(root, "node_modules", "vega-datasets", "data");
const COUNT = 200;
const DAYS = 260;
const SYNTHETIC = Array.from({ length: COUNT }, (_, i) => `U${String(i).padStart(3, "0")}`);
const TICKERS = ["AAPL", "AMZN", "GOOG", "IBM", "MSFT", "SPX", ...SYNTHETIC].sort();

const why = await testRedisWhy();
if (why && !REQUIRED)
  console.log(`skipping the queue half of the equivalence test: ${why} (TSML_REQUIRE_DB=1 makes it fail)`);

const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-scale-out-"));
const base = join(dir, "base");

/** A seeded random walk per ticker on business days, from its own generator (nothing of tsml's). */
function writeUniverse(path: string): void {
  let state = 20261202;
  const uniform = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ["date,ticker,open,high,low,close,volume"];
  for (const [k, ticker] of SYNTHETIC.entries()) {
    let close = 20 + 80 * uniform();
    const day = new Date(Date.UTC(2015, 0, 1));
    for (let n = 0; n < DAYS; ) {
      day.setUTCDate(day.getUTCDate() + 1);
      if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
      n++;
      if (k === 13 && n > 120 && n <= 135) continue; // a three-week gap
      const flat = k === 7 && n > 100 && n <= 125; // repeated prices: the close stands still
      const open = flat ? close : close * (1 + (uniform() - 0.5) * 0.01);
      if (!flat) close = open * (1 + (uniform() - 0.49) * 0.04);
      const high = Math.max(open, close) * (1 + (flat ? 0 : uniform() * 0.01));
      const low = Math.min(open, close) * (1 - (flat ? 0 : uniform() * 0.01));
      const volume = k === 11 ? "" : String(Math.round(1e6 * (1 + uniform())));
      const date = day.toISOString().slice(0, 10);
      lines.push(
        `${date},${ticker},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},${volume}`,
      );
    }
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

const STAGES: string[][] = [
  ["features"],
  [
    "train",
    "--model",
    "rf",
    "--param",
    "n_estimators=10",
    "--splits",
    "3",
    "--jobs",
    "1",
    "--importance-rows",
    "50",
    "--shap-rows",
    "20",
    "--repeats",
    "1",
  ],
  ["backtest", "--no-chart"],
];

async function check(run: { code: number | null; stderr: string }, what: string) {
  expect(run.code, `${what}: ${run.stderr.slice(-2_000)}`).toBe(0);
}

/** Each stage in one process (shards 0), or in N shard processes at once. */
const sharded = (ws: string, shards: number) => runStagesSharded(ws, STAGES, shards, ["--seed", "11"]);

/** Each stage from one submitter, one job per ticker, run by `workers` workers on the workspace. */
async function queued(ws: string, workers: number): Promise<Set<string>> {
  const pool: ChildProcess[] = Array.from({ length: workers }, () =>
    spawn(process.execPath, [TSML_BIN, "--workspace", ws, "--quiet", "worker", "--queue", URL_TEXT], {
      stdio: "ignore",
      env: { ...process.env, TZ: "UTC" },
    }),
  );
  const ran = new Set<string>();
  try {
    for (const stage of STAGES) {
      const run = await tsmlAsync(["--workspace", ws, "--seed", "11", ...stage, "--queue", URL_TEXT]);
      await check(run, `${stage[0]} --queue with ${workers} workers`);
      for (const [, worker] of run.stdout.matchAll(/: done on (\S+)/g)) ran.add(worker);
    }
  } finally {
    for (const w of pool) w.kill("SIGTERM");
    await Promise.all(pool.map((w) => new Promise((done) => w.once("close", done))));
  }
  return ran;
}

/** One ticker's backtest metrics (train, test and whole windows) from a backtest's metrics file. */
function tickerMetrics(path: string, ticker: string): unknown {
  const body = JSON.parse(readFileSync(path, "utf8")) as { tickers: Record<string, unknown> };
  expect(body.tickers[ticker], `${ticker} in ${path}`).toBeDefined();
  return withoutFileHashes(body.tickers[ticker]);
}

/** Every ticker's artifacts in `ws` equal the single-process run's. */
async function expectSameAsReference(ws: string): Promise<void> {
  for (const kind of ["features", "predictions", "backtests"]) {
    const files = readdirSync(join(ws, kind)).filter((f) => f.endsWith(".parquet"));
    expect(files.sort(), kind).toEqual(TICKERS.map((t) => `${t}.parquet`));
  }
  for (const t of TICKERS) {
    for (const kind of ["features", "predictions", "backtests"]) {
      const [a, b] = await Promise.all([
        parquetFacts(join(reference, kind, `${t}.parquet`)),
        parquetFacts(join(ws, kind, `${t}.parquet`)),
      ]);
      expect(b.rows.length, `${kind}/${t}`).toBeGreaterThan(0);
      expect(b, `${kind}/${t}`).toEqual(a);
    }
    expect(modelFacts(join(ws, "models", t, "rf.json")), t).toEqual(
      modelFacts(join(reference, "models", t, "rf.json")),
    );
    // One process writes one summary over its tickers; a shard or a ticker job writes the ticker's own.
    expect(tickerMetrics(join(ws, "backtests", `${t}.metrics.json`), t), t).toEqual(
      tickerMetrics(join(reference, "backtests", "summary.metrics.json"), t),
    );
  }
}

const reference = join(dir, "single");
const fresh = (name: string) => {
  const ws = join(dir, name);
  cpSync(base, ws, { recursive: true });
  return ws;
};

beforeAll(async () => {
  const universe = join(dir, "universe.csv");
  writeUniverse(universe);
  for (const args of [
    ["ingest", "csv", universe],
    ["ingest", "csv", join(DATA, "sp500-2000.csv"), "--ticker", "SPX"],
    ["ingest", "csv", join(DATA, "stocks.csv")],
  ])
    await check(await tsmlAsync(["--workspace", base, "--quiet", ...args]), args.join(" "));
  await sharded(fresh("single"), 0);
}, 900_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`scale-out over ${TICKERS.length} tickers: the single-process run's artifacts, exactly`, () => {
  for (const shards of [1, 2, 3])
    it(`--shard i/${shards}: ${shards} processes at once`, async () => {
      const ws = fresh(`shards-${shards}`);
      await sharded(ws, shards);
      await expectSameAsReference(ws);
    }, 900_000);

  for (const workers of [1, 2, 3])
    it.skipIf(why !== null && !REQUIRED)(
      `--queue: ${workers} worker(s), one job per ticker`,
      async () => {
        const ws = fresh(`workers-${workers}`);
        const ran = await queued(ws, workers);
        // Every worker took part (the last may be idle only if it started after the jobs were gone).
        expect(ran.size, [...ran].join(", ")).toBe(workers);
        await expectSameAsReference(ws);
      },
      900_000,
    );
});
