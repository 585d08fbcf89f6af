// Monthly returns as a year x month heatmap (with the year's compounded return in the last column) and yearly
// returns of the strategy against buy-and-hold.

import { columnChart } from "../column-chart.js";
import { heatmapChart } from "../heatmap-chart.js";
import { BENCHMARK, STRATEGY } from "./colors.js";
import { percentTick } from "./format.js";
import type { TearsheetSeries } from "./tearsheet-series.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function monthlyHeatmap(ticker: string, ts: TearsheetSeries): string {
  const { monthly, yearly } = ts.strategy;
  if (monthly.length === 0) return "";
  const years = yearly.map((y) => y.year);
  const values = years.map((year) => {
    const row = new Array<number>(13).fill(Number.NaN);
    for (const m of monthly) if (m.year === year) row[m.month - 1] = m.value;
    row[12] = yearly.find((y) => y.year === year)?.value ?? Number.NaN;
    return row;
  });
  return heatmapChart({
    title: `Monthly returns of ${ticker}, strategy (%)`,
    rows: years.map(String),
    columns: [...MONTHS, "Year"],
    values,
    format: (v) => (v * 100).toFixed(1),
    scale: "diverging",
  });
}

export function yearlyChart(ticker: string, ts: TearsheetSeries): string {
  const years = ts.strategy.yearly.map((y) => y.year);
  if (years.length === 0) return "";
  const byYear = (list: typeof ts.strategy.yearly) =>
    years.map((y) => list.find((p) => p.year === y)?.value ?? Number.NaN);
  return columnChart({
    title: `Yearly returns of ${ticker} vs buy-and-hold`,
    categories: years.map(String),
    series: [
      { name: "strategy", values: byYear(ts.strategy.yearly), color: STRATEGY },
      { name: "buy-and-hold", values: byYear(ts.benchmark.yearly), color: BENCHMARK },
    ],
    yFormat: percentTick,
  });
}
