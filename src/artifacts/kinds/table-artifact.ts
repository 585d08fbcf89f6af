// What every typed table artifact shares: its kind, the schema version it was written with, its provenance and
// its kind's typed details; and the check that a file is not from a newer tsml than this one.

import { DataError } from "../../core/errors.js";
import { type ArtifactKind, SCHEMA_VERSION } from "../artifact-kind.js";
import type { Provenance } from "../provenance.js";
import type { TableMeta } from "../table-io.js";

export interface TableArtifactMeta<K extends ArtifactKind, D> {
  kind: K;
  /** The version the file was written with (its details are migrated to the current one on reading). */
  schemaVersion: number;
  provenance: Provenance;
  details: D;
}

/**
 * Refuses a file written with a newer schema than this tsml reads: its details may mean something else.
 * @example checkSchemaVersion("bars/SPX.parquet", meta) // throws for { kind: "bars", schemaVersion: 9 }
 */
export function checkSchemaVersion(label: string, meta: Pick<TableMeta, "kind" | "schemaVersion">): void {
  const current = SCHEMA_VERSION[meta.kind];
  const version = meta.schemaVersion;
  if (current === undefined || (typeof version === "number" && version <= current)) return;
  throw new DataError(
    `${label}: a ${meta.kind} artifact of schema version ${String(version)}, newer than this tsml reads (${current})`,
    "upgrade tsml, or re-create the file with this version",
  );
}

/** A raw footer as the typed meta of its kind, details built by `parse` (which migrates older versions). */
export function typedMeta<K extends ArtifactKind, D>(
  label: string,
  meta: TableMeta,
  kind: K,
  parse: (raw: unknown, schemaVersion: number) => D,
): TableArtifactMeta<K, D> {
  checkSchemaVersion(label, meta);
  const version = typeof meta.schemaVersion === "number" ? meta.schemaVersion : 1;
  return { kind, schemaVersion: version, provenance: meta.provenance, details: parse(meta.details, version) };
}
