// tsml's metrics against scikit-learn 1.2.1's (test/fixtures/metrics/make-reference.py, output checked in).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classificationMetricSet, classificationReport } from "./classification.js";
import { regressionMetricSet, regressionReport } from "./regression.js";

interface Reference {
  sklearn: string;
  classification: {
    name: string;
    y: number[];
    proba: number[];
    pred: number[];
    expected: Record<string, number | null>;
  }[];
  regression: {
    name: string;
    actual: number[];
    predicted: number[];
    expected: Record<string, number | null>;
  }[];
}

const reference = JSON.parse(
  readFileSync(
    join(import.meta.dirname, "..", "..", "test", "fixtures", "metrics", "reference.json"),
    "utf8",
  ),
) as Reference;

/** Equal to 1e-12 (relative above 1); null (undefined in scikit-learn) must be NaN here. */
function expectMetric(actual: number, expected: number | null, label: string): void {
  if (expected === null) {
    expect(actual, label).toBeNaN();
    return;
  }
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-12 * Math.max(1, Math.abs(expected)),
  );
}

describe(`metrics against scikit-learn ${reference.sklearn}`, () => {
  it("has the awkward cases: probabilities of exactly 0 and 1, ties, one class only", () => {
    const names = reference.classification.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["zero-and-one-probabilities", "ties", "one-class-only"]));
    expect(reference.regression.map((c) => c.name)).toContain("constant-actual");
  });

  for (const c of reference.classification) {
    it(`classification: ${c.name}`, () => {
      const m = classificationMetricSet(classificationReport(c.y, c.pred, c.proba)) as unknown as Record<
        string,
        number
      >;
      expect(Object.keys(c.expected).length).toBeGreaterThanOrEqual(14);
      for (const [name, expected] of Object.entries(c.expected)) {
        expect(name in m, name).toBe(true);
        expectMetric(m[name], expected, `${c.name} ${name}`);
      }
    });
  }

  for (const c of reference.regression) {
    it(`regression: ${c.name}`, () => {
      const m = regressionMetricSet(regressionReport(c.actual, c.predicted)) as unknown as Record<
        string,
        number
      >;
      for (const [name, expected] of Object.entries(c.expected))
        expectMetric(m[name], expected, `${c.name} ${name}`);
    });
  }
});
