// Ranking a model pool, and the summary a multi-ticker run ends with.

import { describe, expect, it } from "vitest";
import { DataError, ExitCode, UsageError } from "../core/errors.js";
import { failureSummary } from "./support/failure-summary.js";
import { checkRegisterIf, rankPool } from "./train-pool.js";

describe("rankPool", () => {
  it("orders by CV score, best first; NaN last; ties keep the given order", () => {
    const pool = [
      { model: "rf", cvScore: 0.55 },
      { model: "gbdt", cvScore: Number.NaN },
      { model: "ols", cvScore: 0.61 },
      { model: "knn", cvScore: 0.55 },
    ];
    expect(rankPool(pool).map((m) => m.model)).toEqual(["ols", "rf", "knn", "gbdt"]);
  });

  it("refuses a misspelt --register-if before training", () => {
    expect(() => checkRegisterIf("positive_acc>0.5")).toThrow(
      /--register-if .*unknown metric "positive_acc"/,
    );
    expect(() => checkRegisterIf("accuracy > baseline_accuracy && overall>0.6")).not.toThrow();
  });
});

describe("failureSummary", () => {
  it("names every failure and keeps their exit code when they agree", () => {
    const one = failureSummary(
      "train",
      [{ what: "AMZN", error: new DataError("a fold holds one class") }],
      4,
    );
    expect(one.message).toBe("train: 1 failed (4 succeeded): AMZN: a fold holds one class");
    expect(one.exitCode).toBe(ExitCode.data);
    const mixed = failureSummary(
      "train",
      [
        { what: "GOOG", error: new UsageError("--split-date outside") },
        { what: "AMZN", error: new DataError("one class") },
      ],
      3,
    );
    expect(mixed.exitCode).toBe(ExitCode.data);
    expect(mixed.message).toMatch(/2 failed \(3 succeeded\): GOOG: --split-date outside; AMZN: one class/);
  });
});
