// A backtest that no longer matches its predictions (a newer model scored since) is run again with the
// settings it recorded, so evaluate and the report never pair one model's predictions with another's backtest.

import { existsSync } from "node:fs";
import { changedInputs } from "../../artifacts/freshness.js";
import { backtestDetails } from "../../artifacts/kinds/backtest-artifact.js";
import { predictionsDetails } from "../../artifacts/kinds/predictions-artifact.js";
import { readTableMeta } from "../../artifacts/table-io.js";
import { tickerTablePath } from "../../artifacts/workspace.js";
import type { BacktestCliOptions } from "../backtest.js";
import type { RunContext } from "../support/run-context.js";
import { announceBuilt, helperContext, shownPath } from "./build-context.js";

/** The backtest settings that say how it trades (not what it reads or where it writes). */
const SETTING_KEYS = [
  "signal",
  "strategy",
  "splitDate",
  "shares",
  "execution",
  "costBps",
  "commission",
  "slippageBps",
  "capital",
  "sizing",
  "percent",
  "fractional",
  "market",
  "periodsPerYear",
] as const;

/**
 * Reruns the ticker's workspace backtest when an input it recorded changed (building on). Backtests of a file
 * named with -i or a model named with -m, or of several tickers at once, are the user's own: a warning only.
 * @example await ensureBacktest("AAPL", ctx) // "backtest AAPL: rebuilt (long-only) from predictions/AAPL.parquet ..."
 */
export async function ensureBacktest(ticker: string, ctx: RunContext): Promise<void> {
  const path = tickerTablePath(ctx.workspace, "backtests", ticker);
  if (!ctx.autoBuild || !existsSync(path)) return;
  const meta = await readTableMeta(path);
  if (meta?.kind !== "backtest") return;
  const changed = await changedInputs(meta.provenance);
  if (changed.length === 0) return;
  const recorded = meta.provenance.options;
  const changedText = changed.map((p) => shownPath(ctx, p)).join(", ");
  const own = recorded.input !== undefined || recorded.model !== undefined || recorded.output !== undefined;
  const tickers = Object.keys(backtestDetails(meta.details).windows);
  if (own || tickers.length > 1) {
    ctx.log.warn(`backtest ${ticker} is stale (${changedText} changed): run tsml backtest again`);
    return;
  }
  // Forecasts (a sequence model's values per horizon) carry no signal to trade: the backtest of the earlier
  // model stays as it is, and evaluate leaves it out rather than pair it with the new model's predictions.
  const predictionsPath = tickerTablePath(ctx.workspace, "predictions", ticker);
  const predictions = existsSync(predictionsPath) ? await readTableMeta(predictionsPath) : null;
  if (predictions && predictionsDetails(predictions.details).task === "regression") {
    ctx.log.warn(
      `backtest ${ticker} is stale and not rebuilt: the predictions now hold forecasts, not signals to trade`,
    );
    return;
  }
  const options: BacktestCliOptions = { ticker: [ticker], chart: false };
  for (const key of SETTING_KEYS) {
    const value = recorded[key];
    if (typeof value === "string" || typeof value === "boolean") Object.assign(options, { [key]: value });
  }
  const { backtest } = await import("../backtest.js");
  const { trackedRun } = await import("../support/tracked-run.js");
  await trackedRun(helperContext(ctx), "backtest", { ...options }, (tracked) => backtest(options, tracked));
  announceBuilt(
    ctx,
    `backtest ${ticker}: rebuilt (${options.strategy ?? "long-only"}) with its recorded settings ` +
      `(${changedText} changed) -> ${shownPath(ctx, path)}`,
  );
}
