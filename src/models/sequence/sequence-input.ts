// Shared input handling for the sequence commands: read a bars/features artifact, pick one ticker and the
// target series (close, price, or --target), dropping rows where the target is missing.

import { existsSync } from "node:fs";
import { readArtifactTable } from "../../artifacts/kinds/artifact-table.js";
import { readBars } from "../../artifacts/kinds/bars-artifact.js";
import { tickersWith, tickerTablePath } from "../../artifacts/workspace.js";
import { DataError, UsageError } from "../../core/errors.js";
import type { Frame } from "../../frame/frame.js";

export interface SequenceInput {
  frame: Frame;
  path: string;
  ticker: string;
  target: string;
  time: Float64Array;
  values: Float64Array;
}

const TARGET_CANDIDATES = ["close", "price", "adj_close", "adjclose"];

/** Path of the input: -i, else the workspace's features (or bars) table for --ticker. */
export function sequenceInputPath(workspace: string, input?: string, ticker?: string): string {
  if (input) return input;
  if (!ticker) {
    const all = [...new Set([...tickersWith(workspace, "features"), ...tickersWith(workspace, "bars")])];
    if (all.length !== 1)
      throw new UsageError(
        all.length === 0
          ? `no bars or features in workspace ${workspace}`
          : `several tickers in the workspace: ${all.join(", ")}`,
        "pass -i FILE or --ticker T",
      );
    return sequenceInputPath(workspace, undefined, all[0]);
  }
  const features = tickerTablePath(workspace, "features", ticker);
  return tickersWith(workspace, "features").includes(ticker)
    ? features
    : tickerTablePath(workspace, "bars", ticker);
}

/**
 * Reads the target series of one ticker.
 * @example
 * const { time, values } = await readSequenceInput("bars/SPX.parquet", "SPX", undefined);
 */
export async function readSequenceInput(
  path: string,
  ticker?: string,
  target?: string,
  workspace?: string,
): Promise<SequenceInput> {
  const { frame: all, path: actual } = await readArtifactTable(path, { kinds: ["bars", "features"] });
  const names = all.tickerNames.filter((_, code) => all.tickerCodes.includes(code));
  if (!ticker && names.length > 1)
    throw new UsageError(
      `${path}: holds ${names.length} tickers (${names.slice(0, 5).join(", ")})`,
      "pick one with --ticker T",
    );
  const chosen = ticker ?? names[0] ?? "";
  if (!names.includes(chosen))
    throw new DataError(`${path}: no rows for ticker ${chosen}`, `tickers: ${names.join(", ")}`);
  let frame = names.length > 1 ? all.forTicker(chosen) : all;
  if (!frame.isSorted()) frame = frame.sortByTickerTime();
  const barsPath = workspace ? tickerTablePath(workspace, "bars", chosen) : null;
  const hasTarget = target ? frame.has(target) : TARGET_CANDIDATES.some((c) => frame.has(c));
  if (!hasTarget && barsPath && barsPath !== path && existsSync(barsPath))
    frame = await withBarsPrices(frame, barsPath, chosen);
  const column = target ?? TARGET_CANDIDATES.find((c) => frame.has(c));
  if (!column || !frame.has(column))
    throw new DataError(
      `${path}: no ${target ? `"${target}"` : "close/price"} column`,
      `columns: ${frame.columnNames.join(", ")}; choose one with --target COL`,
    );
  const raw = frame.get(column);
  const mask = Uint8Array.from(raw, (v) => (Number.isFinite(v) ? 1 : 0));
  if (mask.includes(0)) frame = frame.filter(mask);
  if (frame.length === 0) throw new DataError(`${path}: column ${column} has no values`);
  return { frame, path: actual, ticker: chosen, target: column, time: frame.time, values: frame.get(column) };
}

/** A features table without prices (labels only): the ticker's bars, with the features' columns aligned by date. */
async function withBarsPrices(features: Frame, barsPath: string, ticker: string): Promise<Frame> {
  const { frame: allBars } = await readBars(barsPath);
  let bars = allBars.tickerNames.length > 1 ? allBars.forTicker(ticker) : allBars;
  if (!bars.isSorted()) bars = bars.sortByTickerTime();
  const rowOf = new Map<number, number>();
  features.time.forEach((t, i) => {
    rowOf.set(t, i);
  });
  for (const name of features.columnNames) {
    if (bars.has(name)) continue;
    const source = features.get(name);
    const aligned = Float64Array.from(bars.time, (t) => {
      const i = rowOf.get(t);
      return i === undefined ? Number.NaN : source[i];
    });
    bars = bars.with(name, aligned);
  }
  return bars;
}
