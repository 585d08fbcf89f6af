// Shared by every ingest source: writes a bars frame to -o FILE, to stdout (`-o -`), or to the workspace as
// bars/<TICKER>.parquet per ticker, then prints the data-quality report (or returns it for --json).

import { barsMeta } from "../../artifacts/kinds/bars-artifact.js";
import { writeTableFast } from "../../artifacts/parquet-fast-writer.js";
import type { InputFingerprint } from "../../artifacts/provenance.js";
import { makeProvenance } from "../../artifacts/provenance.js";
import { tickerTablePath } from "../../artifacts/workspace.js";
import { isStdio } from "../../core/stdio.js";
import { terminalTable } from "../../core/terminal-table.js";
import { writeBars } from "../../db/write-frame.js";
import type { Frame } from "../../frame/frame.js";
import {
  FINDINGS,
  type Finding,
  type QualityNotes,
  type QualityReport,
  qualityReport,
} from "../../ingest/quality-report.js";
import type { RunContext } from "./run-context.js";
import { emptyShard, shardTickers } from "./shard-tickers.js";
import { toDbTarget } from "./to-db-target.js";

/** Where and how to publish; sources add their own fields (e.g. a database target) as they need them. */
export interface PublishOptions {
  /** The source name recorded in metadata: csv, alphavantage, twse, db. */
  source: string;
  /** -o: a Parquet file, `-` for stdout, or undefined for the workspace. */
  output?: string;
  /** The command's options as given (recorded in provenance; secrets are redacted there). */
  options: Record<string, unknown>;
  /** Input files (hashed) or fingerprints/URLs for provenance. */
  inputs: readonly (string | InputFingerprint)[];
  /** Extra facts for the artifact's metadata details. */
  details?: Record<string, unknown>;
  /** --to-db URL --table T: also upsert the bars into a database table (one transaction). */
  toDb?: { url: string; table: string };
}

export interface PublishSummary {
  outputs: string[];
  rows: number;
  tickers: string[];
  report: QualityReport;
}

/**
 * Writes the bars (every write atomic; `writeTableFast` writes daily bars 10x faster than the DuckDB COPY path
 * and falls back to it for stdout and intraday timestamps) and reports on them.
 * @example
 * return publishBars(frame, notes, { source: "csv", output: options.output, options, inputs: files }, ctx);
 */
export async function publishBars(
  all: Frame,
  notes: QualityNotes,
  options: PublishOptions,
  ctx: RunContext,
): Promise<PublishSummary> {
  // A shard publishes (files, database rows, report) only the tickers it owns; the other shards publish the rest.
  const frame = ctx.shard
    ? shardRows(all, shardTickers(ctx, all.tickers(), `ingest ${options.source}`))
    : all;
  if (frame.length === 0 && all.length > 0) {
    emptyShard(ctx, `ingest ${options.source}`, all.tickers().length);
    return { outputs: [], rows: 0, tickers: [], report: qualityReport(frame, notes) };
  }
  const toDb = "toDb" in options ? options.toDb : toDbTarget(options.options);
  const report = qualityReport(frame, notes);
  const tickers = report.tickers.map((t) => t.ticker);
  const provenance = await makeProvenance({
    command: ctx.commandLine,
    options: options.options,
    seed: ctx.seed,
    inputs: options.inputs,
  });
  const details = {
    source: options.source,
    tickers,
    derivedFromClose: report.derivedFromClose,
    ...options.details,
  };
  const outputs: string[] = [];
  // Every workspace path is resolved before anything is written, so an unstorable ticker in a multi-ticker
  // file refuses the whole ingest instead of leaving the earlier tickers' files behind.
  const targets =
    options.output === undefined
      ? frame.groups().map((group) => ({ group, path: tickerTablePath(ctx.workspace, "bars", group.ticker) }))
      : [];
  // The database write is one transaction and goes first: a refused table or connection then leaves no files,
  // and a failure writing files afterwards leaves rows an idempotent upsert rewrites on the next run.
  let dbLine: string | null = null;
  if (toDb) {
    const written = await writeBars(toDb.url, toDb.table, frame);
    dbLine = `${toDb.table} (${written.rows} rows upserted)`;
  }
  if (options.output !== undefined) {
    if (isStdio(options.output)) ctx.claimStdout();
    await writeTableFast(options.output, frame, barsMeta(provenance, details));
    outputs.push(options.output);
  } else {
    for (const { group, path } of targets) {
      const part = frame.slice(group.start, group.end);
      await writeTableFast(path, part, barsMeta(provenance, { ...details, tickers: [group.ticker] }));
      outputs.push(path);
    }
  }
  if (dbLine) outputs.push(dbLine);
  ctx.print(formatReport(report, outputs));
  return { outputs, rows: frame.length, tickers, report };
}

const LABELS: Record<(typeof FINDINGS)[number], string> = {
  gaps: "gaps > 5 business days",
  closeOutsideRange: "close outside [low, high]",
  zeroVolume: "zero volume",
  jumps: "close jumps > 25%",
  nullRowsSkipped: "all-null rows skipped",
  openMissing: "open 0/missing (stored as null)",
};

/** The report as a terminal table plus one line per finding naming its dates. */
export function formatReport(report: QualityReport, outputs: readonly string[]): string {
  const table = terminalTable(
    ["ticker", "rows", "from", "to", "gaps", "close∉[L,H]", "zero vol", "jumps", "null rows", "open missing"],
    { color: false },
  );
  const lines: string[] = [];
  for (const t of report.tickers) {
    table.push([t.ticker, t.rows, t.first, t.last, ...FINDINGS.map((k) => t[k].count)]);
    for (const key of FINDINGS) {
      const finding: Finding = t[key];
      if (finding.count === 0) continue;
      const shown = finding.dates.slice(0, 8);
      const more = finding.count > shown.length ? ` ... and ${finding.count - shown.length} more` : "";
      lines.push(`  ${t.ticker}: ${LABELS[key]} (${finding.count}): ${shown.join(", ")}${more}`);
    }
  }
  if (report.derivedFromClose.length > 0)
    lines.push(`  no ${report.derivedFromClose.join("/")} column: filled from close (O=H=L=C)`);
  if (report.identicalDuplicates > 0)
    lines.push(`  ${report.identicalDuplicates} identical duplicate rows dropped`);
  if (report.dedupedRows > 0) lines.push(`  ${report.dedupedRows} duplicate rows dropped by --dedupe`);
  const where = outputs.length === 1 ? outputs[0] : `${outputs.length} files`;
  return [
    `ingested ${report.rows} rows, ${report.tickers.length} ticker(s) -> ${where}`,
    table.toString(),
    ...lines,
  ].join("\n");
}

/** The rows of the given tickers (all of a frame's rows when it holds no others). */
function shardRows(frame: Frame, tickers: readonly string[]): Frame {
  const codes = new Set(tickers.map((t) => frame.tickerNames.indexOf(t)));
  const mask = new Uint8Array(frame.length);
  for (let i = 0; i < frame.length; i++) mask[i] = codes.has(frame.tickerCodes[i]) ? 1 : 0;
  return frame.filter(mask);
}
