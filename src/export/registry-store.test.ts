import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeProvenance } from "../artifacts/provenance.js";
import {
  addVersion,
  currentEntries,
  parseRef,
  readEntry,
  registryNames,
  removeEntries,
  versionsOf,
} from "./registry-store.js";

let ws: string;
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), "tsml-registry-"));
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

const body = (accuracy: number) => ({
  source: { path: "m.json", sha256: "x" },
  tags: {
    ticker: "SPX",
    trend: "up",
    classifier: "rf",
    target: "up_down_1wk",
    horizon: 5,
    predictionWindowDays: 5,
    targetPct: null,
    metrics: { accuracy },
    featureImportance: { f1: 0.1 },
    trainWindow: null,
    dataFingerprint: "",
  },
  model: { accuracy },
});

describe("registry store", () => {
  it("numbers versions, keeps each immutable and makes the newest current", async () => {
    const p = await makeProvenance({ command: "test", options: {} });
    expect((await addVersion(ws, "SPX_up", p, body(0.5))).version).toBe(1);
    expect((await addVersion(ws, "SPX_up", p, body(0.6))).version).toBe(2);
    expect(await versionsOf(ws, "SPX_up")).toEqual([1, 2]);
    expect((await readEntry(ws, "SPX_up", null)).tags.metrics.accuracy).toBe(0.6);
    expect((await readEntry(ws, "SPX_up", 1)).tags.metrics.accuracy).toBe(0.5);
    const file = join(ws, "registry", "SPX_up", "v1.json");
    expect(statSync(file).mode & 0o222).toBe(0);
    expect((await currentEntries(ws)).map((e) => `${e.name}@${e.version}`)).toEqual(["SPX_up@2"]);
  });

  it("gives concurrent registrations distinct versions", async () => {
    const p = await makeProvenance({ command: "test", options: {} });
    const all = await Promise.all(
      Array.from({ length: 8 }, (_, i) => addVersion(ws, "BTC_down", p, body(i / 10))),
    );
    expect(all.map((e) => e.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("removes one version or a whole name", async () => {
    const p = await makeProvenance({ command: "test", options: {} });
    await addVersion(ws, "A", p, body(0.1));
    await addVersion(ws, "A", p, body(0.2));
    await addVersion(ws, "B", p, body(0.3));
    expect(await removeEntries(ws, "A", 2)).toEqual([2]);
    expect((await readEntry(ws, "A", null)).version).toBe(1);
    expect(await removeEntries(ws, "B", null)).toEqual([1]);
    expect(await registryNames(ws)).toEqual(["A"]);
    await expect(removeEntries(ws, "A", 9)).rejects.toThrow(/no version 9/);
    await expect(readEntry(ws, "B", null)).rejects.toThrow(/no model named "B"/);
  });

  it("refuses path-like names and bad refs", () => {
    expect(() => parseRef("../etc")).toThrow(/not allowed/);
    expect(() => parseRef("a/b")).toThrow(/not allowed/);
    expect(() => parseRef("a@x")).toThrow(/version must be a number/);
    expect(parseRef("SPX_up@3")).toEqual({ name: "SPX_up", version: 3 });
  });

  it("ignores stray files in the registry folder", async () => {
    const p = await makeProvenance({ command: "test", options: {} });
    await addVersion(ws, "A", p, body(0.1));
    writeFileSync(join(ws, "registry", "predictions.parquet"), "x");
    writeFileSync(join(ws, "registry", "A", "notes.txt"), "x");
    expect(await registryNames(ws)).toEqual(["A"]);
    expect(await versionsOf(ws, "A")).toEqual([1]);
  });
});
