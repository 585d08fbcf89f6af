// The tearsheet proper for one ticker's backtest: what window it measures, headline figures, key metrics
// strategy vs buy-and-hold, cumulative returns, drawdowns, monthly and yearly returns, rolling Sharpe and
// volatility, and the return distribution, all from one TearsheetSeries.

import type { TickerReport } from "../report-data.js";
import { escapeXml as esc } from "../svg-scale.js";
import { cumulativeChart } from "./cumulative-section.js";
import { distributionChart } from "./distribution-section.js";
import { underwaterChart, worstDrawdownsTable } from "./drawdown-section.js";
import { isoDay, num, pct, plainValue } from "./format.js";
import { keyMetricsNote, keyMetricsSection } from "./key-metrics-section.js";
import { monthlyHeatmap, yearlyChart } from "./period-returns-section.js";
import { rollingCharts } from "./rolling-section.js";
import type { TearsheetSeries } from "./tearsheet-series.js";

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/** Whether a model of the lineage was trained on bars inside the window (its P&L is then in-sample). */
function trainedInside(t: TickerReport, firstDay: string): boolean {
  return t.models.some((m) => {
    const w = m.view.trainWindow;
    return isObject(w) && typeof w.end === "string" && w.end >= firstDay;
  });
}

function windowNote(t: TickerReport, ts: TearsheetSeries): string {
  const w = ts.window;
  const from = isoDay(w.time[0]);
  const to = isoDay(w.time[w.time.length - 1]);
  const d = t.backtestDetails ?? {};
  const inSample = trainedInside(t, from);
  const sample = inSample
    ? '<b class="warn">in-sample: the model was trained on bars inside this window</b>'
    : esc(w.sample ?? (w.name === "test" ? "test window" : "whole series"));
  const parts = [
    `${w.name === "test" ? "Test window" : "Whole series"} ${from} to ${to} (${num(w.end - w.start)} rows), ${sample}`,
    `starting equity ${num(w.capital)}`,
    d.strategy ? `strategy ${esc(plainValue(d.strategy))}` : "",
    d.modelId ? `signals from ${esc(plainValue(d.modelId))}` : "",
    `benchmark: buy-and-hold of ${esc(t.ticker)} from the same first close`,
  ].filter(Boolean);
  return `<p>${parts.join("; ")}.</p>`;
}

function headline(ts: TearsheetSeries): string {
  const s = ts.window.metrics.strategy;
  const b = ts.window.metrics.buyAndHold;
  const card = (label: string, v: string, bench: string) =>
    `<div><b>${esc(v)}</b><span>${esc(label)} (B&amp;H ${esc(bench)})</span></div>`;
  const ratio = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "n/a");
  return `<div class="summary">${[
    card("Total return", pct(s.totalReturn), pct(b.totalReturn)),
    card("CAGR", pct(s.cagr), pct(b.cagr)),
    card("Sharpe", ratio(s.sharpe), ratio(b.sharpe)),
    card("Max drawdown", pct(-s.maxDrawdown), pct(-b.maxDrawdown)),
    card("Volatility", pct(s.volatility), pct(b.volatility)),
  ].join("")}</div>`;
}

export function performanceSection(t: TickerReport, ts: TearsheetSeries): string {
  return [
    windowNote(t, ts),
    headline(ts),
    cumulativeChart(t.ticker, ts),
    `<div class="grid2"><div>${keyMetricsSection(ts)}</div><div>${worstDrawdownsTable(ts)}</div></div>`,
    keyMetricsNote(ts),
    underwaterChart(t.ticker, ts),
    `<h3>Monthly and yearly returns</h3>`,
    monthlyHeatmap(t.ticker, ts),
    yearlyChart(t.ticker, ts),
    `<h3>Rolling statistics</h3><p class="note">Trailing window of ${ts.rolling} bars (half a year at ${num(ts.window.periodsPerYear)} bars a year), annualised like the key metrics.</p>`,
    rollingCharts(t.ticker, ts),
    `<h3>Return distribution</h3>`,
    distributionChart(t.ticker, ts),
  ].join("");
}
