// `tsml export db`: predictions, backtests (any table artifact) or metrics into DuckDB/PostgreSQL/MySQL in one
// transaction, through the shared database layer (same URL and identifier rules as ingest --to-db).

import type { JsonArtifact } from "../artifacts/json-artifact.js";
import { UsageError } from "../core/errors.js";
import { parseDbUrl } from "../db/db-url.js";
import { validateTableName } from "../db/identifier.js";
import { parseWriteMode, writeFrame } from "../db/write-frame.js";
import { flattenJson } from "../export/json-export.js";
import { parseDateFlag } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { readExportInput } from "./support/export-input.js";
import type { RunContext } from "./support/run-context.js";

export interface ExportDbOptions {
  input?: string;
  url?: string;
  table?: string;
  mode?: string;
}

/** Text columns that identify a row beside ticker and date (one prediction per model per day). */
const KEY_TEXT = ["model_id", "model", "model_name", "model_version"];

/** A metrics JSON artifact as one row: ticker, the artifact's date, every numeric leaf as a column a_b_c. */
export function metricsRow(artifact: JsonArtifact): Frame {
  const a = artifact as Record<string, unknown>;
  const created = String(artifact.provenance?.createdAt ?? new Date().toISOString()).slice(0, 10);
  const columns = new Map<string, Float64Array>();
  const body = Object.fromEntries(
    Object.entries(a).filter(([k]) => !["kind", "schemaVersion", "provenance"].includes(k)),
  );
  for (const [path, value] of flattenJson(body)) {
    const v = Number(value);
    if (value === "" || !Number.isFinite(v)) continue;
    const name = path
      .replace(/[^A-Za-z0-9_]/g, "_")
      .replace(/^([0-9])/, "_$1")
      .slice(0, 63);
    if (!columns.has(name)) columns.set(name, Float64Array.of(v));
  }
  return Frame.fromColumns(
    String(a.ticker ?? a.symbol ?? ""),
    Float64Array.of(parseDateFlag(created, "createdAt")),
    columns,
  );
}

export async function exportDb(options: ExportDbOptions, ctx: RunContext) {
  if (!options.url) throw new UsageError("--url is required", "e.g. --url duckdb:research.duckdb");
  if (!options.table) throw new UsageError("--table is required", "e.g. --table predictions");
  const url = parseDbUrl(options.url, "--url");
  validateTableName(options.table);
  const mode = parseWriteMode(options.mode);
  const input = await readExportInput(options.input);
  const frame = input.type === "table" ? input.table.frame : metricsRow(input.artifact);
  const key = ["ticker", "date", ...KEY_TEXT.filter((k) => frame.text.has(k))];
  const result = await writeFrame(url, options.table, frame, { mode, key });
  ctx.print(`wrote ${result.rows} rows to ${url.display} table ${result.table} (${result.mode})`);
  return {
    input: options.input,
    url: url.display,
    table: result.table,
    rows: result.rows,
    mode: result.mode,
  };
}
