// Resolving what `tsml train` learns from: input tables per ticker, feature and target columns, label horizon.

import { PRODUCED_BY } from "../artifacts/artifact-kind.js";
import { type ArtifactTableMeta, readArtifactTable } from "../artifacts/kinds/artifact-table.js";
import type { FeatureLabel, FeaturesDetails } from "../artifacts/kinds/features-artifact.js";
import { tickersWith, tickerTablePath } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import type { Frame } from "../frame/frame.js";

export type LabelMeta = FeatureLabel;

export interface TickerTable {
  ticker: string;
  frame: Frame;
  /** What the features artifact recorded; null for a table tsml did not write. */
  meta: { details: FeaturesDetails } | null;
  /** The file read (for provenance), "-" for stdin. */
  path: string;
}

/** The label seed 000's app trains on (its `y_feature`), used when a features artifact names it. */
export const SEED000_TARGET = "up_down_1wk";

/** Columns that are prices or forward-looking, never default features. */
const NOT_FEATURES = new Set(["price_1wk", "delta_tm", "rt_tm"]);

/**
 * Reads `-i FILE|-`, or `features/<T>.parquet` for --ticker T, or every ticker with features in the workspace;
 * `owns` (a shard's, commands/shard-tickers.ts) leaves out the tickers of other shards before they are read.
 */
export async function readTrainTables(
  workspace: string,
  input: string | undefined,
  ticker: string | undefined,
  owns: (ticker: string) => boolean = () => true,
): Promise<TickerTable[]> {
  if (ticker && !owns(ticker)) return [];
  if (input) {
    const { frame, meta: read, path } = await readArtifactTable(input);
    const meta = featuresOnly(input === "-" ? "<stdin>" : input, read);
    const names = frame.tickers();
    if (ticker) {
      if (names.includes(ticker)) return [{ ticker, frame: onlyTicker(frame, ticker), meta, path }];
      if (names.length <= 1) return [{ ticker, frame, meta, path }];
      throw new DataError(`${input}: no rows for ticker ${ticker} (tickers: ${names.join(", ")})`);
    }
    if (names.length === 0) throw new DataError(`${input}: the table has no rows`);
    return names
      .filter((t) => owns(t || "input"))
      .map((t) => ({ ticker: t || "input", frame: onlyTicker(frame, t), meta, path }));
  }
  const tickers = ticker ? [ticker] : tickersWith(workspace, "features");
  if (tickers.length === 0)
    throw new UsageError(
      `no features in workspace ${workspace}`,
      "run tsml features --ticker T first, or pass -i FILE",
    );
  const out: TickerTable[] = [];
  for (const t of tickers.filter(owns)) {
    const path = tickerTablePath(workspace, "features", t);
    const { frame, meta: read } = await readArtifactTable(path, { ticker: t });
    const meta = featuresOnly(path, read);
    out.push({ ticker: t, frame: onlyTicker(frame, t), meta, path });
  }
  return out;
}

/**
 * A tsml artifact of another kind is refused: a predictions table holds `price` and a model's output with no
 * labels, so training on it would learn horizon-0 nonsense. Tables without tsml metadata stay trainable.
 */
function featuresOnly(label: string, meta: ArtifactTableMeta | null): TickerTable["meta"] {
  if (!meta) return null;
  if (meta.kind === "features") return meta;
  throw new DataError(
    `${label}: a ${meta.kind} artifact cannot be trained on (it is not a features table)`,
    `run train on a features artifact: ${PRODUCED_BY.features} writes features/<TICKER>.parquet`,
  );
}

function onlyTicker(frame: Frame, ticker: string): Frame {
  const names = frame.tickers();
  if (names.length <= 1) return frame;
  const code = frame.tickerNames.indexOf(ticker);
  const idx: number[] = [];
  for (let i = 0; i < frame.length; i++) if (frame.tickerCodes[i] === code) idx.push(i);
  return frame.take(idx);
}

/** Labels declared in a features artifact's metadata. */
export function labelsOf(meta: TickerTable["meta"]): LabelMeta[] {
  return meta?.details.labels ?? [];
}

/**
 * Target: --target, else seed 000's `up_down_1wk` when the artifact declares it, else its first classification
 * label. A table without tsml metadata needs --target.
 */
export function resolveTarget(
  table: TickerTable,
  target: string | undefined,
): { name: string; horizon: number } {
  const labels = labelsOf(table.meta);
  const name =
    target ??
    labels.find((l) => l.name === SEED000_TARGET)?.name ??
    labels.find((l) => l.kind === "classification")?.name;
  if (!name)
    throw new UsageError(
      `${table.path}: no label to train on`,
      "pass --target COLUMN (a 0/1 column of the table)",
    );
  table.frame.get(name);
  const horizon = labels.find((l) => l.name === name)?.horizon ?? 0;
  return { name, horizon: Number(horizon) || 0 };
}

/** Features: --features, else the artifact's declared features, else every numeric non-label column. */
export function resolveFeatures(table: TickerTable, features: string | undefined, target: string): string[] {
  const labels = new Set(labelsOf(table.meta).map((l) => l.name));
  let names: string[];
  if (features)
    names = features
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  else {
    const declared = table.meta?.details.features;
    names = declared ? declared.filter((f) => table.frame.has(f)) : table.frame.columnNames;
    names = names.filter((f) => !labels.has(f) && !NOT_FEATURES.has(f));
  }
  names = names.filter((f) => f !== target);
  for (const f of names) {
    table.frame.get(f);
    if (labels.has(f) && features)
      throw new UsageError(`--features: "${f}" is a label (it looks ahead); drop it from the features`);
  }
  if (names.length === 0)
    throw new UsageError(`${table.path}: no feature columns`, "pass --features a,b,...");
  return names;
}
