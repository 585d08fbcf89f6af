// `registry register --if` conditions, in the one gate grammar of tsml (metrics/gate-expression.ts, the same as
// `evaluate --fail-if` and `train --register-if`):
//   positive_accuracy>0.5 && negative_accuracy>0.5 && overall>0.6   (seed 001's thresholds)
// The condition must be true to register: a comparison on an undefined metric makes it false.

import {
  canonicalMetric,
  canonicalMetrics,
  evaluateGateExpression,
  GATE_HINT,
  parseGateExpression,
} from "../metrics/gate-expression.js";

export const CONDITION_HINT = GATE_HINT;

/** The canonical name of a metric in any spelling (`positiveAccuracy`, `overall` -> `overall_score`). */
export function metricKey(name: string): string {
  return canonicalMetric(name);
}

export interface ConditionResult {
  passed: boolean;
  /** Each comparison with the value it saw, for the refusal message. */
  checks: { text: string; value: number; passed: boolean; reason: string }[];
}

/**
 * Evaluates a condition against metric values (keys in any spelling: positiveAccuracy, positive_accuracy), and
 * the previous run's for `previous` (a comparison with no previous run is skipped: it neither passes nor fails).
 * @example
 * evaluateCondition("overall>0.6", { overallScore: 0.7 }).passed // true
 */
export function evaluateCondition(
  source: string,
  metrics: Readonly<Record<string, number | null>>,
  previous: Readonly<Record<string, number | null>> | null = null,
  flag = "--if",
  scope = "this model",
): ConditionResult {
  const values = canonicalMetrics(metrics);
  const expression = parseGateExpression(source, new Set(Object.keys(values)), flag);
  const result = evaluateGateExpression(
    expression,
    values,
    previous ? canonicalMetrics(previous) : null,
    scope,
    flag,
  );
  return {
    passed: result.outcome === true || result.outcome === "skipped",
    checks: result.comparisons.map((c) => ({
      text: c.text,
      value: c.value,
      passed: c.outcome === true || c.outcome === "skipped",
      reason: c.reason,
    })),
  };
}
