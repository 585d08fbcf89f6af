// Hook for portfolio backtests: the weight of each holding over time, drawn as one line per holding (the ten
// largest by average weight). Renders nothing until a report hands it holdings.

import { lineChart } from "../line-chart.js";
import { percentTick } from "./format.js";

export interface HoldingsOverTime {
  /** Epoch ms per rebalance or bar, ascending. */
  time: Float64Array;
  /** weights[k][i]: share of equity in holding k at time i (0 when not held). */
  holdings: { ticker: string; weights: Float64Array }[];
}

const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

export function holdingsSection(
  h: HoldingsOverTime | null | undefined,
  title = "Holdings over time",
): string {
  if (!h || h.holdings.length === 0 || h.time.length === 0) return "";
  const mean = (w: Float64Array) =>
    w.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) / Math.max(1, w.length);
  const top = [...h.holdings].sort((a, b) => mean(b.weights) - mean(a.weights)).slice(0, PALETTE.length);
  const chart = lineChart({
    title: `${title} (${top.length} largest of ${h.holdings.length} by average weight)`,
    series: top.map((x, k) => ({ name: x.ticker, x: h.time, y: x.weights, color: PALETTE[k] })),
    yFormat: percentTick,
    height: 280,
  });
  return `<h3>${title}</h3>${chart}`;
}
