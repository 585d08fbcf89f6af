// How metric values read in tables: percentages for fractions of capital, "n/a" for undefined, old names mapped.

import { describe, expect, it } from "vitest";
import { fixed4, formatMetric, snakeCaseMetric } from "./format-metric.js";

describe("formatMetric", () => {
  it("shows returns and drawdowns as percentages, other metrics as numbers", () => {
    expect(formatMetric("total_return", 0.321)).toBe("32.10%");
    expect(formatMetric("max_drawdown", 0.20004)).toBe("20.00%");
    expect(formatMetric("totalReturn", -0.05)).toBe("-5.00%");
    expect(formatMetric("accuracy", 0.51234567)).toBe("0.51235");
    expect(formatMetric("accuracy", 0.5, fixed4)).toBe("0.5000");
    expect(formatMetric("trades", 12)).toBe("12");
  });

  it("reads undefined metrics as n/a and infinite ones as inf", () => {
    expect(formatMetric("log_loss", Number.NaN)).toBe("n/a");
    expect(formatMetric("log_loss", null)).toBe("n/a");
    expect(formatMetric("total_return", undefined)).toBe("n/a");
    expect(formatMetric("profit_factor", Number.POSITIVE_INFINITY)).toBe("inf");
  });

  it("spells older camelCase names in snake_case", () => {
    expect(snakeCaseMetric("rocAuc")).toBe("roc_auc");
    expect(snakeCaseMetric("positiveAccuracy")).toBe("positive_accuracy");
    expect(snakeCaseMetric("roc_auc_hard")).toBe("roc_auc_hard");
    expect(snakeCaseMetric("r2")).toBe("r2");
  });
});
