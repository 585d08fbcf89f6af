// Gate expressions: parsing, unknown metrics as usage errors, and which gates trip.

import { describe, expect, it } from "vitest";
import { ExitCode, UsageError } from "../core/errors.js";
import { checkGates, parseGate } from "./gates.js";
import { KNOWN_METRICS } from "./metric-sets.js";

describe("gates", () => {
  it("parses the seed 003 gates", () => {
    expect(parseGate("smape>100", KNOWN_METRICS)).toMatchObject({ metric: "smape", op: ">", threshold: 100 });
    expect(parseGate(" ROC_AUC < 0.8 ", KNOWN_METRICS)).toMatchObject({
      metric: "roc_auc",
      op: "<",
      threshold: 0.8,
    });
    expect(parseGate("max_drawdown>=20%", KNOWN_METRICS)).toMatchObject({ op: ">=", threshold: 0.2 });
    expect(parseGate("sharpe<-0.5e0", KNOWN_METRICS).threshold).toBe(-0.5);
  });

  it("unknown metrics and malformed expressions are usage errors (exit 2)", () => {
    expect(() => parseGate("smpae>100", KNOWN_METRICS)).toThrow(/unknown metric "smpae"/);
    expect(() => parseGate("smape => 100", KNOWN_METRICS)).toThrow(UsageError);
    let caught: unknown;
    try {
      parseGate("sharpe", KNOWN_METRICS);
    } catch (error) {
      caught = error;
    }
    expect((caught as UsageError).exitCode).toBe(ExitCode.usage);
  });

  it("trips true gates and NaN metrics, passes false ones", () => {
    const gates = ["smape>100", "roc_auc<0.8", "accuracy>=0.5"].map((g) => parseGate(g, KNOWN_METRICS));
    const results = checkGates(gates, { smape: 100, roc_auc: Number.NaN, accuracy: 0.5 }, "SPX");
    expect(results.map((r) => r.tripped)).toEqual([false, true, true]);
  });

  it("a gate on a metric this input does not produce is a usage error", () => {
    expect(() => checkGates([parseGate("sharpe<1", KNOWN_METRICS)], { smape: 1 }, "SPX")).toThrow(
      /not computed for SPX/,
    );
  });
});
