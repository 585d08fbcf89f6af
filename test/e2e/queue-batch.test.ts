// Batch commands on the job queue: `tsml features --queue URL` over a workspace of six tickers becomes one job per
// ticker, run by two `tsml worker`s against the shared workspace. Every ticker's features equal a local run's,
// the ticker whose bars are too short fails once and is named in the submitter's summary (exit 3), and flags
// that name one file are refused before anything is queued. A third worker serves another workspace (a copy of
// the same bars, where every job would succeed) on the same Redis: it takes none of these jobs. Real Redis
// (database 15), never a mock.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelFacts, tsmlAsync } from "../helpers/artifact-facts.js";
import { send, startLoopbackServer } from "../helpers/loopback-server.js";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";
import { REDIS_REQUIRED, TEST_REDIS_URL, testRedisWhy } from "../helpers/test-redis.js";

const URL_TEXT = TEST_REDIS_URL;
const REQUIRED = REDIS_REQUIRED;
const FIXTURES = join(import.meta.dirname, "..", "fixtures", "sources");
const stocksCsv = join(
  import.meta.dirname,
  "..",
  "..",
  "node_modules",
  "vega-datasets",
  "data",
  "stocks.csv",
);

const why = await testRedisWhy();
if (why && !REQUIRED) console.log(`skipping queue batch tests: ${why} (TSML_REQUIRE_DB=1 makes them fail)`);
const run = why && !REQUIRED ? describe.skip : describe;

const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-queue-batch-"));
const ws = join(dir, "ws");
const local = join(dir, "local");
const other = join(dir, "other");
const TICKERS = ["AAPL", "AMZN", "GOOG", "IBM", "MSFT"];
const workers: ChildProcess[] = [];

