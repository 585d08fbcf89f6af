// `tsml features` on panels larger than memory: bars are read a batch of whole tickers at a time, features are
// computed per ticker exactly as computeFeatures does (nothing crosses tickers), and kept rows go straight to
// a Parquet stream, so peak memory is one batch and time is linear in rows. Small inputs are read whole.

import { ParquetStreamWriter } from "../artifacts/parquet-stream-writer.js";
import { openTickerBatches } from "../artifacts/parquet-ticker-batches.js";
import type { TableMeta } from "../artifacts/table-io.js";
import { DataError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import { Frame } from "../frame/frame.js";
import { computeFeatures, type FeatureOptions, type FeatureResult } from "./compute-features.js";
import type { LabelInfo } from "./feature-block.js";
import type { EmptyTicker } from "./no-rows.js";

/** Inputs with more rows than this stream (TSML_STREAM_ROWS overrides; 0 streams everything). */
export const DEFAULT_STREAM_ROWS = 2_000_000;
/** Rows per batch (whole tickers; TSML_STREAM_BATCH_ROWS overrides). */
export const DEFAULT_BATCH_ROWS = 262_144;

/** The streaming thresholds from the environment (tests force tiny batches through these). */
export function streamSettings(env: NodeJS.ProcessEnv = process.env): {
  streamRows: number;
  batchRows: number;
} {
  const read = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min)
      throw new DataError(`${name}: "${raw}" is not a whole number >= ${min}`);
    return value;
  };
  return {
    streamRows: read("TSML_STREAM_ROWS", DEFAULT_STREAM_ROWS, 0),
    batchRows: read("TSML_STREAM_BATCH_ROWS", DEFAULT_BATCH_ROWS, 1),
  };
}

/** A features table computed and written batch by batch; it appears at its target on commit. */
export interface StreamedFeatures {
  /** Counts, names and empty tickers as computeFeatures reports them (parts stay empty: they are on disk). */
  result: FeatureResult;
  /** Tickers that kept rows, in order. */
  tickers: string[];
  /** An empty frame in place of the bars (they were never held whole). */
  frame: Frame;
  path: string;
  commit(meta: TableMeta): Promise<void>;
}

/**
 * Streams `input` to `output` when it is a large tsml panel (see streamSettings); null otherwise, and the
 * caller reads it whole. `ticker` keeps one ticker of a multi-ticker file; `namedFor` is readTable's check.
 * @example const streamed = await streamFeatures("bars.parquet", "features.parquet", { set: "seed000" }, "bars.parquet");
 */
export async function streamFeatures(
  input: string,
  output: string,
  options: FeatureOptions,
  label: string,
  select: { ticker?: string; namedFor?: string } = {},
): Promise<StreamedFeatures | null> {
  if (isStdio(input) || isStdio(output)) return null;
  const { streamRows, batchRows } = streamSettings();
  const source = await openTickerBatches(input, label, {
    kinds: ["bars"],
    ticker: select.namedFor,
    minRows: streamRows,
  });
  if (!source || source.totalRows <= streamRows) return null;
  const only = select.ticker && source.tickerNames.length > 1 ? select.ticker : undefined;
  if (only !== undefined && !source.tickerNames.includes(only))
    throw new DataError(`ticker "${only}" not found (tickers: ${source.tickerNames.join(", ")})`);
  const writer = ParquetStreamWriter.open(output);
  try {
    let names: string[] | null = null;
    let firstTicker = "";
    let labels: LabelInfo[] = [];
    let features: string[] = [];
    let rows = 0;
    let rowsIn = 0;
    const empty: EmptyTicker[] = [];
    const tickers: string[] = [];
    for await (const batch of source.batches(batchRows, only === undefined ? undefined : new Set([only]))) {
      const bars = only === undefined ? batch : batch.forTicker(only);
      const part = computeFeatures(bars, options, label);
      const partNames = [...part.features, ...part.labels.map((l) => l.name)].sort();
      if (!names) {
        names = partNames;
        firstTicker = bars.ticker(0);
        labels = part.labels;
        features = part.features;
      } else if (partNames.length !== names.length || partNames.some((n, i) => n !== names?.[i]))
        throw new DataError(
          `${label}: ticker ${bars.ticker(0)} produced different columns than ${firstTicker}`,
        );
      await writer.append(part.parts);
      for (const p of part.parts) if (p.length > 0) tickers.push(p.ticker(0));
      empty.push(...part.empty);
      rows += part.rows;
      rowsIn += part.rowsIn;
    }
    const result: FeatureResult = {
      parts: [],
      get frame(): Frame {
        throw new Error("features: a streamed result is on disk, not in memory");
      },
      rows,
      labels,
      features,
      rowsIn,
      empty,
    };
    return {
      result,
      tickers,
      frame: Frame.empty(),
      path: input,
      commit: async (meta) => {
        await writer.commit(meta, names ?? []);
      },
    };
  } catch (error) {
    await writer.discard();
    throw error;
  }
}
