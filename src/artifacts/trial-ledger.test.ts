import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTrialLedger, recordTrials, type TrialEntry, trialLedgerPath } from "./trial-ledger.js";

const ws = mkdtempSync(join(tmpdir(), "tsml-ledger-"));
afterAll(() => rmSync(ws, { recursive: true, force: true }));

const entry = (key: string, target: string, sharpe: number): TrialEntry => ({
  key,
  target,
  source: "sweep",
  label: key,
  sharpe,
  periods: 100,
  skew: 0,
  kurtosis: 3,
  recordedAt: "2026-12-02T00:00:00.000Z",
});

describe("trial ledger", () => {
  it("starts empty, adds trials, and replaces a trial recorded again under the same key and target", async () => {
    expect(readTrialLedger(ws, "SPX")).toEqual([]);
    await recordTrials(ws, "SPX", [entry("a", "up", 0.1), entry("b", "up", 0.2)]);
    await recordTrials(ws, "SPX", [entry("b", "up", 0.3), entry("b", "down", 0.4)]);
    const trials = readTrialLedger(ws, "SPX");
    expect(trials.map((t) => [t.key, t.target, t.sharpe])).toEqual([
      ["a", "up", 0.1],
      ["b", "up", 0.3],
      ["b", "down", 0.4],
    ]);
    // Another ticker has its own ledger.
    expect(readTrialLedger(ws, "QQQ")).toEqual([]);
  });

  it("refuses a file that is not a ledger (exit 3) instead of overwriting it", async () => {
    writeFileSync(trialLedgerPath(ws, "BAD"), "{not json");
    expect(() => readTrialLedger(ws, "BAD")).toThrow(/not valid JSON/);
    await expect(recordTrials(ws, "BAD", [entry("a", "up", 0.1)])).rejects.toMatchObject({ exitCode: 3 });
    writeFileSync(trialLedgerPath(ws, "BAD"), '{"kind":"model"}');
    expect(() => readTrialLedger(ws, "BAD")).toThrow(/not a tsml trial ledger/);
  });
});
