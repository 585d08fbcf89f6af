import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { clearSecrets, registerSecret } from "../../core/redact.js";
import { latestPointerPath, readLatestPointer } from "./latest-pointer.js";
import { isRunId } from "./run-id.js";
import { findRunArtifacts, listRuns, resolveRuns } from "./run-query.js";
import { type RunTracker, runFolder, startRun } from "./run-tracker.js";

const root = mkdtempSync(join(tmpdir(), "tsml-runs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => clearSecrets());

let counter = 0;
/** A fresh, existing workspace folder. */
function workspace(): string {
  const ws = join(root, `ws${counter++}`);
  mkdirSync(ws);
  return ws;
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const start = (ws: string, extra: Partial<Parameters<typeof startRun>[1]> = {}) =>
  startRun(ws, { stage: "train", command: "tsml train", options: {}, seed: null, ...extra });

/** What a stage does: write its model where the run says (the run's own folder). */
function writeModel(run: RunTracker, ws: string, text: string, ticker = "AAPL", model = "rf"): string {
  const own = run.output(join(ws, "models", ticker, `${model}.json`));
  mkdirSync(join(own, ".."), { recursive: true });
  writeFileSync(own, text);
  return own;
}

/** What a sequence stage does: write its model folder (record file and weights) where the run says. */
function writeModelFolder(run: RunTracker, ws: string, record: string, weights: string): string {
  const own = run.output(join(ws, "models", "SPX", "lstm"));
  mkdirSync(own, { recursive: true });
  writeFileSync(join(own, "tsml.json"), record);
  writeFileSync(join(own, "weights.bin"), weights);
  return own;
}

/** A model folder's files and their contents. */
const folderFiles = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), "utf8")]));

/** Temp files (`.name.host-pid.hex.tmp`) anywhere under a folder. */
const temps = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.tmp$/.test(f));

