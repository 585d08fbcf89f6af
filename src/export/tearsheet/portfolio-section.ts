// The portfolio backtest of the workspace (`tsml backtest --portfolio`), once per report: its equity against the
// equal-weight buy-and-hold of the same universe, its key metrics beside the benchmark's, turnover and exposure,
// and the weight of each holding over time.

import { wrapTable } from "../html-tables.js";
import { lineChart } from "../line-chart.js";
import { escapeXml as esc } from "../svg-scale.js";
import { BENCHMARK, STRATEGY } from "./colors.js";
import { growthTick } from "./cumulative-section.js";
import { metricText, percentTick } from "./format.js";
import { type HoldingsOverTime, holdingsSection } from "./holdings-section.js";

export interface PortfolioReport {
  /** The curve artifact's path, for the heading. */
  path: string;
  tickers: string[];
  /** Rules as recorded (top-k, rebalance, weights, costs...), shown as text. */
  rules: Record<string, unknown>;
  time: Float64Array;
  equity: Float64Array;
  benchmarkEquity: Float64Array;
  /** snake_case trading metrics of the strategy and of the benchmark, as the metrics artifact holds them. */
  strategy: Record<string, number | null>;
  benchmark: Record<string, number | null>;
  meanTurnover: number | null;
  meanExposure: number | null;
  holdings: HoldingsOverTime;
}

const ROWS = ["total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar", "trades"];

/** Growth of 1 from the first day both curves hold a finite, positive value. */
function growth(equity: Float64Array, from: number): Float64Array {
  const base = equity[from];
  return Float64Array.from(equity, (v, i) => (i < from ? Number.NaN : v / base));
}

export function portfolioSection(p: PortfolioReport | null | undefined): string {
  if (!p || p.time.length === 0) return "";
  let from = 0;
  while (
    from < p.time.length &&
    !(p.equity[from] > 0 && p.benchmarkEquity[from] > 0 && Number.isFinite(p.benchmarkEquity[from]))
  )
    from++;
  const chart =
    from < p.time.length
      ? lineChart({
          title: `Portfolio of ${p.tickers.length} tickers vs equal-weight buy-and-hold`,
          series: [
            { name: "portfolio", x: p.time, y: growth(p.equity, from), color: STRATEGY },
            {
              name: "equal-weight buy-and-hold",
              x: p.time,
              y: growth(p.benchmarkEquity, from),
              color: BENCHMARK,
              dashed: true,
            },
          ],
          yFormat: growthTick,
          referenceY: 1,
          yLabel: "growth of 1",
        })
      : "";
  const metricRows = ROWS.filter((k) => k in p.strategy || k in p.benchmark)
    .map(
      (k) =>
        `<tr><th>${esc(k === "cagr" ? "CAGR" : k.replace(/_/g, " "))}</th><td>${esc(metricText(k, p.strategy[k]))}</td>` +
        `<td>${esc(metricText(k, p.benchmark[k]))}</td></tr>`,
    )
    .join("");
  const facts = [
    ["universe", p.tickers.join(", ")],
    ...Object.entries(p.rules)
      .filter(([k, v]) => !["tickers", "table"].includes(k) && v !== null && typeof v !== "object")
      .map(([k, v]) => [k, String(v)]),
    ["mean turnover per rebalance", percentTick(p.meanTurnover ?? Number.NaN)],
    ["mean exposure per rebalance", percentTick(p.meanExposure ?? Number.NaN)],
  ]
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join("");
  return `<section id="portfolio"><h2>Portfolio</h2>
<p class="muted">${esc(p.path)}: one account with shared cash, next-open fills.</p>
${chart}
<div class="grid2"><div>${wrapTable(`<table><thead><tr><th>Metric</th><th>Portfolio</th><th>Benchmark</th></tr></thead><tbody>${metricRows}</tbody></table>`)}</div>
<div>${wrapTable(`<table class="facts"><tbody>${facts}</tbody></table>`)}</div></div>
${holdingsSection(p.holdings)}</section>`;
}
