// Hostile input for the registry and `tsml serve`, through the built CLI: models that cannot be used are refused
// at register time; a broken entry (corrupted, `{not json`, no fitted state) is excluded alone while serve keeps
// running; version numbers are never reused; slow clients are cut at the timeout; huge bodies are refused
// without the server keeping the memory.

import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonArtifact } from "../../src/artifacts/json-artifact.js";
import { makeProvenance } from "../../src/artifacts/provenance.js";
import { fixtureProba, LOGISTIC, modelArtifactBody, writeFixtureWorkspace } from "../export-fixtures.js";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-attack-"));
const ws = join(dir, "ws");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--no-color", ...args]);
const model = () => join(ws, "models", "SPX", `${LOGISTIC}.json`);
const entryFile = (name: string, version: number) => join(ws, "registry", name, `v${version}.json`);

async function writeModel(file: string, body: Record<string, unknown>) {
  const provenance = await makeProvenance({ command: "test", options: {} });
  writeFileSync(file, JSON.stringify(jsonArtifact("model", provenance, body)));
}

beforeAll(async () => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  await writeFixtureWorkspace(ws, { rows: 300 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tsml registry register refuses what cannot be served", () => {
  it("refuses a model without a fitted state, or with a state that cannot score, with exit 3", async () => {
    const { state: _state, ...stateless } = modelArtifactBody("SPX");
    await writeModel(join(dir, "stateless.json"), stateless);
    const run = tsml("registry", "register", "-m", join(dir, "stateless.json"), "--name", "nostate");
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/stateless\.json: the model artifact has no fitted state/);
    expect(run.stderr).toMatch(/hint: train it again/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const wrong = modelArtifactBody("SPX");
    wrong.state.state.coef = [0.8];
    await writeModel(join(dir, "wrong.json"), wrong);
    const bad = tsml("registry", "register", "-m", join(dir, "wrong.json"), "--name", "wrong");
    expect(bad.code, bad.stderr).toBe(3);
    expect(bad.stderr).toMatch(/wrong\.json: .*(scoring one row|features)/);
    expect(existsSync(join(ws, "registry", "nostate"))).toBe(false);
    expect(existsSync(join(ws, "registry", "wrong"))).toBe(false);
  });

  it("registers a sequence model folder whole, and refuses it with exit 3 naming the missing weights when they are gone", () => {
    const train = tsml(
      "--seed",
      "3",
      "train",
      "--model",
      "lstm",
      "--ticker",
      "SPX",
      "--steps",
      "10",
      "--layers",
      "1",
      "--units",
      "4",
      "--iterations",
      "5",
      "--patience",
      "0",
    );
    expect(train.code, train.stderr).toBe(0);
    const folder = join(ws, "models", "SPX", "lstm");
    const whole = tsml("registry", "register", "-m", join(folder, "tsml.json"));
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toMatch(/registered SPX_lstm@1 \(lstm on SPX/);
    // Removed again so the serve tests below see only the models they register.
    expect(tsml("registry", "rm", "SPX_lstm").code).toBe(0);
    rmSync(join(folder, "weights.bin"));
    for (const path of [join(folder, "tsml.json"), folder]) {
      const run = tsml("registry", "register", "-m", path);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/sequence model "lstm" has no weights \(.*weights\.bin is missing\)/);
    }
    expect(existsSync(join(ws, "registry", "SPX_up"))).toBe(false);
  });

  it("refuses --if on a model without test metrics unless --on train says to gate on training metrics", async () => {
    const file = join(dir, "no-test.json");
    await writeModel(file, modelArtifactBody("SPX", {}));
    const refused = tsml("registry", "register", "-m", file, "--name", "notest", "--if", "accuracy>0.5");
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/--if: .*no-test\.json has no test metrics/);
    expect(refused.stderr).toMatch(/hint: .*--split-date.*--on train/);
    const low = tsml(
      "registry",
      "register",
      "-m",
      file,
      "--name",
      "notest",
      "--if",
      "accuracy>0.9",
      "--on",
      "train",
    );
    expect(low.code, low.stderr).toBe(5);
    expect(low.stderr).toMatch(/accuracy > 0.9 \(value 0.7\)/);
    expect(low.stderr).toMatch(/training metrics/);
    const ok = tsml(
      "--json",
      "registry",
      "register",
      "-m",
      file,
      "--name",
      "notest",
      "--if",
      "accuracy>0.65",
      "--on",
      "train",
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).tags).toMatchObject({ metricsSplit: "train", metrics: { accuracy: 0.7 } });
    expect(tsml("registry", "register", "-m", model(), "--name", "x", "--on", "validation").code).toBe(2);
    expect(tsml("registry", "rm", "notest").code).toBe(0);
  });

  it("never reuses a version number, after rm of one version or of the whole name", () => {
    const version = (run: ReturnType<typeof tsml>) => {
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout).version as number;
    };
    const register = () => version(tsml("--json", "registry", "register", "-m", model(), "--name", "V"));
    expect([register(), register()]).toEqual([1, 2]);
    expect(tsml("registry", "rm", "V@2").code).toBe(0);
    expect(register()).toBe(3);
    expect(tsml("registry", "rm", "V").code).toBe(0);
    expect(tsml("registry", "show", "V").code).toBe(3);
    expect(register()).toBe(4);
    const show = tsml("registry", "show", "V@2");
    expect(show.code).toBe(3);
    expect(show.stderr).toMatch(/"V" has no version 2/);
    expect(tsml("registry", "rm", "V").code).toBe(0);
  });
});

