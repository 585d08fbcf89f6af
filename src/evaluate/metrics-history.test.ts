// The metrics history round-trips entries through a DuckDB file and filters by ticker and metric.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appendHistory, readHistory } from "./metrics-history.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-history-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("metrics history", () => {
  it("appends runs and reads them back in time order", async () => {
    const path = join(dir, "metrics", "history.duckdb");
    const base = { source: "predictions", fingerprint: "abc", modelId: "SPX/rf" };
    await appendHistory(path, [
      { ...base, time: Date.UTC(2024, 0, 2), ticker: "SPX", metrics: { smape: 12.5, roc_auc: Number.NaN } },
    ]);
    await appendHistory(path, [
      { ...base, time: Date.UTC(2024, 0, 1), ticker: "SPX", metrics: { smape: 20 } },
      { ...base, time: Date.UTC(2024, 0, 3), ticker: "BTC", metrics: { smape: 5 } },
    ]);
    const spx = await readHistory(path, { ticker: "SPX", metrics: ["smape"] });
    expect(spx.map((r) => [r.time, r.value])).toEqual([
      [Date.UTC(2024, 0, 1), 20],
      [Date.UTC(2024, 0, 2), 12.5],
    ]);
    const all = await readHistory(path);
    expect(all).toHaveLength(4);
    expect(Number.isNaN(all.find((r) => r.metric === "roc_auc")!.value)).toBe(true);
    expect(all[0].modelId).toBe("SPX/rf");
  });
});