describe("run store", () => {
  it("writes a stage's artifact into the run's folder and promotes it to the latest path on success", async () => {
    const ws = workspace();
    const run = start(ws);
    expect(isRunId(run.id)).toBe(true);
    const own = writeModel(run, ws, '{"a":1}');
    expect(own).toBe(join(runFolder(ws, run.id), "models", "AAPL", "rf.json"));
    // Nothing is the latest until the run ends well.
    expect(existsSync(join(ws, "models", "AAPL", "rf.json"))).toBe(false);
    run.setResults([
      { ticker: "AAPL", model: "rf", modelId: null, params: { n: 1 }, metrics: { cv_score: 0.5 } },
    ]);
    const record = await run.finish("finished");
    expect(readFileSync(join(ws, "models", "AAPL", "rf.json"), "utf8")).toBe('{"a":1}');
    const modelId = `AAPL/rf@${sha('{"a":1}').slice(0, 12)}`;
    expect(record?.artifacts).toEqual([
      {
        kind: "model",
        ticker: "AAPL",
        modelId,
        path: `runs/${run.id}/models/AAPL/rf.json`,
        current: "models/AAPL/rf.json",
        sha256: sha('{"a":1}'),
        promoted: true,
      },
    ]);
    // The trained model's id is filled in from its file's fingerprint.
    expect(record?.results[0].modelId).toBe(modelId);
    expect(readLatestPointer(ws, "AAPL", "rf").stages.train?.run).toBe(run.id);
    expect(listRuns(ws).map((r) => [r.id, r.status])).toEqual([[run.id, "finished"]]);
    expect(temps(ws)).toEqual([]);
  });

  it("a failed run leaves the latest file and pointer where they were, and keeps its own copy", async () => {
    const ws = workspace();
    const good = start(ws);
    writeModel(good, ws, "good");
    await good.finish("finished");
    const bad = start(ws);
    writeModel(bad, ws, "bad");
    const record = await bad.finish("failed", "no training rows before --split-date");
    expect(readFileSync(join(ws, "models", "AAPL", "rf.json"), "utf8")).toBe("good");
    expect(readLatestPointer(ws, "AAPL", "rf").stages.train?.run).toBe(good.id);
    expect(record?.status).toBe("failed");
    expect(record?.error).toBe("no training rows before --split-date");
    expect(record?.artifacts.map((a) => a.promoted)).toEqual([false]);
    expect(readFileSync(join(runFolder(ws, bad.id), "models", "AAPL", "rf.json"), "utf8")).toBe("bad");
    // The report's lookups only trust finished runs.
    expect(findRunArtifacts(ws, { kind: "model", ticker: "AAPL" }).map((a) => a.run.id)).toEqual([good.id]);
  });

  it("a run that goes on past a failing ticker promotes only what succeeded", async () => {
    const ws = workspace();
    const run = start(ws);
    const aapl = writeModel(run, ws, "aapl", "AAPL");
    writeModel(run, ws, "amzn half-made", "AMZN");
    await run.commit([aapl]);
    const record = await run.finish("failed", "train: 1 failed (1 succeeded): AMZN: one class");
    expect(readFileSync(join(ws, "models", "AAPL", "rf.json"), "utf8")).toBe("aapl");
    expect(existsSync(join(ws, "models", "AMZN", "rf.json"))).toBe(false);
    expect(record?.artifacts.map((a) => [a.ticker, a.promoted])).toEqual([
      ["AAPL", true],
      ["AMZN", false],
    ]);
    expect(readLatestPointer(ws, "AAPL", "rf").stages.train?.run).toBe(run.id);
    expect(readLatestPointer(ws, "AMZN", "rf").stages.train).toBeUndefined();
  });

  it("nothing is overwritten: every run keeps its own file, the latest copy is the last success", async () => {
    const ws = workspace();
    const ids: string[] = [];
    for (const text of ["one", "two", "three"]) {
      const run = start(ws);
      writeModel(run, ws, text);
      await run.finish("finished");
      ids.push(run.id);
    }
    expect(
      ids.map((id) => readFileSync(join(runFolder(ws, id), "models", "AAPL", "rf.json"), "utf8")),
    ).toEqual(["one", "two", "three"]);
    expect(readFileSync(join(ws, "models", "AAPL", "rf.json"), "utf8")).toBe("three");
  });

  it("promotion is all or nothing: a latest path that cannot be replaced leaves every latest file as it was", async () => {
    const ws = workspace();
    const first = start(ws);
    writeModel(first, ws, "old-rf");
    writeModel(first, ws, "old-ols", "AAPL", "ols");
    await first.finish("finished");
    const second = start(ws);
    writeModel(second, ws, "new-rf");
    writeModel(second, ws, "new-ols", "AAPL", "ols");
    // A folder where the ols model's latest copy goes: that rename fails.
    rmSync(join(ws, "models", "AAPL", "ols.json"));
    mkdirSync(join(ws, "models", "AAPL", "ols.json", "inside"), { recursive: true });
    await expect(second.commit()).rejects.toThrow();
    // rf was staged before ols failed: it must not have moved alone, nor may a pointer.
    expect(readFileSync(join(ws, "models", "AAPL", "rf.json"), "utf8")).toBe("old-rf");
    expect(readLatestPointer(ws, "AAPL", "rf").stages.train?.run).toBe(first.id);
    expect(temps(join(ws, "models"))).toEqual([]);
  });

  it("run ids are unique when runs start in the same second and their random parts collide", async () => {
    const ws = workspace();
    const now = () => new Date("2026-01-02T03:04:05.678Z");
    // 40 runs drawing from 48 random parts: collisions are certain, each must claim a different id.
    let draws = 0;
    const random = () => ((draws++ * 7919) % 48).toString(16).padStart(8, "0");
    const runs = await Promise.all(Array.from({ length: 40 }, async () => start(ws, { now, random })));
    const ids = runs.map((r) => r.id);
    expect(new Set(ids).size).toBe(40);
    for (const id of ids) expect(id).toMatch(/^20260102-030405-[0-9a-f]{8}$/);
    expect(readdirSync(join(ws, "runs")).filter(isRunId).sort()).toEqual([...ids].sort());
  });

  it("runs finishing at once move the latest file and the pointer together (one lock)", async () => {
    const ws = workspace();
    const runs = Array.from({ length: 8 }, () => start(ws));
    runs.forEach((run, k) => {
      writeModel(run, ws, `model ${k}`);
    });
    await Promise.all(runs.map((run) => run.finish("finished")));
    const pointer = readLatestPointer(ws, "AAPL", "rf").stages.train?.run;
    const winner = runs.findIndex((r) => r.id === pointer);
    expect(winner).toBeGreaterThanOrEqual(0);
    expect(readFileSync(join(ws, "models", "AAPL", "rf.json"), "utf8")).toBe(`model ${winner}`);
    expect(existsSync(join(ws, "runs", ".lock"))).toBe(false);
  });

  it("a run that fails before writing anything in a missing workspace leaves no workspace behind", async () => {
    const ws = join(root, "never-made");
    const run = start(ws);
    expect(await run.finish("failed", "bad flag")).toBeNull();
    expect(existsSync(ws)).toBe(false);
  });

  it("records no secret: options, tags, params and the error are redacted", async () => {
    const ws = workspace();
    registerSecret("s3cr3t-token-value");
    const run = start(ws, {
      command: "tsml train --to-db postgres://u:hunter22@db/x",
      options: { apiKey: "KEY123456", toDb: "postgres://u:hunter22@db/x" },
      tags: { note: "s3cr3t-token-value" },
    });
    run.setResults([
      { ticker: "A", model: "rf", modelId: null, params: { url: "postgres://u:hunter22@db/x" }, metrics: {} },
    ]);
    await run.finish("failed", "connect postgres://u:hunter22@db/x failed: s3cr3t-token-value");
    const text = readFileSync(join(runFolder(ws, run.id), "run.json"), "utf8");
    for (const secret of ["hunter22", "KEY123456", "s3cr3t-token-value"]) expect(text).not.toContain(secret);
  });

  it("finds runs by a unique part of their id and refuses unknown or ambiguous ones", async () => {
    const ws = workspace();
    const now = () => new Date("2026-01-02T03:04:05Z");
    const a = start(ws, { now, random: () => "aaaa0001" });
    const b = start(ws, { now, random: () => "aaaa0002" });
    await a.finish("finished");
    await b.finish("finished");
    expect(resolveRuns(ws, ["aaaa0002", a.id]).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(() => resolveRuns(ws, ["aaaa"])).toThrow(/ambiguous/);
    expect(() => resolveRuns(ws, ["ffff0000"])).toThrow(/no run "ffff0000"/);
  });

  it("keeps the latest pointer per ticker and model under runs/latest", async () => {
    const ws = workspace();
    const run = start(ws);
    writeModel(run, ws, "x", "BRK.B", "gbdt");
    await run.finish("finished");
    const pointer = JSON.parse(readFileSync(latestPointerPath(ws, "BRK.B", "gbdt"), "utf8"));
    expect(pointer).toMatchObject({ ticker: "BRK.B", model: "gbdt", stages: { train: { run: run.id } } });
    expect(latestPointerPath(ws, "BRK.B", "gbdt")).toBe(join(ws, "runs", "latest", "BRK.B", "gbdt.json"));
  });

  it("a sequence model folder is kept whole in each run, promoted whole, and named by its record file", async () => {
    const ws = workspace();
    const first = start(ws);
    writeModelFolder(first, ws, '{"v":1}', "w1");
    first.setResults([{ ticker: "SPX", model: "lstm", modelId: null, params: {}, metrics: {} }]);
    const one = await first.finish("finished");
    const second = start(ws);
    const own = writeModelFolder(second, ws, '{"v":2}', "w2");
    expect(own).toBe(join(runFolder(ws, second.id), "models", "SPX", "lstm"));
    // Until the second run ends, the latest folder is the first run's.
    expect(folderFiles(join(ws, "models", "SPX", "lstm"))).toEqual({
      "tsml.json": '{"v":1}',
      "weights.bin": "w1",
    });
    const two = await second.finish("finished");
    expect(folderFiles(join(ws, "models", "SPX", "lstm"))).toEqual({
      "tsml.json": '{"v":2}',
      "weights.bin": "w2",
    });
    // Nothing overwritten: the first run still holds its own folder.
    expect(folderFiles(join(runFolder(ws, first.id), "models", "SPX", "lstm"))).toEqual({
      "tsml.json": '{"v":1}',
      "weights.bin": "w1",
    });
    const modelId = `SPX/lstm@${sha('{"v":1}').slice(0, 12)}`;
    expect(one?.artifacts).toEqual([
      {
        kind: "model",
        ticker: "SPX",
        modelId,
        path: `runs/${first.id}/models/SPX/lstm`,
        current: "models/SPX/lstm",
        sha256: sha('{"v":1}'),
        promoted: true,
      },
    ]);
    expect(one?.results[0].modelId).toBe(modelId);
    expect(two?.results.length).toBe(0);
    expect(readLatestPointer(ws, "SPX", "lstm").stages.train?.run).toBe(second.id);
    // The report finds the earlier model by its id in the run that kept it.
    expect(findRunArtifacts(ws, { kind: "model", ticker: "SPX", modelId }).map((a) => a.path)).toEqual([
      `runs/${first.id}/models/SPX/lstm`,
    ]);
    expect(temps(ws)).toEqual([]);
  });

  it("a failed sequence run leaves the latest folder as it was", async () => {
    const ws = workspace();
    const good = start(ws);
    writeModelFolder(good, ws, '{"v":"good"}', "good");
    await good.finish("finished");
    const bad = start(ws);
    writeModelFolder(bad, ws, '{"v":"bad"}', "bad");
    const record = await bad.finish("failed", "diverged");
    expect(folderFiles(join(ws, "models", "SPX", "lstm"))).toEqual({
      "tsml.json": '{"v":"good"}',
      "weights.bin": "good",
    });
    expect(record?.artifacts.map((a) => [a.path, a.promoted])).toEqual([
      [`runs/${bad.id}/models/SPX/lstm`, false],
    ]);
    expect(readLatestPointer(ws, "SPX", "lstm").stages.train?.run).toBe(good.id);
  });

  it("a folder promotion that fails puts the old folder back and moves no pointer", async () => {
    const ws = workspace();
    const first = start(ws);
    writeModelFolder(first, ws, '{"v":1}', "w1");
    writeModel(first, ws, "old-rf", "SPX", "rf");
    await first.finish("finished");
    const second = start(ws);
    writeModelFolder(second, ws, '{"v":2}', "w2");
    writeModel(second, ws, "new-rf", "SPX", "rf");
    // A folder where rf's latest file goes: that rename fails after the lstm folder was swapped in.
    rmSync(join(ws, "models", "SPX", "rf.json"));
    mkdirSync(join(ws, "models", "SPX", "rf.json", "inside"), { recursive: true });
    await expect(second.commit()).rejects.toThrow();
    expect(folderFiles(join(ws, "models", "SPX", "lstm"))).toEqual({
      "tsml.json": '{"v":1}',
      "weights.bin": "w1",
    });
    expect(readLatestPointer(ws, "SPX", "lstm").stages.train?.run).toBe(first.id);
    expect(temps(join(ws, "models"))).toEqual([]);
  });
});
