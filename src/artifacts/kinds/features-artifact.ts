// The features artifact (features/<T>.parquet): indicator columns and forward-looking labels per ticker and
// date, written by `tsml features` (and `tsml ingest alphavantage` for its indicator series).

import { SCHEMA_VERSION } from "../artifact-kind.js";
import type { Provenance } from "../provenance.js";
import { type ReadTableOptions, readTable, type TableMeta } from "../table-io.js";
import { detailsObject, numberField, textField, textListField } from "./details-fields.js";
import { type TableArtifactMeta, typedMeta } from "./table-artifact.js";

/** A label column: its name, how many bars ahead it looks, and whether it is a class or a value. */
export interface FeatureLabel {
  name: string;
  horizon: number;
  kind?: string;
}

/** Schema 1 (unchanged since). */
export interface FeaturesDetails {
  /** The named feature set (seed000...), null for --indicators/--labels. */
  set: string | null;
  labels: FeatureLabel[];
  /** The feature columns (not labels); null when not recorded. */
  features: string[] | null;
  keepIncomplete: boolean;
  tickers: string[];
  /** Where the features came from when not computed from bars (alphavantage). */
  source: string | null;
}

export type FeaturesMeta = TableArtifactMeta<"features", FeaturesDetails>;

function labelOf(value: unknown): FeatureLabel | null {
  const l = detailsObject(value);
  const name = textField(l.name);
  if (name === null) return null;
  const kind = textField(l.kind);
  return { name, horizon: numberField(l.horizon) ?? 0, ...(kind === null ? {} : { kind }) };
}

/** A features footer's details, typed (labels without a name are dropped). */
export function featuresDetails(raw: unknown): FeaturesDetails {
  const d = detailsObject(raw);
  return {
    set: textField(d.set),
    labels: Array.isArray(d.labels) ? d.labels.map(labelOf).filter((l): l is FeatureLabel => l !== null) : [],
    features: textListField(d.features),
    keepIncomplete: d.keepIncomplete === true,
    tickers: textListField(d.tickers) ?? [],
    source: textField(d.source),
  };
}

/** The footer tsml features writes. */
export function featuresMeta(provenance: Provenance, details: Partial<FeaturesDetails>): TableMeta {
  return {
    kind: "features",
    schemaVersion: SCHEMA_VERSION.features,
    provenance,
    details: { ...featuresDetails(details) },
  };
}

/** Reads a features table. */
export async function readFeatures(path: string, options: Omit<ReadTableOptions, "kinds"> = {}) {
  const { frame, meta, path: read } = await readTable(path, { ...options, kinds: ["features"] });
  return { frame, path: read, meta: meta ? typedMeta(path, meta, "features", featuresDetails) : null };
}
