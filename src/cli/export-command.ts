// `tsml export table|db|report|chart`: artifacts out to files, databases, an HTML report and SVG charts.

import type { Command } from "commander";
import type { ExportChartOptions } from "../commands/export-chart.js";
import type { ExportDbOptions } from "../commands/export-db.js";
import type { ExportReportOptions } from "../commands/export-report.js";
import type { ExportTableOptions } from "../commands/export-table.js";
import { CHART_NAMES } from "../commands/support/export-chart-names.js";
import { collect, runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

export function registerExport(program: Command): void {
  const exp = program
    .command("export")
    .description("export artifacts: tables, databases, an HTML report, SVG charts")
    .addHelpText("after", "\nExample:\n  tsml export report --ticker SPX -o report.html\n");
  typed(exp.command("table"))
    .description(
      "write any artifact as CSV, JSON, NDJSON or Parquet (streaming; provenance kept where the format allows)",
    )
    .option("-i, --input <artifact>", "artifact file (Parquet table or JSON), or - for Parquet on stdin")
    .option("--format <format>", "csv|json|ndjson|parquet (default: from the output extension)")
    .option("-o, --output <file>", "output file, or - for stdout")
    .option("--sidecar", "also write FILE.meta.json with the provenance (CSV/NDJSON)")
    .addHelpText(
      "after",
      "\nExample:\n  tsml export table -i tsml-workspace/predictions/SPX.parquet --format csv -o spx.csv\n",
    )
    .action(
      runAction(async (_args, options: ExportTableOptions, ctx) =>
        (await import("../commands/export-table.js")).exportTableCommand(options, ctx),
      ),
    );
  typed(exp.command("db"))
    .description("write predictions, backtests or metrics to DuckDB/PostgreSQL/MySQL in one transaction")
    .option("-i, --input <artifact>", "artifact file (Parquet table, or a metrics JSON)")
    .option("--url <url>", "duckdb:FILE, postgres://..., mysql://...")
    .option("--table <table>", "target table (schema.table allowed)")
    .option("--mode <mode>", "append|replace|upsert (default upsert)")
    .addHelpText(
      "after",
      "\nExample:\n  tsml export db -i tsml-workspace/predictions/SPX.parquet --url duckdb:research.duckdb --table predictions\n",
    )
    .action(
      runAction(async (_args, options: ExportDbOptions, ctx) =>
        (await import("../commands/export-db.js")).exportDb(options, ctx),
      ),
    );
  typed(exp.command("report"))
    .description("write a self-contained HTML research report (inline SVG charts, tables, provenance)")
    .option(
      "--ticker <ticker>",
      "ticker to report (repeatable; default: every ticker in the workspace)",
      collect,
      [],
    )
    .option("-o, --output <file>", "HTML file, or - for stdout (default <workspace>/reports/report.html)")
    .option("--title <title>", "report title")
    .option("--log-scale <mode>", "cumulative returns and price axes: auto|log|linear (auto: log when >10x)")
    .addHelpText("after", "\nExample:\n  tsml export report --ticker SPX -o report.html\n")
    .action(
      runAction(async (_args, options: ExportReportOptions, ctx) => {
        // Predictions and backtests older than the latest model are brought up to date first (unless --no-build).
        await (await import("../commands/build/stage-inputs.js")).prepareReport(options, ctx);
        return (await import("../commands/export-report.js")).exportReport(options, ctx);
      }),
    );
  typed(exp.command("chart"))
    .description(`write one chart as SVG: ${CHART_NAMES.join(", ")}`)
    .argument("<name>", CHART_NAMES.join("|"))
    .option("--ticker <ticker>", "ticker (default: the only one in the workspace)")
    .option("--model <model>", "model for the importance chart (default: the first)")
    .option("-o, --output <file>", "SVG file, or - for stdout")
    .addHelpText("after", "\nExample:\n  tsml export chart equity --ticker SPX -o equity.svg\n")
    .action(
      runAction(async ([name], options: ExportChartOptions, ctx) =>
        (await import("../commands/export-chart.js")).exportChart(name, options, ctx),
      ),
    );
}
