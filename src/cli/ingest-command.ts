// `tsml ingest <source>`: one subcommand per data source, all writing a bars artifact.

import type { Command } from "commander";
import { ingestCsv } from "../commands/ingest-csv.js";
import { collect, runAction } from "./run-action.js";

export function registerIngest(program: Command): void {
  const ingest = program.command("ingest").description("load price bars from a source into a bars artifact");
  ingest
    .command("csv")
    .description("ingest CSV files (any common layout) into canonical bars")
    .argument("<files...>", "CSV files")
    .option("--ticker <ticker>", "ticker for files without a ticker/symbol column (default: file base name)")
    .option("--map <column=field>", "map a source column to a bars field (repeatable)", collect, [])
    .option("--adjust", "back-adjust OHLC by adj_close/close")
    .option("--dedupe <mode>", "keep the last or first of duplicate ticker/date rows: last|first")
    .option("-o, --output <file>", "output Parquet file, or - for stdout (default: the workspace)")
    .addHelpText("after", "\nExample:\n  tsml ingest csv data/sp500.csv --ticker SPX\n")
    .action(runAction((files, options, ctx) => ingestCsv(files, options as never, ctx)));
}
