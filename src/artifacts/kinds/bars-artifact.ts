// The bars artifact (bars/<T>.parquet): OHLCV rows per ticker and date, written by `tsml ingest`.

import { SCHEMA_VERSION } from "../artifact-kind.js";
import type { Provenance } from "../provenance.js";
import { type ReadTableOptions, readTable, type TableMeta } from "../table-io.js";
import { detailsObject, textField, textListField } from "./details-fields.js";
import { type TableArtifactMeta, typedMeta } from "./table-artifact.js";

/** Schema 1 (unchanged since): the source, its tickers, and the source's own facts (`adjusted`, `url`...). */
export interface BarsDetails {
  source: string | null;
  tickers: string[];
  /** Price fields the source lacked, filled from close. */
  derivedFromClose: string[];
  /** Source-specific facts, recorded as given. */
  [fact: string]: unknown;
}

export type BarsMeta = TableArtifactMeta<"bars", BarsDetails>;

/** A bars footer's details, typed. */
export function barsDetails(raw: unknown): BarsDetails {
  const d = detailsObject(raw);
  return {
    ...d,
    source: textField(d.source),
    tickers: textListField(d.tickers) ?? [],
    derivedFromClose: textListField(d.derivedFromClose) ?? [],
  };
}

/** The footer tsml ingest writes. */
export function barsMeta(provenance: Provenance, details: BarsDetails): TableMeta {
  return { kind: "bars", schemaVersion: SCHEMA_VERSION.bars, provenance, details: barsDetails(details) };
}

/** Reads a bars table (a Parquet file without tsml metadata reads with null meta). */
export async function readBars(path: string, options: Omit<ReadTableOptions, "kinds"> = {}) {
  const { frame, meta, path: read } = await readTable(path, { ...options, kinds: ["bars"] });
  return { frame, path: read, meta: meta ? typedMeta(path, meta, "bars", barsDetails) : null };
}