/** The processes whose parent is `pid` (the worker's job runners). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function rows(path: string): Promise<unknown[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}') ORDER BY ALL`);
    return reader.getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

run("batch commands on the queue (features --queue, tsml worker)", () => {
  beforeAll(() => {
    const tiny = join(dir, "tiny.csv");
    writeFileSync(tiny, "date,close\n2020-01-01,10\n2020-02-01,11\n2020-03-01,12\n");
    for (const args of [
      ["ingest", "csv", stocksCsv],
      ["ingest", "csv", tiny, "--ticker", "TINY"],
    ]) {
      const made = runTsml(["--workspace", ws, "--quiet", ...args]);
      expect(made.code, made.stderr).toBe(0);
    }
    cpSync(ws, local, { recursive: true });
    cpSync(ws, other, { recursive: true });
    for (const space of [ws, ws, other])
      workers.push(
        spawn(process.execPath, [TSML_BIN, "--workspace", space, "worker", "--queue", URL_TEXT], {
          stdio: "ignore",
          env: { ...process.env, TZ: "UTC" },
        }),
      );
  });

  afterAll(async () => {
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => new Promise((done) => w.once("close", done))));
    rmSync(dir, { recursive: true, force: true });
  });

  it("one job per ticker: the local run's features, the failing ticker named once", async () => {
    const here = runTsml(["--workspace", local, "--seed", "1", "features"]);
    const queued = runTsml(["--workspace", ws, "--seed", "1", "features", "--queue", URL_TEXT]);
    // Both go on past TINY (too few bars for any feature row) and end with exit 3 naming it.
    expect(here.code, here.stderr).toBe(3);
    expect(queued.code, queued.stderr).toBe(3);
    expect(queued.stderr).toMatch(/features --queue: 1 failed \(5 succeeded\): TINY: /);
    for (const t of TICKERS) {
      expect(queued.stdout).toMatch(new RegExp(`features ${t}: done on `));
      const path = (root: string) => join(root, "features", `${t}.parquet`);
      expect(existsSync(path(ws)), t).toBe(true);
      expect(await rows(path(ws)), t).toEqual(await rows(path(local)));
    }
    expect(existsSync(join(ws, "features", "TINY.parquet"))).toBe(false);
    // The other workspace's worker took nothing: no features there, and no ticker done on it.
    expect(existsSync(join(other, "features"))).toBe(false);
    expect(queued.stdout).not.toContain(`:${workers[2].pid}`);
  });

  it("a worker killed with -9 mid ticker job: its job runner ends with it, another worker redoes the ticker", async () => {
    // A workspace of its own (the features just built), so the two workers above take none of these jobs.
    const solo = join(dir, "solo");
    cpSync(local, solo, { recursive: true });
    cpSync(local, join(dir, "solo-local"), { recursive: true });
    const TRAIN = ["--seed", "5", "train", "--model", "rf"];
    const here = runTsml(["--workspace", join(dir, "solo-local"), "--quiet", ...TRAIN]);
    expect(here.code, here.stderr).toBe(0);
    const soloWorker = () => {
      const child = spawn(
        process.execPath,
        [TSML_BIN, "--workspace", solo, "worker", "--queue", URL_TEXT, "--stalled-ms", "1000"],
        { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TZ: "UTC" } },
      );
      let stderr = "";
      child.stderr?.on("data", (d) => {
        stderr += d;
      });
      return { child, stderr: () => stderr, exit: new Promise((done) => child.once("close", done)) };
    };
    const first = soloWorker();
    const submitter = tsmlAsync(["--workspace", solo, ...TRAIN, "--queue", URL_TEXT]);
    const started = Date.now();
    while (!/job \S+ ticker started/.test(first.stderr())) {
      expect(Date.now() - started, first.stderr()).toBeLessThan(60_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    const runners = childrenOf(first.child.pid ?? 0);
    expect(runners.length, "the worker's job runner").toBeGreaterThan(0);
    first.child.kill("SIGKILL");
    await first.exit;
    // The runner learns its worker is gone and ends, mid-job: it writes nothing after another worker took over.
    const gone = Date.now();
    while (runners.some(alive)) {
      expect(Date.now() - gone, "the killed worker's job runner still runs").toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    const second = soloWorker();
    try {
      const done = await submitter;
      expect(done.code, done.stderr).toBe(0);
      expect(second.stderr()).toMatch(/job \S+ ticker started .*again: its worker stopped/);
    } finally {
      second.child.kill("SIGTERM");
      await second.exit;
    }
    for (const t of TICKERS)
      expect(modelFacts(join(solo, "models", t, "rf.json")), t).toEqual(
        modelFacts(join(dir, "solo-local", "models", t, "rf.json")),
      );
  }, 120_000);

  it("ingest alphavantage --queue: one job per symbol, each the local ingest's bars; the key stays with the workers", async () => {
    const KEY = "QUEUEDKEY123";
    const body = readFileSync(join(FIXTURES, "av-daily-adjusted-3rows.json"), "utf8");
    const server = await startLoopbackServer((_req, res) => send(res, body));
    const symbols = ["IBM", "MSFT", "AAPL"];
    const flags = ["--function", "daily-adjusted", "--base-url", `${server.url}/query`, "--rate", "1000"];
    const avLocal = join(dir, "av-local");
    const avQueued = join(dir, "av-queued");
    const avWorker = spawn(
      process.execPath,
      [TSML_BIN, "--workspace", avQueued, "worker", "--queue", URL_TEXT],
      {
        stdio: "ignore",
        env: { ...process.env, TZ: "UTC", ALPHAVANTAGE_API_KEY: KEY },
      },
    );
    try {
      // (Asynchronous runs: the loopback server answers from this process's event loop.)
      const here = await tsmlAsync(
        ["--workspace", avLocal, "ingest", "alphavantage", "--symbol", symbols.join(","), ...flags],
        { ALPHAVANTAGE_API_KEY: KEY },
      );
      expect(here.code, here.stderr).toBe(0);
      // A key on the command line would ride in the job payload into Redis: refused before anything is queued.
      const submit = [
        "--workspace",
        avQueued,
        "ingest",
        "alphavantage",
        "--symbol",
        symbols.join(","),
        ...flags,
      ];
      const withKey = await tsmlAsync([...submit, "--api-key", KEY, "--queue", URL_TEXT]);
      expect(withKey.code).toBe(2);
      expect(withKey.stderr).not.toContain(KEY);
      const queued = await tsmlAsync([...submit, "--queue", URL_TEXT]);
      expect(queued.code, queued.stderr).toBe(0);
      for (const t of symbols) {
        expect(queued.stdout).toMatch(new RegExp(`ingest alphavantage ${t}: done on `));
        const path = (root: string) => join(root, "bars", `${t}.parquet`);
        expect(await rows(path(avQueued)), t).toEqual(await rows(path(avLocal)));
      }
      // Every request carried the workers' key; none reached the server without it.
      expect(server.requests.filter((r) => r.includes("symbol="))).toHaveLength(2 * symbols.length);
      for (const r of server.requests) expect(r).toContain(`apikey=${KEY}`);
    } finally {
      avWorker.kill("SIGTERM");
      await new Promise((done) => avWorker.once("close", done));
      await server.close();
    }
  }, 60_000);

  it("refuses flags that name one file, before anything is queued", () => {
    const refused = runTsml(["--workspace", ws, "evaluate", "--queue", URL_TEXT, "-i", "x.parquet"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("evaluate --queue runs one job per ticker");
  });
});
