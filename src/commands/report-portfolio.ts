// The workspace's portfolio backtest for the report: the curve, the positions turned into weights per holding
// over the curve's days, and the metrics artifact's strategy and benchmark figures. Null when there is none.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { readBacktest } from "../artifacts/kinds/backtest-artifact.js";
import { detailsObject } from "../artifacts/kinds/details-fields.js";
import { readBacktestSummary } from "../artifacts/kinds/metrics-artifact.js";
import type { ReportInput } from "../export/report-data.js";
import type { PortfolioReport } from "../export/tearsheet/portfolio-section.js";
import { PORTFOLIO_DIR } from "./backtest-portfolio.js";

const numbers = (value: unknown): Record<string, number | null> =>
  Object.fromEntries(
    Object.entries(detailsObject(value)).filter(([, v]) => typeof v === "number" || v === null),
  ) as Record<string, number | null>;

/**
 * @example const portfolio = await gatherPortfolio("tsml-workspace", inputs); // null without --portfolio runs
 */
export async function gatherPortfolio(
  workspace: string,
  inputs: ReportInput[],
): Promise<PortfolioReport | null> {
  const curvePath = join(workspace, PORTFOLIO_DIR, "portfolio.parquet");
  const positionsPath = join(workspace, PORTFOLIO_DIR, "portfolio.positions.parquet");
  const metricsPath = join(workspace, PORTFOLIO_DIR, "portfolio.metrics.json");
  if (!existsSync(curvePath) || !existsSync(positionsPath)) return null;
  const curve = await readBacktest(curvePath);
  const positions = await readBacktest(positionsPath);
  const time = curve.frame.time;
  const day = new Map<number, number>();
  for (let i = 0; i < time.length; i++) day.set(time[i], i);
  // Weight per holding per curve day; 0 on days it is not held (positions list held or traded days only).
  const names = positions.frame.tickerNames;
  const weights = names.map(() => new Float64Array(time.length));
  const weight = positions.frame.get("weight");
  const codes = positions.frame.tickerCodes;
  positions.frame.time.forEach((t, r) => {
    const i = day.get(t);
    if (i !== undefined && Number.isFinite(weight[r])) weights[codes[r]][i] = weight[r];
  });
  const summary = existsSync(metricsPath) ? readBacktestSummary(metricsPath) : null;
  const combined = detailsObject(summary?.summary.combined);
  const rules = detailsObject(curve.meta?.details.portfolio ?? {});
  for (const [path, provenance] of [
    [curvePath, curve.meta?.provenance],
    [positionsPath, positions.meta?.provenance],
    [metricsPath, summary?.provenance],
  ] as const)
    if (provenance) inputs.push({ path, kind: "portfolio backtest", provenance });
  return {
    path: curvePath,
    tickers: [...names],
    rules,
    time,
    equity: curve.frame.get("equity"),
    benchmarkEquity: curve.frame.get("benchmark_equity"),
    strategy: numbers(combined.portfolio),
    benchmark: numbers(combined.benchmark),
    meanTurnover: typeof combined.mean_turnover === "number" ? combined.mean_turnover : null,
    meanExposure: typeof combined.mean_exposure === "number" ? combined.mean_exposure : null,
    holdings: {
      time,
      holdings: names
        .map((ticker, k) => ({ ticker, weights: weights[k] }))
        .filter((h) => h.weights.some((w) => w > 0)),
    },
  };
}
