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
    expect(results.map((r) => r.undefined)).toEqual([false, true, false]);
  });

  it("fails a gate on a metric over zero rows and says why", () => {
    const gate = parseGate("log_loss>0.7", KNOWN_METRICS);
    const [result] = checkGates([gate], { rows: 0, log_loss: Number.NaN }, "SPX");
    expect(result.tripped).toBe(true);
    expect(result.reason).toBe("log_loss is undefined: no rows could be scored");
    const [passed] = checkGates([gate], { rows: 9, log_loss: 0.5 }, "SPX");
    expect(passed).toMatchObject({ tripped: false, undefined: false, reason: "log_loss = 0.50000" });
  });

  it("knows r2 and seed 003's roc_auc_hard", () => {
    expect(parseGate("r2<0", KNOWN_METRICS).metric).toBe("r2");
    expect(parseGate("roc_auc_hard<0.8", KNOWN_METRICS).metric).toBe("roc_auc_hard");
  });

  it("a gate on a metric this input does not produce is a usage error", () => {
    expect(() => checkGates([parseGate("sharpe<1", KNOWN_METRICS)], { smape: 1 }, "SPX")).toThrow(
      /not computed for SPX/,
    );
  });
});
