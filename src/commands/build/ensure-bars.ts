// Bars a stage needs but the workspace lacks, ingested from the configured source: --source or tsml.json's
// `source`, else the bundled data for its tickers, TWSE for a Taiwan stock number, Alpha Vantage when
// ALPHAVANTAGE_API_KEY is set. The network sources cache their raw responses under cache/ as usual.

import { existsSync } from "node:fs";
import { tickerTablePath } from "../../artifacts/workspace.js";
import { DataError, UsageError } from "../../core/errors.js";
import { BUNDLED_SERIES, bundledFilePath, bundledSeries } from "../../ingest/bundled/bundled-tickers.js";
import type { RunContext } from "../support/run-context.js";
import { announceBuilt, helperContext, shownPath } from "./build-context.js";
import { readWorkspaceConfig } from "./workspace-config.js";

/** A Taiwan Stock Exchange stock number (`2330`), which the TWSE source serves. */
const TAIWAN_CODE = /^\d{4}$/;
const DATABASE_URL = /^(postgres|postgresql|mysql|mariadb|duckdb):/i;

interface SourcePlan {
  /** How the source is named in the built line: "the bundled data (vega-datasets stocks.csv)". */
  label: string;
  ingest(ctx: RunContext): Promise<unknown>;
}

/** The names `--source` and tsml.json's `source` accept besides a CSV path and a database URL. */
export const SOURCE_NAMES = ["bundled", "alphavantage", "twse"] as const;

/**
 * Ingests the ticker's bars when the workspace has none (and building is on); says where they came from.
 * @example await ensureBars("AAPL", ctx) // "bars AAPL: ingested from the bundled data (vega-datasets stocks.csv)"
 */
export async function ensureBars(ticker: string, ctx: RunContext, source?: string): Promise<void> {
  const path = tickerTablePath(ctx.workspace, "bars", ticker);
  if (!ctx.autoBuild || existsSync(path)) return;
  const config = readWorkspaceConfig(ctx);
  const plan = planSource(ticker, source ?? config.source, config.table);
  await plan.ingest(helperContext(ctx));
  if (!existsSync(path))
    throw new DataError(
      `${plan.label} has no bars for ${ticker}`,
      "check the ticker, or ingest it yourself with tsml ingest ... --ticker T",
    );
  announceBuilt(ctx, `bars ${ticker}: ingested from ${plan.label} -> ${shownPath(ctx, path)}`);
}

/** Which source serves a ticker, from the named source or the defaults. */
export function planSource(ticker: string, source: string | undefined, table?: string): SourcePlan {
  if (source === undefined) {
    if (bundledSeries(ticker)) return bundledPlan(ticker);
    if (TAIWAN_CODE.test(ticker)) return twsePlan(ticker);
    if (process.env.ALPHAVANTAGE_API_KEY) return alphaVantagePlan(ticker);
    throw new UsageError(
      `no bars for ${ticker} in the workspace, and no source to ingest them from`,
      `give --source FILE.csv (or a database URL), set "source" in tsml.json, set ALPHAVANTAGE_API_KEY, ` +
        `or use a bundled ticker (${BUNDLED_SERIES.map((s) => s.ticker).join(", ")})`,
    );
  }
  if (source === "bundled") return bundledPlan(ticker);
  if (source === "twse") return twsePlan(ticker);
  if (source === "alphavantage") return alphaVantagePlan(ticker);
  if (DATABASE_URL.test(source)) return databasePlan(ticker, source, table);
  return csvPlan(ticker, source.replace(/^csv:/, ""));
}

function bundledPlan(ticker: string): SourcePlan {
  const series = bundledSeries(ticker);
  if (!series)
    throw new UsageError(
      `${ticker} is not in the bundled data`,
      `bundled tickers: ${BUNDLED_SERIES.map((s) => s.ticker).join(", ")}`,
    );
  return {
    label: `the bundled data (vega-datasets ${series.file})`,
    async ingest(ctx) {
      const { ingestCsv } = await import("../ingest-csv.js");
      // A multi-ticker file keeps only the ticker's rows; a one-series file is stored under the ticker.
      return ingestCsv([bundledFilePath(series)], { ticker: series.symbol ?? series.ticker }, ctx);
    },
  };
}

function twsePlan(ticker: string): SourcePlan {
  return {
    label: "TWSE (the last 12 months)",
    async ingest(ctx) {
      const { ingestTwse } = await import("../ingest-twse.js");
      return ingestTwse({ stock: ticker, ticker }, ctx);
    },
  };
}

function alphaVantagePlan(ticker: string): SourcePlan {
  return {
    label: "Alpha Vantage (daily, compact)",
    async ingest(ctx) {
      const { ingestAlphaVantage } = await import("../ingest-alphavantage.js");
      return ingestAlphaVantage({ symbol: ticker }, ctx);
    },
  };
}

function databasePlan(ticker: string, url: string, table: string | undefined): SourcePlan {
  if (!table)
    throw new UsageError(
      `source ${url.replace(/\/\/[^@/]*@/, "//***@")} needs a table`,
      'add "table": "NAME" to tsml.json',
    );
  return {
    label: `table ${table}`,
    async ingest(ctx) {
      const { ingestDb } = await import("../ingest-db.js");
      return ingestDb({ url, table, ticker }, ctx);
    },
  };
}

function csvPlan(ticker: string, file: string): SourcePlan {
  return {
    label: file,
    async ingest(ctx) {
      const { ingestCsv } = await import("../ingest-csv.js");
      return ingestCsv([file], { ticker }, ctx);
    },
  };
}
