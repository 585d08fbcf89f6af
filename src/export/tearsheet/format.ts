// How the tearsheet writes numbers, names and values for people: "Total return" not total_return, 32.10% not
// 0.321, "C=1, max_depth=3" not {"C":1,"max_depth":3}, dates as YYYY-MM-DD.

import { formatMetric, PERCENT_METRICS, snakeCaseMetric } from "../../metrics/format-metric.js";
import { escapeXml as esc } from "../svg-scale.js";

/** Words that read better in capitals or spelled out. */
const WORDS: Record<string, string> = {
  cagr: "CAGR",
  roc: "ROC",
  auc: "AUC",
  f1: "F1",
  pnl: "P&L",
  cv: "CV",
  id: "ID",
  dsr: "DSR",
  psr: "PSR",
  pbo: "PBO",
  tsml: "tsml",
  sha256: "SHA-256",
  rmse: "RMSE",
  mae: "MAE",
  smape: "SMAPE",
  mse: "MSE",
  sharpe: "Sharpe",
  sortino: "Sortino",
  calmar: "Calmar",
};

/**
 * A field name as a header: `total_return` / `totalReturn` -> "Total return", `roc_auc` -> "ROC AUC".
 * @example humanLabel("max_drawdown_duration") // "Max drawdown duration"
 */
export function humanLabel(name: string): string {
  const words = snakeCaseMetric(name)
    .split(/[_\s.]+/)
    .filter(Boolean)
    .map((w) => WORDS[w] ?? w);
  if (words.length === 0) return name;
  const [first, ...rest] = words;
  return [first === first.toLowerCase() ? first[0].toUpperCase() + first.slice(1) : first, ...rest].join(" ");
}

/** A fraction as a percentage: 0.3214 -> "32.14%"; undefined -> "n/a". */
export function pct(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  return `${(value * 100).toFixed(digits)}%`;
}

/** Axis tick label of a fraction: 0.25 -> "25%"; a tick a rounding error away from zero reads "0%". */
export function percentTick(v: number): string {
  return Math.abs(v) < 1e-9 ? "0%" : `${Number((v * 100).toPrecision(3))}%`;
}

// One formatter each, made once: toLocaleString builds a new one per call (a third of a report's table time).
const INTEGER = new Intl.NumberFormat("en-US");
const TWO_DECIMALS = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** A number to 4 significant digits with thousands separators; integers as they are. */
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "n/a";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Number.isInteger(value)) return INTEGER.format(value);
  const a = Math.abs(value);
  if (a >= 1000) return TWO_DECIMALS.format(value);
  return String(Number(value.toPrecision(4)));
}

/** A metric by its name: percentages for the fraction metrics, else `num`. */
export function metricText(name: string, value: number | null | undefined): string {
  if (PERCENT_METRICS.has(snakeCaseMetric(name))) return pct(value);
  return formatMetric(name, value, num);
}

/** Epoch ms as YYYY-MM-DD (UTC). */
export function isoDay(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : "n/a";
}

/** Parameters as "C=1, max_depth=3"; "defaults" when there are none. */
export function paramsText(params: unknown): string {
  if (typeof params !== "object" || params === null) return params === undefined ? "–" : String(params);
  const entries = Object.entries(params as Record<string, unknown>);
  if (entries.length === 0) return "defaults";
  return entries.map(([k, v]) => `${k}=${plainValue(v)}`).join(", ");
}

/**
 * Any value as short plain text (never JSON): a date range {start, end, rows} as "2000-01-10 to 2016-12-30
 * (4,000 rows)", other objects as "key=value" pairs, arrays comma-joined.
 */
export function plainValue(value: unknown): string {
  if (value === null) return "n/a";
  if (value === undefined) return "–";
  if (typeof value === "number") return num(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(plainValue).join(", ");
  const o = value as Record<string, unknown>;
  const from = o.start ?? o.from;
  const to = o.end ?? o.to;
  if (typeof from === "string" && typeof to === "string") {
    const rows = typeof o.rows === "number" ? ` (${num(o.rows)} rows)` : "";
    return `${from} to ${to}${rows}`;
  }
  if (typeof o.rows === "number" && Object.keys(o).length === 1) return `${num(o.rows)} rows`;
  return paramsText(o);
}

/** `plainValue` escaped for HTML. */
export function plainHtml(value: unknown): string {
  return esc(plainValue(value));
}
