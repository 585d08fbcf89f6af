// One ticker's bars as plain Float64Array views: the input every indicator, set and label reads.

import { DataError } from "../core/errors.js";
import type { Frame } from "../frame/frame.js";

export interface BarSeries {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** NaN-filled when the bars have no volume column. */
  volume: Float64Array;
  /** Epoch ms (UTC), one per row. */
  time: Float64Array;
}

/** Rows [start, end) of a bars frame as views; seed 000's `price` is accepted in place of `close`. */
export function barSeries(frame: Frame, start = 0, end = frame.length, label = "bars"): BarSeries {
  const pick = (name: string, ...aliases: string[]): Float64Array | null => {
    for (const n of [name, ...aliases]) if (frame.has(n)) return frame.get(n).subarray(start, end);
    return null;
  };
  const close = pick("close", "price");
  if (!close)
    throw new DataError(
      `${label}: no close column (columns: ${frame.columnNames.join(", ") || "none"})`,
      "features need a bars artifact with at least close (run tsml ingest first)",
    );
  const nan = () => new Float64Array(end - start).fill(Number.NaN);
  return {
    open: pick("open") ?? close,
    high: pick("high") ?? close,
    low: pick("low") ?? close,
    close,
    volume: pick("volume") ?? nan(),
    time: frame.time.subarray(start, end),
  };
}

/** The same bars truncated to the first `rows` rows (views): used to check causality. */
export function truncateBars(bars: BarSeries, rows: number): BarSeries {
  return {
    open: bars.open.subarray(0, rows),
    high: bars.high.subarray(0, rows),
    low: bars.low.subarray(0, rows),
    close: bars.close.subarray(0, rows),
    volume: bars.volume.subarray(0, rows),
    time: bars.time.subarray(0, rows),
  };
}
