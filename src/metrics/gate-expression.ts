// The one gate grammar of tsml: `evaluate --fail-if`, `registry register --if` and `train --register-if` all
// parse and evaluate metric conditions here, so an expression means the same thing everywhere.
//   positive_accuracy>0.5 && negative_accuracy>0.5 && overall>0.6     (seed 001's registration gate)
//   roc_auc < previous - 0.05                                          (against the previous run's roc_auc)
//   max_drawdown>20% || (sharpe<0.5 && trades>=10)
// Comparisons `< <= > >= == !=` between sums of numbers (a trailing % divides by 100), metric names and
// `previous` (the previous run's value of the metric on the other side) or `previous.METRIC`; joined by && and
// ||, with parentheses. Metric names are snake_case, any letter case; `overall` means overall_score and `auc`
// roc_auc (seed 001's words).

import { UsageError } from "../core/errors.js";
import { formatMetric, snakeCaseMetric } from "./format-metric.js";

type Token = { kind: "name" | "number" | "op" | "logic" | "sign" | "paren"; text: string; value?: number };

export type Term =
  | { kind: "number"; value: number; text: string }
  | { kind: "metric"; name: string; text: string }
  | { kind: "previous"; name: string | null; text: string };

export interface Sum {
  terms: { sign: 1 | -1; term: Term }[];
}

export type GateNode =
  | { kind: "and" | "or"; parts: GateNode[] }
  | { kind: "compare"; op: string; left: Sum; right: Sum; text: string; metric: string | null };

export interface GateExpression {
  /** The expression as typed (trimmed). */
  text: string;
  /** Canonical metric names it reads, in order of appearance (what `previous` refers to included). */
  metrics: string[];
  /** Whether it compares with the previous run. */
  usesPrevious: boolean;
  root: GateNode;
}

/**
 * One comparison's outcome: true/false; null when a value it reads is undefined (NaN: no rows, one class);
 * "skipped" when it reads `previous` and there is no previous run (nothing to compare with).
 */
export type GateOutcome = boolean | null | "skipped";

export interface ComparisonResult {
  text: string;
  outcome: GateOutcome;
  /** The metric it compares (first named), its value now and in the previous run (NaN when unknown). */
  metric: string | null;
  value: number;
  previous: number;
  /** For people: `roc_auc = 0.61000 (previous 0.70000)`, or why it is undefined or skipped. */
  reason: string;
}

export interface GateEvaluation {
  outcome: GateOutcome;
  comparisons: ComparisonResult[];
}

export const GATE_HINT =
  'write comparisons joined by && or ||, e.g. "positive_accuracy>0.5 && overall>0.6" or "roc_auc < previous - 0.05" (OP: < <= > >= == !=)';

/** seed 001 calls the weighted score "overall"; "auc" is the usual short name of roc_auc. */
const ALIASES: Record<string, string> = { overall: "overall_score", auc: "roc_auc" };

const PREVIOUS = "previous";

/** The canonical name an expression's metric name stands for: snake_case, lower case, aliases resolved. */
export function canonicalMetric(name: string): string {
  const key = snakeCaseMetric(name).toLowerCase();
  return ALIASES[key] ?? key;
}

/** Metric values by canonical name, from keys in any spelling (positiveAccuracy, positive_accuracy). */
export function canonicalMetrics(metrics: Readonly<Record<string, number | null>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics))
    out[canonicalMetric(k)] = typeof v === "number" ? v : Number.NaN;
  return out;
}

function tokenize(source: string, flag: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:([A-Za-z_][A-Za-z0-9_.]*)|((?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?%?)|(>=|<=|==|!=|>|<)|(&&|\|\|)|([-+])|([()]))/iy;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    pattern.lastIndex = index;
    const m = pattern.exec(source);
    if (!m)
      throw new UsageError(`${flag}: cannot read "${source.slice(index).trim()}" in "${source}"`, GATE_HINT);
    if (m[1]) tokens.push({ kind: "name", text: m[1] });
    else if (m[2]) {
      const percent = m[2].endsWith("%");
      const value = Number(percent ? m[2].slice(0, -1) : m[2]) / (percent ? 100 : 1);
      tokens.push({ kind: "number", text: m[2], value });
    } else if (m[3]) tokens.push({ kind: "op", text: m[3] });
    else if (m[4]) tokens.push({ kind: "logic", text: m[4] });
    else if (m[5]) tokens.push({ kind: "sign", text: m[5] });
    else tokens.push({ kind: "paren", text: m[6] });
    index = pattern.lastIndex;
  }
  return tokens;
}

