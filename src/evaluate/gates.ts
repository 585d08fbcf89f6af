// Monitoring gates: `--fail-if "smape>100"` parsed against the known metric names; a true gate fails the run.

import { UsageError } from "../core/errors.js";
import { formatMetric } from "../metrics/format-metric.js";

export type GateOperator = "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface Gate {
  /** The expression as typed. */
  text: string;
  metric: string;
  op: GateOperator;
  threshold: number;
}

export interface GateResult {
  gate: Gate;
  /** Which metric set (ticker) it was checked on. */
  scope: string;
  value: number;
  /** True when the condition holds (the run must fail); an undefined (NaN) metric trips the gate too. */
  tripped: boolean;
  /** True when the metric is undefined here (NaN: zero rows scored, one class only): the gate fails for it. */
  undefined: boolean;
  /** Why the gate tripped or passed, for the printed line: `log_loss = 0.81` or `log_loss is undefined (...)`. */
  reason: string;
}

const GATE_PATTERN =
  /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|!=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*(%?)\s*$/i;

/**
 * Parses one gate; unknown metric names are a usage error so a typo never passes silently.
 * A trailing `%` divides the threshold by 100 for fraction metrics (`max_drawdown>20%`).
 * @example parseGate("roc_auc<0.8", new Set(["roc_auc"])) // { metric: "roc_auc", op: "<", threshold: 0.8 }
 */
export function parseGate(text: string, known: ReadonlySet<string>): Gate {
  const m = GATE_PATTERN.exec(text);
  if (!m) {
    throw new UsageError(
      `--fail-if "${text}": not a gate expression`,
      'write METRIC OP NUMBER, e.g. --fail-if "smape>100" or --fail-if "roc_auc<0.8" (OP: < <= > >= == !=)',
    );
  }
  const metric = m[1].toLowerCase();
  if (!known.has(metric)) {
    throw new UsageError(
      `--fail-if "${text}": unknown metric "${m[1]}"`,
      `known metrics: ${[...known].sort().join(", ")}`,
    );
  }
  const threshold = Number(m[3]) / (m[4] === "%" ? 100 : 1);
  return { text: text.trim(), metric, op: m[2] as GateOperator, threshold };
}

function holds(value: number, op: GateOperator, threshold: number): boolean {
  switch (op) {
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "==":
      return value === threshold;
    case "!=":
      return value !== threshold;
  }
}

/**
 * Checks every gate on one metric set. A gate whose metric this input does not produce is a usage error
 * (a classification gate on a backtest would otherwise never fire); a gate on an undefined (NaN) metric fails,
 * since "log loss over zero rows" must not pass "log_loss>0.7".
 */
export function checkGates(
  gates: readonly Gate[],
  metrics: Readonly<Record<string, number>>,
  scope: string,
): GateResult[] {
  return gates.map((gate) => {
    if (!(gate.metric in metrics)) {
      throw new UsageError(
        `--fail-if "${gate.text}": metric "${gate.metric}" is not computed for ${scope}`,
        `metrics available here: ${Object.keys(metrics).sort().join(", ")}`,
      );
    }
    const value = metrics[gate.metric];
    const undefinedHere = Number.isNaN(value);
    const rows = metrics.rows;
    const reason = undefinedHere
      ? `${gate.metric} is undefined: ${rows === 0 ? "no rows could be scored" : `not defined on these ${rows} rows (one class only?)`}`
      : `${gate.metric} = ${formatMetric(gate.metric, value)}`;
    return {
      gate,
      scope,
      value,
      tripped: undefinedHere || holds(value, gate.op, gate.threshold),
      undefined: undefinedHere,
      reason,
    };
  });
}
