// Distribution of the strategy's bar returns against buy-and-hold's, on shared bins. Flat bars (no position)
// are left out of the strategy's histogram: they would be one tall spike at zero. The bins span the central 99%
// of the returns; the 0.5% beyond each end are counted in the end bins.

import { columnChart } from "../column-chart.js";
import { BENCHMARK, STRATEGY } from "./colors.js";
import { histogram } from "./histogram.js";
import type { TearsheetSeries } from "./tearsheet-series.js";

const BINS = 40;
/** The share of values beyond each end counted in the end bins. */
const TAIL = 0.005;

export function distributionChart(ticker: string, ts: TearsheetSeries): string {
  const invested = ts.strategy.returns.filter((r) => Number.isFinite(r) && r !== 0);
  const h = histogram([invested, ts.benchmark.returns], BINS, TAIL);
  if (h.edges.length === 0) return "";
  const mid = (k: number) => (h.edges[k] + h.edges[k + 1]) / 2;
  const label = (v: number) => `${Number((v * 100).toPrecision(2))}%`;
  return columnChart({
    title: `Distribution of ${ticker}'s bar returns (bars with a position) vs buy-and-hold`,
    note: "outer 0.5% of each tail in the end bins",
    categories: h.counts[0].map((_, k) => label(mid(k))),
    series: [
      { name: "strategy", values: h.counts[0], color: STRATEGY },
      { name: "buy-and-hold", values: h.counts[1], color: BENCHMARK },
    ],
    yFormat: (v) => String(Math.round(v)),
    labelEvery: 5,
    height: 260,
  });
}
