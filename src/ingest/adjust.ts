// --adjust: back-adjusts open/high/low/close by adj_close/close, so splits and dividends do not show as jumps.

import { DataError } from "../core/errors.js";
import { isoDate } from "../frame/dates.js";
import type { Frame } from "../frame/frame.js";

/**
 * Multiplies open, high, low and close by factor = adj_close / close on each row (Yahoo's convention: Close
 * is split-adjusted, Adj Close also dividend-adjusted). After it close equals adj_close. Volume is unchanged
 * (Yahoo volumes are already split-adjusted). Every row needs an adj_close.
 * @example
 * adjustBars(frame).get("close") // equals frame.get("adj_close")
 */
export function adjustBars(frame: Frame, label = "input"): Frame {
  if (!frame.has("adj_close")) {
    throw new DataError(
      `${label}: --adjust needs an adj_close column (Adj Close, adjusted_close)`,
      "drop --adjust",
    );
  }
  const adj = frame.get("adj_close");
  const close = frame.get("close");
  const factor = new Float64Array(frame.length);
  for (let i = 0; i < frame.length; i++) {
    factor[i] = adj[i] / close[i];
    if (!Number.isFinite(factor[i]) || factor[i] <= 0) {
      throw new DataError(
        `${label}: --adjust: ${frame.ticker(i)} ${isoDate(frame.time[i])} has no usable adj_close`,
        "every row needs a positive adj_close to adjust",
      );
    }
  }
  let out = frame;
  for (const name of ["open", "high", "low", "close"]) {
    if (!frame.has(name)) continue;
    const src = frame.get(name);
    // close * (adj / close) is adj up to rounding; take adj itself so the identity is exact.
    const dst = name === "close" ? adj.slice() : new Float64Array(frame.length);
    if (name !== "close") for (let i = 0; i < frame.length; i++) dst[i] = src[i] * factor[i];
    out = out.with(name, dst);
  }
  return out;
}
