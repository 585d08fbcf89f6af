// Reading a table that may be one of several kinds (backtest takes predictions, features or bars; evaluate
// predictions or backtests; the report whatever it finds): its frame and its meta typed by its kind.

import type { ArtifactKind } from "../artifact-kind.js";
import { type ReadTableOptions, readTable, type TableMeta } from "../table-io.js";
import { type BacktestMeta, backtestDetails } from "./backtest-artifact.js";
import { type BarsMeta, barsDetails } from "./bars-artifact.js";
import { type FeaturesMeta, featuresDetails } from "./features-artifact.js";
import { type PredictionsMeta, predictionsDetails } from "./predictions-artifact.js";
import { type TableArtifactMeta, typedMeta } from "./table-artifact.js";

/** Tables of kinds without table details of their own (an exported report table). */
export type OtherTableMeta = TableArtifactMeta<
  Exclude<ArtifactKind, "bars" | "features" | "predictions" | "backtest">,
  Record<string, never>
>;

export type ArtifactTableMeta = BarsMeta | FeaturesMeta | PredictionsMeta | BacktestMeta | OtherTableMeta;

/** A raw footer as its kind's typed meta (each kind's one reader of its details). */
export function artifactTableMeta(label: string, meta: TableMeta): ArtifactTableMeta {
  switch (meta.kind) {
    case "bars":
      return typedMeta(label, meta, "bars", barsDetails);
    case "features":
      return typedMeta(label, meta, "features", featuresDetails);
    case "predictions":
      return typedMeta(label, meta, "predictions", predictionsDetails);
    case "backtest":
      return typedMeta(label, meta, "backtest", backtestDetails);
    default:
      return typedMeta(label, meta, meta.kind, () => ({}));
  }
}

/**
 * Reads a Parquet table, typing its tsml metadata by kind (null for a file tsml did not write).
 * @example const { frame, meta } = await readArtifactTable(path, { kinds: ["predictions", "backtest"] });
 */
export async function readArtifactTable(path: string, options: ReadTableOptions = {}) {
  const { frame, meta, path: read } = await readTable(path, options);
  return { frame, path: read, meta: meta ? artifactTableMeta(path, meta) : null };
}
