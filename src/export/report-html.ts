// The self-contained HTML research report: inline SVG charts and tables, inline CSS, one tiny inline script
// that marks when charts are laid out; nothing is fetched over the network when the file is opened.

import type { Frame } from "../frame/frame.js";
import { barChart } from "./bar-chart.js";
import { confusionChart } from "./confusion-chart.js";
import { factsTable, metricsTables, recordsTable } from "./html-tables.js";
import { type ChartMarker, lineChart } from "./line-chart.js";
import type { ModelView } from "./model-view.js";
import { cumulativePnl, predictedVsObserved } from "./report-series.js";
import { escapeXml as esc } from "./svg-scale.js";

export interface ReportInput {
  path: string;
  kind: string;
  provenance: unknown;
}

export interface TickerReport {
  ticker: string;
  /** Start of the test period (epoch ms), when known. */
  splitTime: number | null;
  bars: Frame | null;
  backtest: Frame | null;
  /** The backtest table's details (capital, strategy, train/test metrics). */
  backtestDetails: Record<string, unknown> | null;
  predictions: Frame | null;
  models: { path: string; view: ModelView }[];
  metrics: unknown;
}

export interface ReportData {
  title: string;
  generatedAt: string;
  tsmlVersion: string;
  tickers: TickerReport[];
  inputs: ReportInput[];
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:#222;margin:0 auto;max-width:1000px;padding:16px 24px}
h1{font-size:22px}h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:36px}h3{margin-top:24px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:12.5px;display:block;overflow-x:auto;max-width:100%}th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f5f5f5}table.facts th{text-align:left}tr.chosen td{background:#fff6d5}.muted{color:#777}
svg.tsml-chart{max-width:100%;height:auto;display:block;margin:8px 0}code,pre{font-size:11.5px}pre{background:#f7f7f7;padding:8px;overflow:auto}
nav a{margin-right:12px}`;

/** Marks <body data-charts="N"> once the SVGs have a layout box, so a headless browser can check rendering. */
const SCRIPT = `(function(){var s=document.querySelectorAll("svg.tsml-chart"),n=0;for(var i=0;i<s.length;i++){var r=s[i].getBoundingClientRect();if(r.width>0&&r.height>0)n++;}document.body.setAttribute("data-charts",String(n));document.body.setAttribute("data-expected-charts",String(s.length));})();`;

/** Seed 000's buy/sell chart: price with markers and the train/test boundary. */
export function signalsChart(t: TickerReport): string {
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
  return lineChart({
    title: `Buy/Sell Signals for ${t.ticker}`,
    series: [{ name: "price", x: source.time, y: price, color: "#1f77b4" }],
    markers,
    boundary: t.splitTime,
    yLabel: priceName,
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

function backtestCharts(t: TickerReport): string {
  if (!t.backtest) return '<p class="muted">no backtest for this ticker (run: tsml backtest)</p>';
  return pnlChart(t) + equityChart(t) + drawdownChart(t);
}

/** One bar chart per importance kind the model carries (permutation, gain, shap). */
export function importanceCharts(ticker: string, v: ModelView): string {
  return Object.entries(v.importance)
    .map(([kind, entries]) =>
      barChart({
        title: `${kind} feature importance (${v.model}, ${ticker})`,
        labels: entries.map((e) => e.feature),
        values: entries.map((e) => e.value),
        errors: entries.some((e) => e.std !== undefined) ? entries.map((e) => e.std ?? 0) : undefined,
      }),
    )
    .join("");
}

function modelSection(t: TickerReport, m: { path: string; view: ModelView }): string {
  const v = m.view;
  let html = `<h3>Model ${esc(v.model)} <span class="muted">(${esc(m.path)})</span></h3>`;
  html += factsTable({
    target: v.target,
    horizon: v.horizon,
    "train window": v.trainWindow,
    "split date": v.splitDate,
    features: v.features.length,
  });
  html += `<h4>Chosen parameters</h4>${Object.keys(v.params).length > 0 ? factsTable(v.params) : '<p class="muted">the family\'s defaults</p>'}`;
  if (v.cvResults.length > 0) {
    const chosen = JSON.stringify(v.params);
    // Per-split arrays stay in the artifact; the table shows the summary columns.
    const rows = v.cvResults.map((r) =>
      Object.fromEntries(Object.entries(r).filter(([k, x]) => k === "params" || !Array.isArray(x))),
    );
    html += `<h4>Cross-validation results</h4>${recordsTable(rows, {
      highlight: (r) => r.chosen === true || r.best === true || JSON.stringify(r.params) === chosen,
    })}`;
  }
  const metricRows = [
    { split: "train", ...v.trainMetrics },
    { split: "test", ...v.testMetrics },
  ].filter((r) => Object.keys(r).length > 1);
  if (metricRows.length > 0) html += `<h4>Metrics</h4>${recordsTable(metricRows)}`;
  html += importanceCharts(t.ticker, v);
  const cm = v.testMetrics;
  if (["true_negatives", "false_positives", "false_negatives", "true_positives"].every((k) => k in cm)) {
    html += confusionChart({
      title: `Confusion matrix, test (${v.model})`,
      matrix: [
        [cm.true_negatives, cm.false_positives],
        [cm.false_negatives, cm.true_positives],
      ],
      labels: ["0 (down)", "1 (up)"],
    });
  }
  return html;
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

function tickerSection(t: TickerReport): string {
  let html = `<h2 id="t-${esc(t.ticker)}">${esc(t.ticker)}</h2>`;
  html += signalsChart(t) + backtestCharts(t);
  const details = t.backtestDetails ?? {};
  const btMetrics = Object.fromEntries(
    Object.entries(details).filter(([k]) => ["train", "test", "metrics"].includes(k)),
  );
  if (Object.keys(btMetrics).length > 0) html += `<h3>Backtest metrics</h3>${metricsTables(btMetrics)}`;
  if (t.metrics) html += `<h3>Evaluation metrics</h3>${metricsTables(t.metrics)}`;
  html += predictionsChart(t);
  for (const m of t.models) html += modelSection(t, m);
  return html;
}

function provenanceSection(inputs: readonly ReportInput[]): string {
  const rows = inputs.map((i) => {
    const p = (i.provenance ?? {}) as Record<string, unknown>;
    return {
      artifact: i.path,
      kind: i.kind,
      command: p.command,
      created: p.createdAt,
      tsml: p.tsmlVersion,
      seed: p.seed,
    };
  });
  const full = inputs
    .map(
      (i) =>
        `<details><summary>${esc(i.path)}</summary><pre>${esc(JSON.stringify(i.provenance, null, 2))}</pre></details>`,
    )
    .join("");
  return `<h2 id="provenance">Provenance of every input</h2>${recordsTable(rows)}${full}`;
}

/**
 * The whole report as one HTML string.
 * @example
 * await writeFileAtomic("report.html", renderReport(data));
 */
export function renderReport(data: ReportData): string {
  const nav = data.tickers.map((t) => `<a href="#t-${esc(t.ticker)}">${esc(t.ticker)}</a>`).join("");
  const body = data.tickers.map(tickerSection).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(data.title)}</title><style>${STYLE}</style></head>
<body><h1>${esc(data.title)}</h1>
<p class="muted">Generated ${esc(data.generatedAt)} by tsml ${esc(data.tsmlVersion)}.</p>
<nav>${nav}<a href="#provenance">provenance</a></nav>
${body}
${provenanceSection(data.inputs)}
<script>${SCRIPT}</script>
</body></html>
`;
}
