// How a metric value reads in a table or the report: fractions of capital as percentages, undefined as "n/a".
// JSON keeps the raw fraction (0.321) and null; only what people read is formatted.

/** Metrics that are fractions of capital or of time, shown as percentages (0.321 -> "32.10%"). */
export const PERCENT_METRICS: ReadonlySet<string> = new Set([
  "total_return",
  "cagr",
  "volatility",
  "max_drawdown",
  "hit_rate",
  "exposure",
  "benchmark_total_return",
  "excess_return",
]);

/** What an undefined metric (zero rows, one class, JSON null) reads as. */
export const UNDEFINED_METRIC = "n/a";

/**
 * snake_case of a metric name, so older camelCase files (`totalReturn`, `rocAuc`) read as today's names.
 * @example snakeCaseMetric("positiveAccuracy") // "positive_accuracy"
 */
export function snakeCaseMetric(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** Four-decimal digits, as train's metrics table prints. */
export const fixed4 = (x: number): string => x.toFixed(4);

/** Five significant digits, integers as they are (counts, rows). */
export const precise5 = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(5));

/**
 * One metric value for people: "n/a" when undefined (NaN, null, missing), "inf" for an infinite profit factor,
 * a percentage with two decimals for PERCENT_METRICS, else `number(value)`.
 * @example formatMetric("total_return", 0.321) // "32.10%"
 * @example formatMetric("log_loss", Number.NaN) // "n/a"
 */
export function formatMetric(
  name: string,
  value: number | null | undefined,
  number: (x: number) => string = precise5,
): string {
  if (value === null || value === undefined || Number.isNaN(value)) return UNDEFINED_METRIC;
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (PERCENT_METRICS.has(snakeCaseMetric(name))) return `${(value * 100).toFixed(2)}%`;
  return number(value);
}
