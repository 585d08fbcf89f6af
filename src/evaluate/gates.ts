// Monitoring gates: `--fail-if "smape>100"`, `--fail-if "roc_auc < previous - 0.05"`, in the one gate grammar
// (metrics/gate-expression.ts, shared with `registry register --if` and `train --register-if`); a gate that holds
// fails the run, and so does one on an undefined metric.

import { UsageError } from "../core/errors.js";
import {
  evaluateGateExpression,
  GATE_HINT,
  type GateExpression,
  parseGateExpression,
} from "../metrics/gate-expression.js";

export interface Gate extends GateExpression {
  /** The first metric it names (what per-horizon checks and the history table look at). */
  metric: string;
  /** For the plain form METRIC OP NUMBER: the operator and the number (% applied); absent otherwise. */
  op?: string;
  threshold?: number;
}

export interface GateResult {
  gate: Gate;
  /** Which metric set (ticker) it was checked on. */
  scope: string;
  /** The first metric's value here. */
  value: number;
  /** True when the condition holds (the run must fail); an undefined (NaN) metric trips the gate too. */
  tripped: boolean;
  /** True when a metric it reads is undefined here (NaN: zero rows scored, one class only). */
  undefined: boolean;
  /** Why the gate tripped or passed, for the printed line: `log_loss = 0.81` or `log_loss is undefined (...)`. */
  reason: string;
}

const FLAG = "--fail-if";

/**
 * Parses one gate; unknown metric names are a usage error so a typo never passes silently.
 * A number with a trailing `%` is divided by 100 (`max_drawdown>20%`).
 * @example parseGate("roc_auc<0.8", new Set(["roc_auc"])) // { metric: "roc_auc", metrics: ["roc_auc"], ... }
 */
export function parseGate(text: string, known: ReadonlySet<string>): Gate {
  const expression = parseGateExpression(text, known, FLAG);
  if (expression.metrics.length === 0)
    throw new UsageError(`${FLAG} "${expression.text}": names no metric`, GATE_HINT);
  const root = expression.root;
  const plain =
    root.kind === "compare" &&
    root.left.terms.length === 1 &&
    root.left.terms[0].sign === 1 &&
    root.left.terms[0].term.kind === "metric" &&
    root.right.terms.every((t) => t.term.kind === "number");
  if (!plain || root.kind !== "compare") return { ...expression, metric: expression.metrics[0] };
  const threshold = root.right.terms.reduce(
    (total, t) => total + t.sign * (t.term.kind === "number" ? t.term.value : 0),
    0,
  );
  return { ...expression, metric: expression.metrics[0], op: root.op, threshold };
}

/**
 * Checks every gate on one metric set, with the previous run's metrics for `previous` (null: none, so those
 * comparisons are skipped). A gate whose metric this input does not produce is a usage error (a classification
 * gate on a backtest would otherwise never fire); a gate on an undefined (NaN) metric trips, since "log loss
 * over zero rows" must not pass "log_loss>0.7".
 */
export function checkGates(
  gates: readonly Gate[],
  metrics: Readonly<Record<string, number>>,
  scope: string,
  previous: Readonly<Record<string, number>> | null = null,
): GateResult[] {
  return gates.map((gate) => {
    const result = evaluateGateExpression(gate, metrics, previous, scope, FLAG);
    const undefinedHere = result.outcome === null;
    const reasons = result.comparisons.map((c) => c.reason);
    return {
      gate,
      scope,
      value: metrics[gate.metric],
      tripped: result.outcome === true || undefinedHere,
      undefined: undefinedHere,
      reason: [...new Set(reasons)].join("; "),
    };
  });
}
