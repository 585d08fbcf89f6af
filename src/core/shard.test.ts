import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.js";
import { MAX_SHARDS, ownsTicker, parseShard, shardFromEnvironment, shardOf } from "./shard.js";

/** Shard per ticker and count, computed by Python's hashlib (test/fixtures/shard/shard-assignments.py). */
const REFERENCE = JSON.parse(
  readFileSync(
    resolve(import.meta.dirname, "..", "..", "test", "fixtures", "shard", "shard-assignments.json"),
    "utf8",
  ),
) as Record<string, Record<string, number>>;

function usage(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error("expected a UsageError");
}

describe("shardOf", () => {
  it("matches Python's int(sha256(ticker).hexdigest()[:8], 16) % N, non-ASCII tickers included", () => {
    expect(Object.keys(REFERENCE).length).toBeGreaterThan(200);
    for (const [ticker, byCount] of Object.entries(REFERENCE))
      for (const [count, shard] of Object.entries(byCount))
        expect(shardOf(ticker, Number(count)), `${ticker} of ${count}`).toBe(shard);
  });
});

describe("shard partition", () => {
  const tickers = Array.from({ length: 600 }, (_, i) => `T${String(i).padStart(4, "0")}`);

  it("N shards cover every ticker exactly once, and roughly evenly", () => {
    for (const count of [1, 2, 3, 4, 5, 8]) {
      const owners = tickers.map((t) =>
        Array.from({ length: count }, (_, index) => index).filter((index) =>
          ownsTicker({ index, count, label: `${index}/${count}` }, t),
        ),
      );
      expect(owners.every((o) => o.length === 1)).toBe(true);
      const sizes = Array.from({ length: count }, (_, k) => owners.filter((o) => o[0] === k).length);
      const fair = tickers.length / count;
      for (const size of sizes) expect(Math.abs(size - fair) / fair).toBeLessThan(0.25);
    }
  });

  it("without a shard every ticker is owned", () => {
    expect(ownsTicker(null, "ANY")).toBe(true);
  });
});

describe("parseShard", () => {
  it("reads INDEX/COUNT, 0-based", () => {
    expect(parseShard("0/1", {})).toEqual({ index: 0, count: 1, label: "0/1" });
    expect(parseShard("2/3", {})).toEqual({ index: 2, count: 3, label: "2/3" });
    expect(parseShard(undefined, {})).toBeNull();
  });

  it("refuses anything else with a usage error naming --shard", () => {
    for (const bad of [
      "3/3",
      "-1/3",
      "1/0",
      "1",
      "1/2/3",
      "a/3",
      "1/x",
      "",
      "1.0/3",
      "1/3e0",
      `0/${MAX_SHARDS + 1}`,
    ]) {
      const error = usage(() => parseShard(bad, {}));
      expect(error.message, bad).toMatch(/^--shard /);
    }
    expect(usage(() => parseShard("3/3", {})).message).toContain("from 0 to 2");
  });

  it("auto: Kubernetes Indexed Job (JOB_COMPLETION_INDEX + TSML_SHARDS)", () => {
    expect(parseShard("auto", { JOB_COMPLETION_INDEX: "4", TSML_SHARDS: "5" })?.label).toBe("4/5");
    expect(usage(() => parseShard("auto", { JOB_COMPLETION_INDEX: "4" })).message).toContain("TSML_SHARDS");
    expect(
      usage(() => parseShard("auto", { JOB_COMPLETION_INDEX: "5", TSML_SHARDS: "5" })).message,
    ).toContain("JOB_COMPLETION_INDEX=5");
  });

  it("auto: Airflow's TSML_SHARD_INDEX wins over the others", () => {
    const env = {
      TSML_SHARD_INDEX: "1",
      TSML_SHARDS: "3",
      JOB_COMPLETION_INDEX: "0",
      SLURM_ARRAY_TASK_ID: "2",
    };
    expect(parseShard("auto", env)?.label).toBe("1/3");
  });

  it("auto: Slurm arrays count from SLURM_ARRAY_TASK_MIN in steps", () => {
    const slurm = (id: string, min?: string, step?: string) =>
      shardFromEnvironment({
        SLURM_ARRAY_TASK_ID: id,
        SLURM_ARRAY_TASK_COUNT: "4",
        SLURM_ARRAY_TASK_MIN: min,
        SLURM_ARRAY_TASK_STEP: step,
      }).label;
    expect(slurm("0")).toBe("0/4");
    expect(slurm("4", "1")).toBe("3/4");
    expect(slurm("16", "10", "2")).toBe("3/4");
    expect(usage(() => slurm("5", "1")).message).toContain("SLURM_ARRAY_TASK_ID=5");
    expect(usage(() => slurm("11", "10", "2")).message).toContain("not on the array's range");
    expect(usage(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: "1" })).message).toContain(
      "SLURM_ARRAY_TASK_COUNT",
    );
  });

  it("auto without any shard in the environment says which variables it reads", () => {
    const error = usage(() => parseShard("auto", { HOME: "/root" }));
    expect(error.message).toBe("--shard auto: no shard in the environment");
    expect(error.hint).toMatch(/TSML_SHARD_INDEX.*JOB_COMPLETION_INDEX.*SLURM_ARRAY_TASK_ID/);
  });
});