/**
 * Parses an expression; every metric name must be in `known` (canonical names), so a typo is a usage error
 * (exit 2) rather than a gate that never fires.
 * @example parseGateExpression("roc_auc < previous - 0.05", new Set(["roc_auc"]), "--fail-if").usesPrevious // true
 */
export function parseGateExpression(
  source: string,
  known: ReadonlySet<string>,
  flag: string,
): GateExpression {
  const text = source.trim();
  const tokens = tokenize(text, flag);
  if (tokens.length === 0) throw new UsageError(`${flag}: empty condition`, GATE_HINT);
  const metrics: string[] = [];
  let usesPrevious = false;
  let pos = 0;
  function fail(message: string): never {
    throw new UsageError(`${flag} "${text}": ${message}`, GATE_HINT);
  }
  const metricName = (raw: string): string => {
    const name = canonicalMetric(raw);
    if (!known.has(name))
      throw new UsageError(
        `${flag} "${text}": unknown metric "${raw}"`,
        `known metrics: ${[...known].sort().join(", ") || "none"}`,
      );
    if (!metrics.includes(name)) metrics.push(name);
    return name;
  };
  const term = (): Term => {
    const t = tokens[pos++];
    if (!t) return fail("ends too early");
    if (t.kind === "number") return { kind: "number", value: t.value ?? Number.NaN, text: t.text };
    if (t.kind === "name") {
      const lower = t.text.toLowerCase();
      if (lower === PREVIOUS) {
        usesPrevious = true;
        return { kind: "previous", name: null, text: t.text };
      }
      if (lower.startsWith(`${PREVIOUS}.`)) {
        usesPrevious = true;
        return { kind: "previous", name: metricName(t.text.slice(PREVIOUS.length + 1)), text: t.text };
      }
      return { kind: "metric", name: metricName(t.text), text: t.text };
    }
    return fail(`unexpected "${t.text}"`);
  };
  const sum = (): Sum => {
    const terms: Sum["terms"] = [];
    let sign: 1 | -1 = 1;
    while (tokens[pos]?.kind === "sign") sign = tokens[pos++].text === "-" ? (-sign as 1 | -1) : sign;
    terms.push({ sign, term: term() });
    while (tokens[pos]?.kind === "sign") {
      let s: 1 | -1 = tokens[pos++].text === "-" ? -1 : 1;
      while (tokens[pos]?.kind === "sign") s = tokens[pos++].text === "-" ? (-s as 1 | -1) : s;
      terms.push({ sign: s, term: term() });
    }
    return { terms };
  };
  const comparison = (): GateNode => {
    if (tokens[pos]?.text === "(") {
      pos++;
      const inner = disjunction();
      if (tokens[pos]?.text !== ")") fail('expected ")"');
      pos++;
      return inner;
    }
    const start = pos;
    const left = sum();
    const op = tokens[pos++];
    if (!op) fail("ends too early");
    if (op.kind !== "op") fail(`expected a comparison after "${tokens[start].text}"`);
    const right = sum();
    const named = [...left.terms, ...right.terms].find((x) => x.term.kind === "metric");
    const metric = named?.term.kind === "metric" ? named.term.name : null;
    const previousOf = [...left.terms, ...right.terms].find(
      (x) => x.term.kind === "previous" && !x.term.name,
    );
    if (previousOf && metric === null)
      fail('"previous" needs a metric to compare, e.g. "roc_auc < previous - 0.05"');
    const shown = tokens
      .slice(start, pos)
      .map((t) => t.text)
      .join(" ");
    return { kind: "compare", op: op.text, left, right, text: shown, metric };
  };
  const conjunction = (): GateNode => {
    const parts = [comparison()];
    while (tokens[pos]?.text === "&&") {
      pos++;
      parts.push(comparison());
    }
    return parts.length === 1 ? parts[0] : { kind: "and", parts };
  };
  function disjunction(): GateNode {
    const parts = [conjunction()];
    while (tokens[pos]?.text === "||") {
      pos++;
      parts.push(conjunction());
    }
    return parts.length === 1 ? parts[0] : { kind: "or", parts };
  }
  const root = disjunction();
  if (pos !== tokens.length) fail(`unexpected "${tokens[pos].text}"`);
  return { text, metrics, usesPrevious, root };
}

