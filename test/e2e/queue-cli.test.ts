// End to end with the built CLI and the real Redis on 127.0.0.1:6379 (TSML_TEST_REDIS_URL to change it):
// `train --tune --queue` with `tsml worker` processes gives the model a local `train --tune` gives with the same
// --seed (parameters, state, CV table, metrics over its predictions; timings aside), and `backtest
// --walk-forward --queue` the local walk-forward's backtest; a worker killed with -9
// mid-job has that job finished by another worker; a job whose input is damaged fails once, and the submitter
// exits 3 naming the ticker and the task. Skips with a printed reason when Redis is not there, unless
// TSML_REQUIRE_DB=1 (CI), where it fails instead.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisClient } from "../../src/queue/queue-connection.js";
import { MAX_JOB_BYTES } from "../../src/queue/queue-names.js";
import { parseQueueUrl } from "../../src/queue/queue-url.js";
import { comparableModel } from "../helpers/comparable-model.js";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";
import { REDIS_REQUIRED, TEST_REDIS_URL, testRedisWhy } from "../helpers/test-redis.js";

/** Database 15: workers someone runs on the same Redis (database 0) never take this test's jobs. */
const URL_TEXT = TEST_REDIS_URL;
const REQUIRED = REDIS_REQUIRED;
const target = parseQueueUrl(URL_TEXT);
const redisAt = () => redisClient(target);

const why = await testRedisWhy();
if (why && !REQUIRED)
  console.log(`skipping queue tests: ${why} (set TSML_REQUIRE_DB=1 to make them fail instead)`);

