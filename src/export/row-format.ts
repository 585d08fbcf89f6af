// Turns Frame rows into CSV / JSON / NDJSON text in chunks, so large tables stream without per-row objects.

import type { TableMeta } from "../artifacts/table-io.js";
import { allMidnight } from "../frame/dates.js";
import type { Frame } from "../frame/frame.js";

export type TextFormat = "csv" | "json" | "ndjson";

/** Rows per chunk handed to the output stream (a few hundred KB of text). */
export const ROWS_PER_CHUNK = 4096;

/** A date cell: "2020-01-31" for daily tables, a full ISO timestamp otherwise. */
export function dateFormatter(time: Float64Array): (ms: number) => string {
  const daily = allMidnight(time);
  return daily ? (ms) => new Date(ms).toISOString().slice(0, 10) : (ms) => new Date(ms).toISOString();
}

/** RFC 4180 quoting: only when the cell holds a comma, quote, or line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Column order of every text export: ticker, date, numeric columns, text columns. */
export function exportColumns(frame: Frame): string[] {
  return ["ticker", "date", ...frame.columnNames, ...frame.text.keys()];
}

/** The CSV header line. */
export function csvHeader(frame: Frame): string {
  return `${exportColumns(frame).map(csvCell).join(",")}\n`;
}

/** Numbers as JSON allows: NaN and infinities become null. */
function jsonNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : "null";
}

/**
 * Rows [start, end) in `format`; NaN is an empty CSV cell and a JSON null.
 * JSON rows are comma-separated objects (the caller writes the surrounding array).
 */
export function formatRows(
  frame: Frame,
  format: TextFormat,
  start: number,
  end: number,
  formatDate: (ms: number) => string,
): string {
  const numericNames = frame.columnNames;
  const numeric = numericNames.map((n) => frame.get(n));
  const textNames = [...frame.text.keys()];
  const texts = textNames.map((n) => frame.text.get(n)!);
  const parts: string[] = [];
  if (format === "csv") {
    for (let i = start; i < end; i++) {
      let line = `${csvCell(frame.ticker(i))},${formatDate(frame.time[i])}`;
      for (let c = 0; c < numeric.length; c++) {
        const v = numeric[c][i];
        line += Number.isNaN(v) ? "," : `,${v}`;
      }
      for (let c = 0; c < texts.length; c++) line += `,${csvCell(texts[c][i] ?? "")}`;
      parts.push(line);
    }
    return parts.length ? `${parts.join("\n")}\n` : "";
  }
  const keys = [...numericNames, ...textNames].map((n) => JSON.stringify(n));
  for (let i = start; i < end; i++) {
    let line = `{"ticker":${JSON.stringify(frame.ticker(i))},"date":"${formatDate(frame.time[i])}"`;
    for (let c = 0; c < numeric.length; c++) line += `,${keys[c]}:${jsonNumber(numeric[c][i])}`;
    for (let c = 0; c < texts.length; c++)
      line += `,${keys[numeric.length + c]}:${JSON.stringify(texts[c][i])}`;
    parts.push(`${line}}`);
  }
  if (parts.length === 0) return "";
  return format === "ndjson" ? `${parts.join("\n")}\n` : parts.join(",\n");
}

/**
 * The JSON export wraps rows with the artifact's metadata so provenance survives:
 * `{"meta": {kind, schemaVersion, provenance, details}, "rows": [...]}` (`jq '.rows[]'`).
 */
export function jsonPrefix(meta: TableMeta | null): string {
  return `{"meta":${JSON.stringify(meta)},\n"rows":[\n`;
}

export const JSON_SUFFIX = "\n]}\n";
