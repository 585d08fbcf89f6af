// A tiny boolean condition language over metric names for `registry register --if`:
//   positive_accuracy>0.5 && negative_accuracy>0.5 && overall>0.6   (seed 001's thresholds)
// Operators: > >= < <= == !=, && and ||, parentheses. Names are matched ignoring case and underscores.

import { UsageError } from "../core/errors.js";

type Token = { kind: "name" | "number" | "op" | "paren"; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:([A-Za-z_][A-Za-z0-9_.]*)|(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)|(>=|<=|==|!=|&&|\|\||>|<)|([()]))/gy;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    pattern.lastIndex = index;
    const m = pattern.exec(source);
    if (!m)
      throw new UsageError(
        `--if: cannot read "${source.slice(index).trim()}" in "${source}"`,
        CONDITION_HINT,
      );
    if (m[1]) tokens.push({ kind: "name", text: m[1] });
    else if (m[2]) tokens.push({ kind: "number", text: m[2] });
    else if (m[3]) tokens.push({ kind: "op", text: m[3] });
    else tokens.push({ kind: "paren", text: m[4] });
    index = pattern.lastIndex;
  }
  return tokens;
}

export const CONDITION_HINT =
  'write comparisons joined by && or ||, e.g. "positive_accuracy>0.5 && overall>0.6"';

/** Aliases: seed 001 calls the weighted score "overall". */
const ALIASES: Record<string, string> = { overall: "overallscore", auc: "rocauc" };

export function metricKey(name: string): string {
  const key = name.toLowerCase().replaceAll("_", "").replaceAll("-", "");
  return ALIASES[key] ?? key;
}

export interface ConditionResult {
  passed: boolean;
  /** Each comparison with the value it saw, for the refusal message. */
  checks: { text: string; value: number; passed: boolean }[];
}

/**
 * Evaluates a condition against metric values (keys in any spelling: positiveAccuracy, positive_accuracy).
 * @example
 * evaluateCondition("overall>0.6", { overallScore: 0.7 }).passed // true
 */
export function evaluateCondition(source: string, metrics: Record<string, number>): ConditionResult {
  const values = new Map(Object.entries(metrics).map(([k, v]) => [metricKey(k), v]));
  const tokens = tokenize(source);
  const checks: ConditionResult["checks"] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (text: string) => {
    if (peek()?.text !== text)
      throw new UsageError(`--if: expected "${text}" in "${source}"`, CONDITION_HINT);
    pos++;
  };
  const operand = (): number => {
    const t = tokens[pos++];
    if (!t) throw new UsageError(`--if: "${source}" ends too early`, CONDITION_HINT);
    if (t.kind === "number") return Number(t.text);
    if (t.kind === "name") {
      const v = values.get(metricKey(t.text));
      if (v === undefined)
        throw new UsageError(
          `--if: unknown metric "${t.text}"`,
          `metrics available: ${Object.keys(metrics).sort().join(", ") || "none"}`,
        );
      return v;
    }
    throw new UsageError(`--if: unexpected "${t.text}" in "${source}"`, CONDITION_HINT);
  };
  const comparison = (): boolean => {
    if (peek()?.text === "(") {
      pos++;
      const v = disjunction();
      expect(")");
      return v;
    }
    const start = pos;
    const left = operand();
    const op = tokens[pos++];
    if (op?.kind !== "op" || op.text === "&&" || op.text === "||")
      throw new UsageError(`--if: expected a comparison after "${tokens[start].text}"`, CONDITION_HINT);
    const right = operand();
    const passed =
      op.text === ">"
        ? left > right
        : op.text === ">="
          ? left >= right
          : op.text === "<"
            ? left < right
            : op.text === "<="
              ? left <= right
              : op.text === "=="
                ? left === right
                : left !== right;
    const text = tokens
      .slice(start, pos)
      .map((t) => t.text)
      .join(" ");
    checks.push({ text, value: tokens[start].kind === "name" ? left : right, passed });
    return passed;
  };
  const conjunction = (): boolean => {
    let v = comparison();
    while (peek()?.text === "&&") {
      pos++;
      v = comparison() && v;
    }
    return v;
  };
  function disjunction(): boolean {
    let v = conjunction();
    while (peek()?.text === "||") {
      pos++;
      v = conjunction() || v;
    }
    return v;
  }
  if (tokens.length === 0) throw new UsageError("--if: empty condition", CONDITION_HINT);
  const passed = disjunction();
  if (pos !== tokens.length)
    throw new UsageError(`--if: unexpected "${tokens[pos].text}" in "${source}"`, CONDITION_HINT);
  return { passed, checks };
}
