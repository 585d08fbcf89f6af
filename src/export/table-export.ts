// Streams a table artifact (Frame + metadata) to CSV, JSON, NDJSON or Parquet, keeping provenance where the
// format has room for it: the Parquet footer, a `meta` member in JSON, an optional sidecar for CSV/NDJSON.

import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import type { Provenance } from "../artifacts/provenance.js";
import { type TableMeta, tableMeta, writeTable } from "../artifacts/table-io.js";
import { writeAtomically, writeFileAtomic } from "../core/atomic-file.js";
import { InternalError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import type { Frame } from "../frame/frame.js";
import {
  csvHeader,
  dateFormatter,
  formatRows,
  JSON_SUFFIX,
  jsonPrefix,
  ROWS_PER_CHUNK,
  type TextFormat,
} from "./row-format.js";

export type ExportFormat = TextFormat | "parquet";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "json", "ndjson", "parquet"];

/** Writes `text` honouring back-pressure. */
async function put(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text.length === 0) return;
  if (!stream.write(text)) await once(stream, "drain");
}

/** Writes a frame as text rows to a stream, chunk by chunk. */
export async function streamTextRows(
  frame: Frame,
  meta: TableMeta | null,
  format: TextFormat,
  stream: NodeJS.WritableStream,
  stopped: () => boolean = () => false,
): Promise<void> {
  const formatDate = dateFormatter(frame.time);
  if (format === "csv") await put(stream, csvHeader(frame));
  if (format === "json") await put(stream, jsonPrefix(meta));
  for (let start = 0; start < frame.length && !stopped(); start += ROWS_PER_CHUNK) {
    const end = Math.min(frame.length, start + ROWS_PER_CHUNK);
    const text = formatRows(frame, format, start, end, formatDate);
    await put(stream, format === "json" && start > 0 ? `,\n${text}` : text);
  }
  if (format === "json") await put(stream, JSON_SUFFIX);
}

async function closeStream(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, "close");
}

/**
 * Exports a table; `-` writes to stdout. Files are written atomically.
 * @example
 * await exportTable(frame, meta, "csv", "predictions.csv");
 */
export async function exportTable(
  frame: Frame,
  meta: TableMeta | null,
  format: ExportFormat,
  output: string,
  options: { sidecar?: boolean; provenance?: Provenance } = {},
): Promise<void> {
  if (format === "parquet") {
    const kept = meta ?? (options.provenance ? tableMeta("report", options.provenance) : null);
    if (!kept) throw new InternalError("parquet export needs table metadata or provenance");
    await writeTable(output, frame, kept);
    return;
  }
  if (isStdio(output)) {
    // A reader that stops early (`| head`) closes the pipe: stop writing quietly, as Unix tools do.
    let closed = false;
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") closed = true;
    };
    process.stdout.on("error", onError);
    try {
      await streamTextRows(frame, meta, format, process.stdout, () => closed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
    } finally {
      process.stdout.off("error", onError);
    }
    return;
  }
  await writeAtomically(output, async (temp) => {
    const stream = createWriteStream(temp);
    const failed = new Promise<never>((_, reject) => stream.once("error", reject));
    await Promise.race([streamTextRows(frame, meta, format, stream), failed]);
    await closeStream(stream);
  });
  if (options.sidecar && format !== "json" && meta) {
    await writeFileAtomic(`${output}.meta.json`, `${JSON.stringify(meta, null, 2)}\n`);
  }
}
