// `tsml ingest <source>`: one subcommand per data source, all writing a bars artifact.

import type { Command } from "commander";
import type { IngestAlphaVantageOptions } from "../commands/ingest-alphavantage.js";
import type { IngestCsvOptions } from "../commands/ingest-csv.js";
import type { IngestDbOptions } from "../commands/ingest-db.js";
import type { IngestTwseOptions } from "../commands/ingest-twse.js";
import { collect, runAction } from "./run-action.js";
import { type TypedCommand, typed } from "./typed-command.js";

export function registerIngest(program: Command): void {
  const ingest = program
    .command("ingest")
    .description("load price bars from a source into a bars artifact")
    .addHelpText(
      "after",
      "\nExample:\n  tsml ingest csv sp500-2000.csv --ticker SPX   # node_modules/vega-datasets/data/sp500-2000.csv in a checkout\n",
    );
  typed(ingest.command("csv"))
    .description("ingest CSV files (any common layout) into canonical bars")
    .argument("<files...>", "CSV files")
    .option("--ticker <ticker>", "ticker for files without a ticker/symbol column (default: file base name)")
    .option("--map <column=field>", "map a source column to a bars field (repeatable)", collect, [])
    .option("--adjust", "back-adjust OHLC by adj_close/close")
    .option("--dedupe <mode>", "keep the last or first of duplicate ticker/date rows: last|first")
    .option("-o, --output <file>", "output Parquet file, or - for stdout (default: the workspace)")
    .option("--to-db <url>", "also upsert the bars into a database table (needs --table)")
    .option("--table <table>", "table for --to-db (created if missing, primary key ticker+date)")
    .addHelpText(
      "after",
      "\nExample:\n  tsml ingest csv sp500-2000.csv --ticker SPX   # node_modules/vega-datasets/data/sp500-2000.csv in a checkout\n",
    )
    .action(
      runAction(async (files, options: IngestCsvOptions, ctx) =>
        (await import("../commands/ingest-csv.js")).ingestCsv(files, options, ctx),
      ),
    );
  registerSources(ingest);
}

/** The flags every network source shares (HTTP settings, response cache) and where its bars go. */
function networkSourceFlags<O>(command: TypedCommand<O>) {
  return command
    .option("--base-url <url>", "service address (tests point it at a local server)")
    .option("--cache-dir <dir>", "raw-response cache (default <workspace>/cache/<source>)")
    .option("--refresh", "ignore cached responses (they are still saved)")
    .option("--no-cache", "neither read nor write the response cache")
    .option("--timeout <seconds>", "per-request timeout (default 30)")
    .option("--retries <n>", "retries on 429/5xx/timeouts/resets/truncated bodies (default 4)")
    .option("--retry-delay <ms>", "first backoff delay, doubled per retry with jitter (default 1000)")
    .option("-o, --output <file>", "output Parquet file, or - for stdout (default: the workspace)")
    .option("--to-db <url>", "also upsert the bars into a database table (needs --table)")
    .option("--table <table>", "table for --to-db (created if missing, primary key ticker+date)");
}

function registerSources(ingest: Command): void {
  const av = typed(ingest.command("alphavantage"))
    .description("daily stock/crypto series and technical indicators from Alpha Vantage")
    .requiredOption("--symbol <symbols>", "symbol(s), comma-separated: IBM,MSFT or BTC for crypto")
    .option("--function <name>", "daily | daily-adjusted | crypto (default daily)")
    .option("--market <code>", "crypto market currency (default USD)")
    .option("--outputsize <size>", "compact (latest 100 days) | full (default compact)")
    .option("--datatype <type>", "json | csv (default json)")
    .option("--indicators <list>", "also fetch indicators, e.g. RSI,MACD,SMA:20 (features artifact)")
    .option("--features-output <file>", "where the indicators go (default <workspace>/features/<T>.parquet)")
    .option("--api-key <key>", "API key (default env ALPHAVANTAGE_API_KEY); never printed or stored")
    .option("--rate <n>", "requests per minute (default 5, the free tier)")
    .option(
      "--queue <url>",
      "one job per symbol for `tsml worker`s on this Redis job queue (redis://HOST:6379) instead of here",
    );
  const twse = typed(ingest.command("twse"))
    .description("TAIEX index or a listed stock's daily history from the Taiwan Stock Exchange")
    .option("--index <name>", "index history (TAIEX)")
    .option("--stock <number>", "stock number, e.g. 2330")
    .option("--from <YYYY-MM>", "first month (default 12 months before --to)")
    .option("--to <YYYY-MM>", "last month (default this month)")
    .option("--ticker <ticker>", "ticker to store under (default TAIEX or the stock number)")
    .option("--delay <seconds>", "at least this long between requests (default 2; TWSE blocks bursts)");
  networkSourceFlags(av)
    .addHelpText(
      "after",
      "\nExample:\n  tsml ingest alphavantage --symbol IBM,MSFT --outputsize full --indicators RSI,MACD\n",
    )
    .action(
      runAction(async (_args, options: IngestAlphaVantageOptions, ctx) =>
        (await import("../commands/ingest-alphavantage.js")).ingestAlphaVantage(options, ctx),
      ),
    );
  networkSourceFlags(twse)
    .addHelpText("after", "\nExample:\n  tsml ingest twse --stock 2330 --from 2023-01 --to 2023-12\n")
    .action(
      runAction(async (_args, options: IngestTwseOptions, ctx) =>
        (await import("../commands/ingest-twse.js")).ingestTwse(options, ctx),
      ),
    );
  typed(ingest.command("db"))
    .description(
      "read bars from a database table or query (DuckDB file, PostgreSQL/TimescaleDB, MySQL/MariaDB)",
    )
    .requiredOption(
      "--url <url>",
      "duckdb:FILE.duckdb | postgres://user@host:5432/db | mysql://user@host:3306/db",
    )
    .option("--table <table>", "source table")
    .option("--query <sql>", "source query (instead of --table)")
    .option(
      "--ticker <ticker>",
      "ticker when the result has no ticker/symbol column (default: the table name)",
    )
    .option("--map <column=field>", "map a source column to a bars field (repeatable)", collect, [])
    .option("--dedupe <mode>", "keep the last or first of duplicate ticker/date rows: last|first")
    .option("-o, --output <file>", "output Parquet file, or - for stdout (default: the workspace)")
    .option("--to-db <url>", "also upsert the bars into a database table (needs --to-table)")
    .option("--to-table <table>", "table for --to-db")
    .addHelpText(
      "after",
      "\nExample:\n  tsml ingest db --url postgres://postgres@127.0.0.1:5432/test --table stock_prices --ticker MSFT\n",
    )
    .action(
      runAction(async (_args, options: IngestDbOptions, ctx) =>
        (await import("../commands/ingest-db.js")).ingestDb(options, ctx),
      ),
    );
}
