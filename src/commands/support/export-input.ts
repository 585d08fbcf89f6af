// Reads any artifact for export: Parquet tables (with their tsml metadata) or JSON artifacts (model, metrics).

import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { type JsonArtifact, readJsonArtifact } from "../../artifacts/json-artifact.js";
import { type ReadTableResult, readTable } from "../../artifacts/table-io.js";
import { DataError, UsageError } from "../../core/errors.js";
import { isStdio } from "../../core/stdio.js";

export type ExportInput =
  | { type: "table"; table: ReadTableResult }
  | { type: "json"; artifact: JsonArtifact };

/** True when the file starts with Parquet's "PAR1" magic bytes. */
function isParquet(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    return head.toString("latin1") === "PAR1";
  } finally {
    closeSync(fd);
  }
}

export async function readExportInput(path: string | undefined): Promise<ExportInput> {
  if (!path)
    throw new UsageError("-i/--input is required", "e.g. tsml export table -i predictions/SPX.parquet");
  if (isStdio(path)) return { type: "table", table: await readTable(path) };
  if (!existsSync(path)) throw new DataError(`${path}: file not found`);
  // Same line as readTable's: reading a folder would otherwise end in a raw EISDIR without its path.
  if (statSync(path).isDirectory())
    throw new DataError(`${path}: is a directory, expected a Parquet file or a JSON artifact`);
  if (isParquet(path)) return { type: "table", table: await readTable(path) };
  return { type: "json", artifact: readJsonArtifact(path, []) };
}
