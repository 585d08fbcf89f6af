// Strategy parameter sweeps: every trial of the swept parameter as a heatmap row (Sharpe, total return, max
// drawdown, trades; each column shaded from its worst to its best), and what stands behind the best trial:
// the deflated Sharpe ratio over every trial in the ledger and the probability of backtest overfitting.

import { heatmapChart } from "../heatmap-chart.js";
import { escapeXml as esc } from "../svg-scale.js";
import { num, pct, plainValue } from "./format.js";

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);
const value = (x: unknown) => (typeof x === "number" ? x : Number.NaN);

export function sweepSection(details: Loose | null, ticker: string): string {
  const all = details?.sweep;
  if (!isObject(all)) return "";
  const sweep = isObject(all[ticker]) ? all[ticker] : all;
  if (!Array.isArray(sweep.trials) || sweep.trials.length === 0) return "";
  const trials = sweep.trials.filter(isObject);
  const parameter = String(sweep.parameter ?? "value");
  const chart = heatmapChart({
    title: `Sweep of ${parameter} (${ticker}): ${trials.length} trials`,
    rows: trials.map((t) => `${parameter}=${plainValue(t.value)}`),
    columns: ["Sharpe", "Total return", "Max drawdown", "Trades"],
    values: trials.map((t) => [value(t.sharpe), value(t.totalReturn), value(t.maxDrawdown), value(t.trades)]),
    format: (v, c) => (c === 0 ? v.toFixed(2) : c === 3 ? num(v) : pct(c === 2 ? -v : v, 1)),
    scale: "per-column",
    direction: [1, 1, -1, 0],
    cellWidth: 96,
  });
  const best = isObject(sweep.best) ? sweep.best : {};
  const dsr = isObject(sweep.deflatedSharpe) ? sweep.deflatedSharpe : null;
  const pbo = isObject(sweep.pbo) ? sweep.pbo : null;
  const window = isObject(sweep.window) ? ` over ${esc(plainValue(sweep.window))}` : "";
  const facts = [
    `Best: ${esc(parameter)}=${esc(plainValue(best.value))}, Sharpe ${esc(num(value(best.sharpe)))}${window}.`,
    dsr
      ? `Deflated Sharpe ratio ${esc(num(value(dsr.dsr)))} over ${esc(num(value(dsr.trials)))} trials recorded for this ticker and target (expected best Sharpe of that many unskilled trials: ${esc(num(value(dsr.benchmarkSharpe)))}; PSR against 0: ${esc(num(value(dsr.psr)))}).`
      : "",
    pbo
      ? `Probability of backtest overfitting (CSCV, ${esc(num(value(pbo.blocks)))} blocks, ${esc(num(value(pbo.splits)))} splits): ${esc(num(value(pbo.pbo)))}.`
      : "Probability of backtest overfitting: not measured (window too short to split).",
  ].filter(Boolean);
  return `<h3>Parameter sweep</h3>${chart}<p>${facts.join(" ")}</p>`;
}