interface Served {
  child: ChildProcess;
  base: string;
  port: number;
  stderr: () => string;
  stdout: string;
}

async function startServe(args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [TSML_BIN, "--workspace", ws, "serve", "--port", "0", ...args], {
    env: { ...process.env, TZ: "UTC" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))[^\n]*\n/.exec(out);
      if (m) resolve({ child, base: m[1], port: Number(m[2]), stderr: () => stderr, stdout: m[0] });
    });
    child.on("exit", (code) => reject(new Error(`serve exited early (${code}): ${stderr}`)));
  });
}

async function stop(served: Served) {
  const exited = new Promise<number | null>((r) => served.child.on("exit", (code) => r(code)));
  served.child.kill("SIGTERM");
  return exited;
}

const post = (base: string, body: unknown) =>
  fetch(`${base}/predict`, { method: "POST", body: JSON.stringify(body) });

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : Number.NaN;
}

describe("tsml serve with a broken registry and hostile clients", () => {
  let served: Served;

  beforeAll(async () => {
    for (const name of ["SPX_up", "SPX_alt"]) {
      const run = tsml("registry", "register", "-m", model(), "--name", name);
      expect(run.code, run.stderr).toBe(0);
    }
    // An entry an older tsml accepted: a model without a fitted state (register refuses those now).
    const entry = JSON.parse(readFileSync(entryFile("SPX_up", 1), "utf8"));
    delete entry.model.state;
    mkdirSync(join(ws, "registry", "QQQ_up"));
    writeFileSync(
      entryFile("QQQ_up", 1),
      JSON.stringify({ ...entry, name: "QQQ_up", tags: { ...entry.tags, ticker: "QQQ" } }),
    );
    served = await startServe(["--request-timeout", "1500"]);
  });
  afterAll(async () => {
    if (served.child.exitCode === null) await stop(served);
  });

  it("starts with a broken entry, excludes each broken entry alone and keeps serving the rest", async () => {
    expect(served.stdout).toMatch(/\(2 models, 1 excluded\)/);
    // While it runs: one entry corrupted in place, one `{not json` version file appears.
    chmodSync(entryFile("SPX_alt", 1), 0o644);
    writeFileSync(entryFile("SPX_alt", 1), '{"kind": "registry-entry", "name": "SPX_a');
    mkdirSync(join(ws, "registry", "DIA_up"));
    writeFileSync(entryFile("DIA_up", 1), "{not json");
    await new Promise((r) => setTimeout(r, 2_300)); // the registry is re-read every 2 s
    for (let round = 0; round < 2; round++) {
      const health = await fetch(`${served.base}/healthz`);
      expect(health.status).toBe(200);
      const body = (await health.json()) as { status: string; models: number; excluded: { name: string }[] };
      expect(body).toMatchObject({ status: "degraded", models: 1 });
      expect(body.excluded.map((x) => x.name)).toEqual(["DIA_up", "QQQ_up", "SPX_alt"]);
      for (const name of ["SPX_alt", "QQQ_up", "DIA_up"]) {
        const res = await post(served.base, { model: name, row: { f1: 0, f2: 0 } });
        expect(res.status, name).toBe(503);
        expect(((await res.json()) as { error: string }).error).toMatch(
          new RegExp(`^model ${name}@1 is unavailable`),
        );
      }
      const good = await post(served.base, { model: "SPX_up", row: { f1: 0.3, f2: 0.1 } });
      expect(good.status).toBe(200);
      const preds = ((await good.json()) as { predictions: { proba: number }[] }).predictions;
      expect(preds[0].proba).toBeCloseTo(fixtureProba(0.3, 0.1), 12);
      expect((await fetch(`${served.base}/prediction?symbol=SPX&trend_type=up`)).status).toBe(200);
      expect((await fetch(`${served.base}/prediction?symbol=QQQ&trend_type=up`)).status).toBe(503);
      expect((await fetch(`${served.base}/prediction?symbol=DIA&trend_type=up`)).status).toBe(503);
      const models = (await (await fetch(`${served.base}/models`)).json()) as { name: string }[];
      expect(models.map((m) => m.name)).toEqual(["SPX_up"]);
      if (round === 0) await new Promise((r) => setTimeout(r, 2_300)); // another reload: no second report
    }
    expect(served.child.exitCode).toBeNull();
    const lines = served
      .stderr()
      .split("\n")
      .filter((l) => /excluded/.test(l));
    expect(lines).toHaveLength(3);
    expect(lines.join("\n")).toMatch(
      /warning: registry QQQ_up@1 excluded \(requests for it get 503\): .*no fitted state/,
    );
    expect(lines.join("\n")).toMatch(/registry SPX_alt@1 excluded .*not JSON/);
    expect(lines.join("\n")).toMatch(/registry DIA_up@1 excluded .*not JSON/);
  });

  it("predict --registry still predicts the working models and names the skipped ones", () => {
    const run = tsml("--json", "predict", "--registry");
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.predictions.map((p: { name: string }) => p.name)).toEqual(["SPX_up"]);
    expect(out.predictions[0].proba).toBeCloseTo(fixtureProba(Math.sin(299 / 7), Math.cos(299 / 11)), 10);
    expect(out.skipped.map((s: { name: string }) => s.name).sort()).toEqual(["DIA_up", "QQQ_up", "SPX_alt"]);
    expect(run.stderr).toMatch(/warning: QQQ_up@1 skipped: .*no fitted state/);
    const only = tsml("--json", "predict", "--registry", "--filter", "name=QQQ_up");
    expect(only.code).toBe(3);
    expect(only.stderr).toMatch(/no registered model could be scored/);
    // `registry ls` reads entries, not models: it lists the readable ones (QQQ_up's flaw is inside its model)
    // and warns about the unreadable ones instead of failing.
    const ls = tsml("--json", "registry", "ls");
    expect(ls.code, ls.stderr).toBe(0);
    const listed = JSON.parse(ls.stdout);
    expect(listed.models.map((m: { name: string }) => m.name)).toEqual(["QQQ_up", "SPX_up"]);
    expect(listed.broken.map((b: { name: string }) => b.name)).toEqual(["DIA_up", "SPX_alt"]);
    expect(ls.stderr).toMatch(/warning: DIA_up@1 is broken: .*not JSON/);
  });

  it("closes a slowloris socket within the request timeout, without waiting for the client's FIN", async () => {
    const socket = connect({ port: served.port, host: "127.0.0.1", allowHalfOpen: true });
    let text = "";
    socket.on("data", (d) => {
      text += d;
    });
    const t0 = performance.now();
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => socket.writable && socket.write("X-a: b\r\n"), 200);
    const took = await new Promise<number>((resolve) => {
      socket.on("end", () => resolve(performance.now() - t0));
      socket.on("error", () => resolve(performance.now() - t0));
    });
    clearInterval(drip);
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1.1 408 Request Timeout/);
    expect(took).toBeGreaterThan(1_200);
    expect(took).toBeLessThan(1_500 + 1_000); // the timeout plus node's check interval and slack
    expect((await fetch(`${served.base}/healthz`)).status).toBe(200);
  });

  it("refuses huge bodies with 413 and does not keep their memory", async () => {
    const pid = served.child.pid as number;
    const SIZE = 8 * 1024 * 1024;
    const before = rssKiB(pid);
    const huge = async (chunked: boolean) =>
      new Promise<number>((resolve) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: served.port,
            method: "POST",
            path: "/predict",
            agent: false,
            headers: chunked ? { "transfer-encoding": "chunked" } : { "content-length": SIZE },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
            req.destroy();
          },
        );
        req.on("error", () => resolve(-1));
        const chunk = Buffer.alloc(256 * 1024, 32);
        let sent = 0;
        const pump = () => {
          while (sent < SIZE && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (!req.destroyed) req.end();
        };
        pump();
      });
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++)
      statuses.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => huge(i % 2 === 0)))));
    // Every refusal was read as a 413 (none was lost to a reset connection).
    expect(statuses).toEqual(new Array(32).fill(413));
    await new Promise((r) => setTimeout(r, 500));
    const after = rssKiB(pid);
    // 32 uploads of 8 MiB (256 MiB offered, 8 at a time); the server keeps at most the 1 MiB limit of each,
    // for the moment it takes to refuse it.
    expect(after - before).toBeLessThan(48 * 1024);
    expect((await fetch(`${served.base}/healthz`)).status).toBe(200);
  });

  it("does not buffer bodies that many connections leave one byte short of the limit", async () => {
    const pid = served.child.pid as number;
    const before = rssKiB(pid);
    const size = 1024 * 1024 - 100;
    const body = Buffer.alloc(size - 1, 32);
    const sockets = Array.from({ length: 150 }, () => {
      const socket = connect(served.port, "127.0.0.1");
      socket.on("error", () => undefined);
      socket.write(`POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`);
      socket.write(body);
      return socket;
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const held = rssKiB(pid) - before;
    // Single-row requests still pass while the budget is spent (their bodies are under the allowance).
    const good = await post(served.base, { model: "SPX_up", row: { f1: 0.3, f2: 0.1 } });
    for (const socket of sockets) socket.destroy();
    expect(good.status).toBe(200);
    // ~150 MiB sent and held open; the 16 MiB budget admits about 16 of them, the rest wait unread.
    expect(held).toBeLessThan(64 * 1024);
  });

  it("stops cleanly on SIGTERM", async () => {
    expect(await stop(served)).toBe(0);
  });
});
