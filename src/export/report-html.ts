// The self-contained HTML research report, a tearsheet per ticker: inline SVG charts and tables, inline CSS,
// one tiny inline script that marks when charts are laid out; nothing is fetched when the file is opened.
// Sections live in tearsheet/*; this file composes them and keeps the single charts `tsml export chart` draws.

import { metricsTables } from "./html-tables.js";
import { type ChartMarker, lineChart } from "./line-chart.js";
import type { ModelView } from "./model-view.js";
import type { ReportData, TickerReport } from "./report-data.js";
import { cumulativePnl, predictedVsObserved } from "./report-series.js";
import { escapeXml as esc } from "./svg-scale.js";
import { comparisonSection } from "./tearsheet/comparison-section.js";
import { humanLabel } from "./tearsheet/format.js";
import { holdingsSection } from "./tearsheet/holdings-section.js";
import { importanceChart, modelSection } from "./tearsheet/model-section.js";
import { PAGE_STYLE } from "./tearsheet/page-style.js";
import { performanceSection } from "./tearsheet/performance-section.js";
import { portfolioSection } from "./tearsheet/portfolio-section.js";
import { provenanceSection } from "./tearsheet/provenance-section.js";
import { sweepSection } from "./tearsheet/sweep-section.js";
import { type LogScaleChoice, tearsheetSeries, useLogScale } from "./tearsheet/tearsheet-series.js";
import { tearsheetWindow } from "./tearsheet/tearsheet-window.js";
import { walkForwardSection } from "./tearsheet/walk-forward-section.js";

export type { ReportData, ReportInput, TickerReport } from "./report-data.js";

/**
 * Marks <body data-charts="N"> once the SVGs have a layout box, so a headless browser can check rendering, and
 * opens the folded provenance before printing.
 */
const SCRIPT = `(function(){var s=document.querySelectorAll("svg.tsml-chart"),n=0;for(var i=0;i<s.length;i++){var r=s[i].getBoundingClientRect();if(r.width>0&&r.height>0)n++;}document.body.setAttribute("data-charts",String(n));document.body.setAttribute("data-expected-charts",String(s.length));window.addEventListener("beforeprint",function(){var d=document.querySelectorAll("details");for(var j=0;j<d.length;j++)d[j].open=true;});})();`;

/** Seed 000's buy/sell chart: price with markers and the train/test boundary. */
export function signalsChart(t: TickerReport, logScale: LogScaleChoice = "auto"): string {
  const source = t.backtest ?? t.bars;
  if (!source) return "";
  const priceName = ["price", "close", "adj_close"].find((c) => source.has(c));
  if (!priceName) return "";
  const price = source.get(priceName);
  const markers: ChartMarker[] = [];
  if (t.backtest?.has("buy") && t.backtest.has("sell")) {
    const buy = t.backtest.get("buy");
    const sell = t.backtest.get("sell");
    for (let i = 0; i < price.length; i++) {
      if (buy[i] > 0) markers.push({ x: source.time[i], y: price[i], kind: "buy" });
      if (sell[i] > 0) markers.push({ x: source.time[i], y: price[i], kind: "sell" });
    }
  }
  const logY = useLogScale(logScale, [price]);
  return lineChart({
    title: `Buy/Sell Signals for ${t.ticker}${logY ? " (log scale)" : ""}`,
    series: [{ name: "price", x: source.time, y: price, color: "#1f77b4" }],
    markers,
    boundary: t.splitTime,
    yLabel: priceName,
    logY,
  });
}

/** Seed 000's cumulative profit chart: train and test cumulated separately, against buy-and-hold. */
export function pnlChart(t: TickerReport): string {
  const b = t.backtest;
  if (!b) return "";
  const pnl = cumulativePnl(b, t.backtestDetails);
  return lineChart({
    title: `Cumulative profit of ${t.ticker}: train vs test vs buy-and-hold`,
    series: [
      { name: "train", x: b.time, y: pnl.train, color: "#1f77b4" },
      { name: "test", x: b.time, y: pnl.test, color: "#ff7f0e" },
      ...(pnl.buyAndHold
        ? [{ name: "buy-and-hold", x: b.time, y: pnl.buyAndHold, color: "#7f7f7f", dashed: true }]
        : []),
    ],
    boundary: t.splitTime,
    yLabel: "profit",
  });
}

/** Equity of the strategy against the buy-and-hold benchmark. */
export function equityChart(t: TickerReport): string {
  const b = t.backtest;
  if (!b?.has("equity")) return "";
  return lineChart({
    title: `Equity of ${t.ticker}`,
    series: [
      { name: "strategy", x: b.time, y: b.get("equity"), color: "#1f77b4" },
      ...(b.has("benchmark_equity")
        ? [{ name: "buy-and-hold", x: b.time, y: b.get("benchmark_equity"), color: "#7f7f7f", dashed: true }]
        : []),
    ],
    boundary: t.splitTime,
    yLabel: "equity",
  });
}

