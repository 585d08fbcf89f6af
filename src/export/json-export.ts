// Exports a JSON artifact (model, metrics): JSON as is, NDJSON as one line, CSV as flattened key,value rows.

import { writeFileAtomic } from "../core/atomic-file.js";
import { UsageError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import { csvCell } from "./row-format.js";
import type { ExportFormat } from "./table-export.js";

/** Flattens nested objects and arrays to dotted paths: `metrics.test.accuracy`, `features.0`. */
export function flattenJson(value: unknown, prefix = "", out: [string, string][] = []): [string, string][] {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    if (entries.length === 0) out.push([prefix, Array.isArray(value) ? "[]" : "{}"]);
    for (const [k, v] of entries) flattenJson(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.push([prefix, value === null || value === undefined ? "" : String(value)]);
  }
  return out;
}

/** The text of a JSON artifact in `format`. */
export function formatJsonArtifact(artifact: unknown, format: ExportFormat, label: string): string {
  if (format === "json") return `${JSON.stringify(artifact, null, 2)}\n`;
  if (format === "ndjson") return `${JSON.stringify(artifact)}\n`;
  if (format === "csv")
    return `key,value\n${flattenJson(artifact)
      .map(([k, v]) => `${csvCell(k)},${csvCell(v)}`)
      .join("\n")}\n`;
  throw new UsageError(
    `${label}: a JSON artifact cannot be written as ${format}`,
    "use --format json, ndjson or csv for models and metrics",
  );
}

/** Writes a JSON artifact export to a file (atomically) or stdout (`-`). */
export async function exportJsonArtifact(
  artifact: unknown,
  format: ExportFormat,
  output: string,
  label: string,
): Promise<void> {
  const text = formatJsonArtifact(artifact, format, label);
  if (isStdio(output)) process.stdout.write(text);
  else await writeFileAtomic(output, text);
}
