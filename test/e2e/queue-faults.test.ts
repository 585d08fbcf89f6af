// The queue's Redis going away mid-run: a private redis-server (append-only file, fsync on every write) is
// killed with -9 while a worker runs a tuning run's folds and started again 5 s later on the same port and
// files. The worker and the submitter reconnect on their own and the run finishes with the model a local run
// makes with the same seed. (A Redis that stays away longer than 20 s makes both exit 4: README "Job queue".)

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { comparableModel } from "../helpers/comparable-model.js";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;
if (!hasRedisServer) console.log("skipping queue fault test: no redis-server binary to run a private Redis");
const run = hasRedisServer ? describe : describe.skip;

const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-queue-faults-"));
const ws = join(dir, "ws");
const data = join(dir, "redis");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startRedis(port: number): ChildProcess {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", data, "--save", ""];
  const child = spawn("redis-server", [...args, "--appendonly", "yes", "--appendfsync", "always"], {
    stdio: "ignore",
  });
  children.push(child);
  return child;
}

function start(args: string[]): { child: ChildProcess; log: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [TSML_BIN, "--workspace", ws, ...args], {
    env: { ...process.env, TZ: "UTC" },
  });
  children.push(child);
  let log = "";
  child.stderr?.on("data", (d) => {
    log += d;
  });
  child.stdout?.on("data", () => {});
  return { child, log: () => log, exit: new Promise((done) => child.on("close", done)) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

run("the queue's Redis killed and restarted mid-run", () => {
  it("the worker and the submitter reconnect and the run ends with the local model", async () => {
    mkdirSync(data, { recursive: true });
    const grid = join(dir, "grid.json");
    writeFileSync(grid, JSON.stringify({ n_estimators: [60], max_depth: [3, 4, 5, 6] }));
    const train = ["--seed", "7", "train", "--ticker", "SPX", "--model", "rf", "--tune", "--grid", grid];
    const fast = [
      "--splits",
      "4",
      "--split-date",
      "2016-01-01",
      "--importance-rows",
      "50",
      "--shap-rows",
      "20",
    ];
    const local = runTsml(["--workspace", ws, "--quiet", ...train, ...fast, "-o", join(dir, "local.json")]);
    expect(local.code, local.stderr).toBe(0);

    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let redis = startRedis(port);
    await sleep(500);
    const worker = start(["worker", "--queue", url, "--stalled-ms", "3000"]);
    const submitter = start([...train, ...fast, "--queue", url, "-o", join(dir, "queued.json")]);
    // Kill Redis once the worker is inside the run's jobs, keep it away 5 s, start it on the same files.
    const until = Date.now() + 60_000;
    while (!/job \S+ \S+ started/.test(worker.log()) && Date.now() < until) await sleep(50);
    expect(worker.log()).toMatch(/job \S+ \S+ started/);
    // The run is still going when Redis dies (else this would test nothing).
    expect(submitter.child.exitCode).toBeNull();
    redis.kill("SIGKILL");
    await new Promise((done) => redis.once("close", done));
    await sleep(5_000);
    redis = startRedis(port);
    const code = await submitter.exit;
    expect(code, `${submitter.log()}\n--- worker ---\n${worker.log()}`).toBe(0);
    expect(comparableModel(join(dir, "queued.json"))).toEqual(comparableModel(join(dir, "local.json")));
    worker.child.kill("SIGTERM");
    expect(await worker.exit).toBe(0);
    redis.kill("SIGKILL");
  }, 120_000);
});
