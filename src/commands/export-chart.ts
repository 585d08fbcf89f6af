// `tsml export chart NAME`: one chart of a ticker as a standalone SVG file.

import { tickersWith } from "../artifacts/workspace.js";
import { writeFileAtomic } from "../core/atomic-file.js";
import { DataError, UsageError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import {
  drawdownChart,
  equityChart,
  importanceCharts,
  pnlChart,
  signalsChart,
  type TickerReport,
} from "../export/report-html.js";
import { gatherTicker, reportableTickers } from "./export-report.js";
import { CHART_NAMES } from "./support/export-chart-names.js";
import type { RunContext } from "./support/run-context.js";

export { CHART_NAMES };

export interface ExportChartOptions {
  ticker?: string;
  model?: string;
  output?: string;
}

function build(name: string, t: TickerReport, model: string | undefined): string {
  switch (name) {
    case "signals":
      return signalsChart(t);
    case "equity":
      return equityChart(t);
    case "pnl":
      return pnlChart(t);
    case "drawdown":
      return drawdownChart(t);
    case "importance": {
      const m = model ? t.models.find((x) => x.view.model === model) : t.models[0];
      if (!m) return "";
      // One SVG file holds one chart: the headline importance kind.
      const first = importanceCharts(t.ticker, m.view).split("</svg>")[0];
      return first ? `${first}</svg>` : "";
    }
    default:
      throw new UsageError(`unknown chart "${name}"`, `choose one of: ${CHART_NAMES.join(", ")}`);
  }
}

export async function exportChart(name: string, options: ExportChartOptions, ctx: RunContext) {
  if (!(CHART_NAMES as readonly string[]).includes(name))
    throw new UsageError(`unknown chart "${name}"`, `choose one of: ${CHART_NAMES.join(", ")}`);
  if (!options.output) throw new UsageError("-o/--output is required", "e.g. -o equity.svg, or - for stdout");
  const tickers = reportableTickers(ctx.workspace);
  const ticker = options.ticker ?? (tickers.length === 1 ? tickers[0] : undefined);
  if (!ticker)
    throw new UsageError("--ticker is required", `tickers in the workspace: ${tickers.join(", ") || "none"}`);
  const section = await gatherTicker(ctx.workspace, ticker, []);
  const svg = build(name, section, options.model);
  if (!svg) {
    const need =
      name === "importance" ? "a model with feature importance (tsml train)" : "a backtest (tsml backtest)";
    const have = tickersWith(ctx.workspace, "backtests").join(", ") || "none";
    throw new DataError(
      `no data for the ${name} chart of ${ticker}`,
      `it needs ${need}; backtests exist for: ${have}`,
    );
  }
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
  if (isStdio(options.output)) {
    ctx.claimStdout();
    process.stdout.write(text);
  } else {
    await writeFileAtomic(options.output, text);
    ctx.print(`wrote ${name} chart of ${ticker} to ${options.output}`);
  }
  return { chart: name, ticker, output: options.output, bytes: Buffer.byteLength(text) };
}