function holds(left: number, op: string, right: number): boolean {
  switch (op) {
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
    case "==":
      return left === right;
    default:
      return left !== right;
  }
}

/**
 * Evaluates an expression on metric values (canonical names; see canonicalMetrics) and the previous run's
 * (null when there is none). Three outcomes besides true/false: a comparison on an undefined value is null,
 * and one that needs a previous run that does not exist is "skipped"; && and || combine them as
 * false > null > true for && (true > null > false for ||), a skipped part dropping out.
 * A metric the expression names but `metrics` lacks is a usage error naming `scope`.
 */
export function evaluateGateExpression(
  expression: GateExpression,
  metrics: Readonly<Record<string, number>>,
  previous: Readonly<Record<string, number>> | null,
  scope: string,
  flag: string,
): GateEvaluation {
  for (const name of expression.metrics)
    if (!(name in metrics))
      throw new UsageError(
        `${flag} "${expression.text}": metric "${name}" is not computed for ${scope}`,
        `metrics available here: ${Object.keys(metrics).sort().join(", ")}`,
      );
  const comparisons: ComparisonResult[] = [];
  const visit = (node: GateNode): GateOutcome => {
    if (node.kind === "compare") return compare(node);
    const outcomes = node.parts.map(visit);
    const decided = outcomes.filter((o) => o !== "skipped");
    if (decided.length === 0) return "skipped";
    if (node.kind === "and") {
      if (decided.includes(false)) return false;
      return decided.includes(null) ? null : true;
    }
    if (decided.includes(true)) return true;
    return decided.includes(null) ? null : false;
  };
  const compare = (node: Extract<GateNode, { kind: "compare" }>): GateOutcome => {
    let skipped = false;
    const value = (s: Sum) =>
      s.terms.reduce((total, { sign, term }) => {
        if (term.kind === "number") return total + sign * term.value;
        if (term.kind === "metric") return total + sign * metrics[term.name];
        const name = term.name ?? node.metric ?? "";
        const before = previous?.[name];
        if (before === undefined) {
          skipped = true;
          return total;
        }
        return total + sign * before;
      }, 0);
    const left = value(node.left);
    const right = value(node.right);
    const metric = node.metric;
    const now = metric === null ? Number.NaN : metrics[metric];
    const before = metric === null || !previous ? Number.NaN : (previous[metric] ?? Number.NaN);
    let outcome: GateOutcome;
    let reason: string;
    if (skipped) {
      outcome = "skipped";
      reason = `no previous run to compare with${metric ? ` (${metric} = ${formatMetric(metric, now)})` : ""}`;
    } else if (Number.isNaN(left) || Number.isNaN(right)) {
      outcome = null;
      const rows = metrics.rows;
      const undefinedName =
        metric !== null && Number.isNaN(now) ? metric : (node.metric ?? expression.metrics[0] ?? "a value");
      reason = Number.isNaN(now)
        ? `${undefinedName} is undefined: ${rows === 0 ? "no rows could be scored" : `not defined on these ${rows} rows (one class only?)`}`
        : `${node.text} reads an undefined previous value`;
    } else {
      outcome = holds(left, node.op, right);
      reason =
        metric === null
          ? node.text
          : `${metric} = ${formatMetric(metric, now)}${Number.isNaN(before) || !expression.usesPrevious ? "" : ` (previous ${formatMetric(metric, before)})`}`;
    }
    comparisons.push({ text: node.text, outcome, metric, value: now, previous: before, reason });
    return outcome;
  };
  return { outcome: visit(expression.root), comparisons };
}
