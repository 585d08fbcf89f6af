// The one gate grammar: the same expression parses and decides alike for `evaluate --fail-if` (parseGate) and
// registry/train conditions (evaluateCondition); `previous` arithmetic, undefined values and missing runs.

import { describe, expect, it } from "vitest";
import { ExitCode, UsageError } from "../core/errors.js";
import { checkGates, parseGate } from "../evaluate/gates.js";
import { KNOWN_METRICS } from "../evaluate/metric-sets.js";
import { evaluateCondition } from "../export/condition.js";
import { canonicalMetric, evaluateGateExpression, parseGateExpression } from "./gate-expression.js";

const SEED_001 = "positive_accuracy>0.5 && negative_accuracy>0.5 && overall_score>0.6";

describe("one gate grammar for --fail-if and --if", () => {
  it("accepts && and || in --fail-if as registry conditions do, and both agree on every case", () => {
    const cases = [
      { positive_accuracy: 0.7, negative_accuracy: 0.6, overall_score: 0.65 },
      { positive_accuracy: 0.7, negative_accuracy: 0.4, overall_score: 0.65 },
      { positive_accuracy: 0.51, negative_accuracy: 0.51, overall_score: 0.6 },
    ];
    const gate = parseGate(SEED_001, KNOWN_METRICS);
    expect(gate.metrics).toEqual(["positive_accuracy", "negative_accuracy", "overall_score"]);
    for (const metrics of cases) {
      // Written out by hand: the seed's `if positive_accuracy > 0.5 and negative_accuracy > 0.5 and overall_score > 0.6`.
      const expected =
        metrics.positive_accuracy > 0.5 && metrics.negative_accuracy > 0.5 && metrics.overall_score > 0.6;
      expect(evaluateCondition(SEED_001, metrics).passed).toBe(expected);
      expect(checkGates([gate], metrics, "SPX")[0].tripped).toBe(expected);
    }
    const either = parseGate("roc_auc<0.6 || (sharpe<0.5 && max_drawdown>20%)", KNOWN_METRICS);
    const check = (m: Record<string, number>) => checkGates([either], m, "SPX")[0].tripped;
    expect(check({ roc_auc: 0.7, sharpe: 0.4, max_drawdown: 0.25 })).toBe(true);
    expect(check({ roc_auc: 0.7, sharpe: 0.4, max_drawdown: 0.15 })).toBe(false);
    expect(check({ roc_auc: 0.5, sharpe: 1, max_drawdown: 0 })).toBe(true);
  });

  it("compares with the previous run: roc_auc < previous - 0.05", () => {
    const gate = parseGate("roc_auc < previous - 0.05", KNOWN_METRICS);
    expect(gate.usesPrevious).toBe(true);
    const at = (now: number, before: number | null) =>
      checkGates([gate], { roc_auc: now }, "SPX", before === null ? null : { roc_auc: before })[0];
    expect(at(0.64, 0.7).tripped).toBe(true); // 0.64 < 0.65
    expect(at(0.66, 0.7).tripped).toBe(false);
    expect(at(0.66, 0.7).reason).toBe("roc_auc = 0.66000 (previous 0.70000)");
    // No previous run: nothing to compare with, so the gate neither trips nor registers anything by itself.
    expect(at(0.1, null)).toMatchObject({ tripped: false, undefined: false });
    expect(at(0.1, null).reason).toMatch(/no previous run/);
    // previous.METRIC names another metric; plain numbers add up with signs.
    const other = parseGateExpression("accuracy + 0.01 >= previous.accuracy", new Set(["accuracy"]), "--if");
    const r = evaluateGateExpression(other, { accuracy: 0.5 }, { accuracy: 0.51 }, "SPX", "--if");
    expect(r.outcome).toBe(true);
    expect(evaluateCondition("accuracy > previous", { accuracy: 0.6 }, { accuracy: 0.61 }).passed).toBe(
      false,
    );
    expect(evaluateCondition("accuracy > previous", { accuracy: 0.6 }, null).passed).toBe(true);
  });

  it("an undefined metric trips --fail-if and refuses --if", () => {
    const m = { roc_auc: Number.NaN, accuracy: 0.9, rows: 12 };
    const gate = parseGate("accuracy<0.5 || roc_auc<0.8", KNOWN_METRICS);
    expect(checkGates([gate], m, "SPX")[0]).toMatchObject({ tripped: true, undefined: true });
    expect(evaluateCondition("accuracy>0.5 && roc_auc>0.8", m).passed).toBe(false);
    // A decided || does not depend on the undefined part.
    expect(checkGates([parseGate("accuracy>0.5 || roc_auc<0.8", KNOWN_METRICS)], m, "SPX")[0].tripped).toBe(
      true,
    );
    expect(evaluateCondition("accuracy>0.5 || roc_auc>0.8", m).passed).toBe(true);
  });

  it("names are snake_case in any case; overall and auc are seed 001's words; typos are usage errors", () => {
    expect(canonicalMetric("positiveAccuracy")).toBe("positive_accuracy");
    expect(canonicalMetric("OVERALL")).toBe("overall_score");
    expect(canonicalMetric("auc")).toBe("roc_auc");
    let caught: unknown;
    try {
      parseGate("rocauc<0.8", KNOWN_METRICS);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).exitCode).toBe(ExitCode.usage);
    expect(() => parseGate("previous < 0.5", KNOWN_METRICS)).toThrow(/needs a metric|names no metric/);
    expect(() => parseGate("0.5 < 1", KNOWN_METRICS)).toThrow(/names no metric/);
    expect(() => evaluateCondition("accuracy > 0.5 &&", { accuracy: 1 })).toThrow(/ends too early/);
  });
});
