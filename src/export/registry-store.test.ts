import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeProvenance } from "../artifacts/provenance.js";
import {
  addVersion,
  entryPath,
  parseRef,
  readEntry,
  registryNames,
  removeEntries,
  scanRegistry,
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
    expect((await scanRegistry(ws)).entries.map((e) => `${e.name}@${e.version}`)).toEqual(["SPX_up@2"]);
  });

  it("gives concurrent registrations distinct versions", async () => {
    const p = await makeProvenance({ command: "test", options: {} });
    const all = await Promise.all(
      Array.from({ length: 8 }, (_, i) => addVersion(ws, "BTC_down", p, body(i / 10))),
    );
    expect(all.map((e) => e.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("never issues a removed version's number again, after rm of one version or of the whole name", async () => {
    const p = await makeProvenance({ command: "test", options: {} });
    for (let i = 1; i <= 8; i++) await addVersion(ws, "X", p, body(i / 10));
    expect(await removeEntries(ws, "X", 8)).toEqual([8]);
    // The old store handed out max(existing) + 1 = 8 again here, for a different model.
    expect((await addVersion(ws, "X", p, body(0.99))).version).toBe(9);
    expect(await versionsOf(ws, "X")).toEqual([1, 2, 3, 4, 5, 6, 7, 9]);
    expect(await removeEntries(ws, "X", null)).toEqual([1, 2, 3, 4, 5, 6, 7, 9]);
    expect(await registryNames(ws)).toEqual([]);
    await expect(readEntry(ws, "X", null)).rejects.toThrow(/no model named "X"/);
    // ...and `rm X` used to reset the name to v1.
    const next = await addVersion(ws, "X", p, body(0.5));
    expect(next.version).toBe(10);
    expect((await readEntry(ws, "X", 10)).tags.metrics.accuracy).toBe(0.5);
    await expect(readEntry(ws, "X", 8)).rejects.toThrow(/no version 8/);
  });

  it("keeps versions distinct when registrations race a removal", async () => {
    const p = await makeProvenance({ command: "test", options: {} });
    await addVersion(ws, "R", p, body(0.1));
    await addVersion(ws, "R", p, body(0.2));
    const [added] = await Promise.all([
      Promise.all(Array.from({ length: 6 }, () => addVersion(ws, "R", p, body(0.3)))),
      removeEntries(ws, "R", 2),
    ]);
    const versions = added.map((e) => e.version);
    expect(new Set(versions).size).toBe(6);
    expect(versions.every((v) => v > 2)).toBe(true);
  });

  it("scans every current version, reporting broken ones without hiding the others", async () => {
    const p = await makeProvenance({ command: "test", options: {} });
    await addVersion(ws, "good", p, body(0.1));
    await addVersion(ws, "bad_json", p, body(0.2));
    await addVersion(ws, "bad_shape", p, body(0.3));
    // A newer version that is not JSON at all becomes the current one of bad_json.
    writeFileSync(join(ws, "registry", "bad_json", "v2.json"), "{not json");
    // A readable entry with its model removed: the tags are still known.
    const shapeFile = entryPath(ws, "bad_shape", 1);
    const entry = JSON.parse(readFileSync(shapeFile, "utf8"));
    delete entry.model;
    chmodSync(shapeFile, 0o644);
    writeFileSync(shapeFile, JSON.stringify(entry));
    // A folder with no version files and a stray top-level file are not names at all.
    mkdirSync(join(ws, "registry", "empty"));
    writeFileSync(join(ws, "registry", "junk.json"), "{not json");
    const { entries, broken } = await scanRegistry(ws);
    expect(entries.map((e) => e.name)).toEqual(["good"]);
    expect(broken.map((b) => `${b.name}@${b.version}`)).toEqual(["bad_json@2", "bad_shape@1"]);
    expect(broken[0].error).toMatch(/bad_json\/v2\.json: unreadable registry entry \(not JSON/);
    expect(broken[0].tags).toBeNull();
    expect(broken[1].error).toMatch(/not a valid registry entry \(model missing\)/);
    expect(broken[1].tags).toEqual({ ticker: "SPX", trend: "up" });
    await expect(readEntry(ws, "bad_json", null)).rejects.toMatchObject({ exitCode: 3 });
  });

  it("refuses entries whose name or version disagree with their file", async () => {
    const p = await makeProvenance({ command: "test", options: {} });
    await addVersion(ws, "A", p, body(0.1));
    const moved = JSON.parse(readFileSync(entryPath(ws, "A", 1), "utf8"));
    mkdirSync(join(ws, "registry", "B"));
    writeFileSync(entryPath(ws, "B", 4), JSON.stringify(moved));
    await expect(readEntry(ws, "B", 4)).rejects.toThrow(/name is "A", the folder says "B"/);
    writeFileSync(entryPath(ws, "B", 4), JSON.stringify({ ...moved, name: "B" }));
    await expect(readEntry(ws, "B", 4)).rejects.toThrow(/version is 1, the file name says 4/);
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