export function drawdownChart(t: TickerReport): string {
  const b = t.backtest;
  if (!b?.has("drawdown")) return "";
  return lineChart({
    title: `Drawdown of ${t.ticker}`,
    series: [{ name: "drawdown", x: b.time, y: b.get("drawdown"), color: "#d62728", area: true }],
    boundary: t.splitTime,
    height: 220,
  });
}

/** The model's headline importance chart (one chart, whichever kinds the model carries). */
export function importanceCharts(ticker: string, v: ModelView): string {
  return importanceChart(ticker, v);
}

function predictionsChart(t: TickerReport): string {
  const series = t.predictions ? predictedVsObserved(t.predictions, t.bars) : null;
  if (!series) return "";
  return lineChart({
    title: `Predicted vs observed, ${t.ticker}`,
    series: [
      { name: "observed", x: series.time, y: series.observed, color: "#1f77b4" },
      { name: "predicted", x: series.time, y: series.predicted, color: "#ff7f0e" },
    ],
    boundary: t.splitTime,
  });
}

/** The backtest metrics file's windows (train, test, whole), labelled in-sample / out-of-sample as recorded. */
function windowMetricsTable(t: TickerReport): string {
  const d = t.backtestDetails ?? {};
  const sample = (typeof d.sample === "object" && d.sample !== null ? d.sample : {}) as Record<
    string,
    unknown
  >;
  const columns: Record<string, unknown> = {};
  for (const w of ["train", "test", "whole"]) {
    const m = d[w];
    if (typeof m !== "object" || m === null) continue;
    const label = typeof sample[w] === "string" ? `${w}: ${sample[w]}` : w;
    columns[label] = m;
  }
  if (Object.keys(columns).length === 0) return "";
  return `<h3>Backtest metrics by window</h3><p class="note">As the backtest's metrics file records them (B&amp;H = buy-and-hold over the same window).</p>${metricsTables(columns)}`;
}

function sourcesLine(t: TickerReport): string {
  const inputs = t.inputs ?? [];
  if (inputs.length === 0) return "";
  const items = inputs.map((i) => `${esc(humanLabel(i.kind))}: <span class="path">${esc(i.path)}</span>`);
  return `<p class="note">Read from ${items.join("; ")} (see <a href="#provenance">provenance</a>).</p>`;
}

function tickerSection(t: TickerReport, logScale: LogScaleChoice): string {
  let html = `<h2 id="t-${esc(t.ticker)}">${esc(t.ticker)}</h2>${sourcesLine(t)}`;
  const window = t.backtest ? tearsheetWindow(t.backtest, t.backtestDetails, t.ticker) : null;
  if (window) html += `<h3>Performance</h3>${performanceSection(t, tearsheetSeries(window, logScale))}`;
  else if (!t.backtest) html += '<p class="muted">No backtest for this ticker (run: tsml backtest).</p>';
  html += `<h3>Signals</h3>${signalsChart(t, logScale)}`;
  html += windowMetricsTable(t);
  html += walkForwardSection(t.backtestDetails, t.ticker);
  html += sweepSection(t.backtestDetails, t.ticker);
  html += holdingsSection(t.holdings);
  for (const m of t.models) html += modelSection(t, m);
  if (t.metrics) html += `<h3>Evaluation (tsml evaluate)</h3>${metricsTables(t.metrics)}`;
  html += predictionsChart(t);
  html += comparisonSection(t.comparison);
  return html;
}

/**
 * The whole report as one HTML string.
 * @example
 * await writeFileAtomic("report.html", renderReport(data));
 */
export function renderReport(data: ReportData): string {
  const logScale = data.logScale ?? "auto";
  const nav = data.tickers.map((t) => `<a href="#t-${esc(t.ticker)}">${esc(t.ticker)}</a>`).join("");
  const body = data.tickers.map((t) => tickerSection(t, logScale)).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(data.title)}</title><style>${PAGE_STYLE}</style></head>
<body><h1>${esc(data.title)}</h1>
<p class="muted">Generated ${esc(data.generatedAt)} by tsml ${esc(data.tsmlVersion)}.</p>
<nav>${data.portfolio ? '<a href="#portfolio">Portfolio</a>' : ""}${nav}<a href="#provenance">Provenance</a></nav>
${portfolioSection(data.portfolio)}${body}
${provenanceSection(data.inputs)}
<script>${SCRIPT}</script>
</body></html>
`;
}
