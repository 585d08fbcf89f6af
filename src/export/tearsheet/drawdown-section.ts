// The underwater chart (drawdown below the running peak, strategy and buy-and-hold) and the five worst
// drawdown periods of the strategy: peak, trough, recovery, depth and length.

import { wrapTable } from "../html-tables.js";
import { lineChart } from "../line-chart.js";
import { escapeXml as esc } from "../svg-scale.js";
import { BENCHMARK, LOSS } from "./colors.js";
import { isoDay, num, pct, percentTick } from "./format.js";
import type { TearsheetSeries } from "./tearsheet-series.js";

export function underwaterChart(ticker: string, ts: TearsheetSeries): string {
  const time = ts.window.time;
  return lineChart({
    title: `Drawdown of ${ticker} (underwater)`,
    series: [
      { name: "strategy", x: time, y: ts.strategy.drawdown, color: LOSS, area: true },
      { name: "buy-and-hold", x: time, y: ts.benchmark.drawdown, color: BENCHMARK, dashed: true },
    ],
    yFormat: percentTick,
    height: 240,
  });
}

/** Rows of the worst-drawdowns table (also what the pandas reference test compares). */
export function worstDrawdownRows(ts: TearsheetSeries) {
  const time = ts.window.time;
  const day = (i: number) => (i < 0 ? isoDay(time[0]) : isoDay(time[i]));
  return ts.strategy.worst.map((d) => ({
    start: day(d.peak),
    trough: day(d.trough),
    recovery: d.recovery === null ? null : day(d.recovery),
    depth: d.depth,
    bars: d.bars,
    days: Math.round(
      ((d.recovery === null ? time[time.length - 1] : time[d.recovery]) - time[Math.max(0, d.peak)]) /
        86_400_000,
    ),
  }));
}

export function worstDrawdownsTable(ts: TearsheetSeries): string {
  const rows = worstDrawdownRows(ts);
  if (rows.length === 0)
    return '<p class="muted">The strategy never fell below a previous peak in this window.</p>';
  const body = rows
    .map(
      (r, k) =>
        `<tr><td>${k + 1}</td><td>${r.start}</td><td>${r.trough}</td><td>${r.recovery ?? '<span class="muted">not recovered</span>'}</td><td>${esc(pct(-r.depth))}</td><td>${num(r.bars)}</td><td>${num(r.days)}</td></tr>`,
    )
    .join("");
  return `<h3>Worst drawdowns</h3><p class="note">From the peak to the first close back at it; length in bars and calendar days.</p>${wrapTable(
    `<thead><tr><th>#</th><th>Peak</th><th>Trough</th><th>Recovered</th><th>Depth</th><th>Bars</th><th>Days</th></tr></thead><tbody>${body}</tbody>`,
    "dates",
  )}`;
}