const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-queue-"));
const ws = join(dir, "ws");
const grid = join(dir, "grid.json");
/** Fits of a few tenths of a second: long enough to kill a worker inside one, short against --stalled-ms. */
const TRAIN = [
  "train",
  "--model",
  "rf",
  "--tune",
  "--grid",
  grid,
  "--splits",
  "3",
  "--split-date",
  "2016-01-01",
  // Importance is local work either way: a small sample keeps the test quick.
  ...["--importance-rows", "50", "--shap-rows", "20", "--repeats", "1"],
];
const STALLED_MS = "2000";

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function start(args: string[]): Running {
  const child = spawn(process.execPath, [TSML_BIN, "--workspace", ws, ...args], {
    env: { ...process.env, TZ: "UTC" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.on("close", (code) => done({ code, stdout, stderr })),
  );
  return { child, stderr: () => stderr, exit };
}

const worker = () => start(["worker", "--queue", URL_TEXT, "--stalled-ms", STALLED_MS]);
const workers: Running[] = [];

async function waitFor<T>(what: string, probe: () => T | null | undefined, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopWorkers(): Promise<void> {
  for (const w of workers.splice(0)) {
    w.child.kill("SIGTERM");
    await w.exit;
  }
}

const run = why && !REQUIRED ? describe.skip : describe;

run("job queue (train --tune --queue, tsml worker)", () => {
  let local: unknown;

  beforeAll(() => {
    writeFileSync(grid, JSON.stringify({ n_estimators: [120], max_depth: [4, 6] }));
    const made = runTsml([
      "--workspace",
      ws,
      "--seed",
      "7",
      "--quiet",
      ...TRAIN,
      "--ticker",
      "SPX",
      "-o",
      join(dir, "local.json"),
    ]);
    expect(made.code, made.stderr).toBe(0);
    local = comparableModel(join(dir, "local.json"));
  });

  afterAll(async () => {
    await stopWorkers();
    rmSync(dir, { recursive: true, force: true });
  });

  it("two workers give the local run's model; the payloads stay small", async () => {
    workers.push(worker(), worker());
    const out = join(dir, "queued.json");
    const before = redisAt();
    await before.connect();
    const stale = new Set(await before.keys("tsml:tsml-tune-SPX-rf-*"));
    before.disconnect();
    const submit = runTsml([
      "--workspace",
      ws,
      "--seed",
      "7",
      ...TRAIN,
      "--ticker",
      "SPX",
      "--queue",
      URL_TEXT,
      "-o",
      out,
    ]);
    expect(submit.code, submit.stderr).toBe(0);
    expect(comparableModel(out)).toEqual(local);
    const jobs = JSON.parse(readFileSync(out, "utf8")).cv.jobs;
    expect(jobs).toBeGreaterThanOrEqual(1);
    expect(jobs).toBeLessThanOrEqual(2);
    await stopWorkers();
    // Gathered and cleaned: no input left in the workspace, no key of the run's queue left in Redis.
    expect(readdirSync(join(ws, ".queue"))).toEqual([]);
    const c = redisAt();
    await c.connect();
    const keys = await c.keys("tsml:tsml-tune-SPX-rf-*");
    c.disconnect();
    // (Keys an earlier, interrupted test run left behind are not this run's.)
    expect(keys.filter((k) => !stale.has(k))).toEqual([]);
  });

  it("a worker killed mid-job: another finishes it, and the model is the local run's", async () => {
    const first = worker();
    workers.push(first);
    const out = join(dir, "killed.json");
    const submitter = start(["--seed", "7", ...TRAIN, "--ticker", "SPX", "--queue", URL_TEXT, "-o", out]);
    const jobId = await waitFor("a started job", () => /job (\S+) fold started/.exec(first.stderr())?.[1]);
    first.child.kill("SIGKILL");
    await first.exit;
    workers.splice(0);
    expect(first.stderr()).not.toContain(`job ${jobId} done`);
    const second = worker();
    workers.push(second);
    const done = await submitter.exit;
    expect(done.code, done.stderr).toBe(0);
    expect(second.stderr()).toMatch(new RegExp(`job ${jobId} fold started .*again: its worker stopped`));
    expect(comparableModel(out)).toEqual(local);
    await stopWorkers();
  });

  it("backtest --walk-forward --queue: the refits on a worker give the local run's backtest", async () => {
    // The tuned model's family and parameters, refitted every 1,000 bars.
    const args = ["--seed", "7", "--json", "backtest", "--walk-forward", "--model", join(dir, "local.json")];
    const wf = [...args, "--refit", "1000", "--ticker", "SPX", "--no-chart"];
    const summary = (text: string) => {
      const out = JSON.parse(text);
      delete out.outputs;
      delete out.run;
      for (const t of Object.values(out.tickers) as { walkForward: Record<string, unknown> }[])
        for (const k of ["seconds", "jobs", "fitSeconds"]) delete t.walkForward[k];
      return out;
    };
    const local = runTsml(["--workspace", ws, ...wf, "-o", join(dir, "wf-local.parquet")]);
    expect(local.code, local.stderr).toBe(0);
    const w = worker();
    workers.push(w);
    const queued = runTsml([
      "--workspace",
      ws,
      ...wf,
      "--queue",
      URL_TEXT,
      "-o",
      join(dir, "wf-queue.parquet"),
    ]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(summary(queued.stdout)).toEqual(summary(local.stdout));
    expect(summary(local.stdout).tickers.SPX.walkForward.refits).toBeGreaterThan(2);
    // (spawnSync held this process's event loop: the worker's log is read once it runs again.)
    await waitFor("the worker's log of refit 1", () => /job r0 refit started/.test(w.stderr()), 10_000);
    await stopWorkers();
  });

  it("a job whose input was damaged fails once; the submitter exits 3 naming the ticker and task", async () => {
    const submitter = start(["--seed", "7", ...TRAIN, "--ticker", "SPX", "--queue", URL_TEXT]);
    const file = await waitFor("the queued dataset", () => {
      try {
        for (const sub of readdirSync(join(ws, ".queue"))) {
          const found = readdirSync(join(ws, ".queue", sub)).find((f) => /^input-.*\.bin$/.test(f));
          if (found) return join(ws, ".queue", sub, found);
        }
      } catch {}
      return null;
    });
    // While no worker runs, the jobs wait in Redis: each payload names its input, it does not carry it.
    const c = redisAt();
    await c.connect();
    let live: string[] = [];
    for (let i = 0; i < 200 && live.length === 0; i++) {
      // The live set of this workspace's queues: keyed by the id the submitter left in the workspace.
      const space = readFileSync(join(ws, ".tsml-workspace-id"), "utf8").trim();
      live = (await c.smembers(`tsml:live-queues:${space}`)).filter((q) => q.startsWith("tsml-tune-SPX"));
      if (live.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(live.length).toBeGreaterThan(0);
    const payload = (await c.hget(`tsml:${live[0]}:c0-f0`, "data")) ?? "";
    c.disconnect();
    expect(payload).toContain(".queue/");
    expect(Buffer.byteLength(payload)).toBeLessThan(MAX_JOB_BYTES);
    // Damage one byte of the training window (same length): its fingerprint no longer matches.
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);
    const w = worker();
    workers.push(w);
    const done = await submitter.exit;
    expect(done.code).toBe(3);
    const named = /SPX rf combination (\d+) fold (\d+)[^\n]*does not match its fingerprint/.exec(done.stderr);
    expect(named, done.stderr).not.toBeNull();
    expect(
      done.stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("error")).length,
    ).toBeLessThanOrEqual(1);
    await stopWorkers();
    // That job was started once, and failed once: no retry for bad data.
    const id = `c${Number(named?.[1]) - 1}-f${Number(named?.[2]) - 1}`;
    expect(w.stderr().match(new RegExp(`job ${id} fold started`, "g"))?.length).toBe(1);
    expect(w.stderr().match(new RegExp(`job ${id} failed`, "g"))?.length).toBe(1);
  });
});
