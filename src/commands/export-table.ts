// `tsml export table`: any artifact to CSV, JSON, NDJSON or Parquet for spreadsheets, pandas and jq.

import { makeProvenance } from "../artifacts/provenance.js";
import { UsageError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import { exportJsonArtifact } from "../export/json-export.js";
import { EXPORT_FORMATS, type ExportFormat, exportTable } from "../export/table-export.js";
import { readExportInput } from "./support/export-input.js";
import type { RunContext } from "./support/run-context.js";

export interface ExportTableOptions {
  input?: string;
  format?: string;
  output?: string;
  sidecar?: boolean;
}

/** The format named by --format, or guessed from the output's extension. */
export function resolveFormat(format: string | undefined, output: string): ExportFormat {
  const guess = format ?? /\.(csv|json|ndjson|jsonl|parquet)$/i.exec(output)?.[1]?.toLowerCase();
  const name = guess === "jsonl" ? "ndjson" : guess;
  if (!name || !(EXPORT_FORMATS as readonly string[]).includes(name))
    throw new UsageError(
      `--format: ${format ? `"${format}" is not supported` : "cannot tell the format from the output name"}`,
      `choose one of: ${EXPORT_FORMATS.join(", ")}`,
    );
  return name as ExportFormat;
}

export async function exportTableCommand(options: ExportTableOptions, ctx: RunContext) {
  const output = options.output;
  if (!output) throw new UsageError("-o/--output is required", "give a file, or - for stdout");
  const format = resolveFormat(options.format, output);
  const input = await readExportInput(options.input);
  if (isStdio(output)) ctx.claimStdout();
  let rows: number;
  if (input.type === "json") {
    await exportJsonArtifact(input.artifact, format, output, options.input!);
    rows = 1;
  } else {
    const { frame, meta } = input.table;
    const provenance = await makeProvenance({
      command: ctx.commandLine,
      options: { ...options },
      seed: ctx.seed,
      inputs: isStdio(options.input) ? [] : [options.input!],
    });
    await exportTable(frame, meta, format, output, { sidecar: options.sidecar, provenance });
    rows = frame.length;
  }
  if (!isStdio(output)) ctx.print(`wrote ${rows} row${rows === 1 ? "" : "s"} as ${format} to ${output}`);
  return { input: options.input, output, format, rows };
}
