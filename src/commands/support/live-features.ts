// Live feature rows: what `predict --registry` and `GET /prediction` score. The features artifact drops the last
// rows, whose forward labels are not known yet; live predictions need exactly those. So the artifact's own
// settings (set, indicators, labels, deflate, detrend) are recomputed on the ticker's bars with that unlabelled
// tail kept, and the newest row is the latest bar. Without bars (features from Alpha Vantage, or bars removed)
// the features artifact is used as it is.

import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { readBars } from "../../artifacts/kinds/bars-artifact.js";
import { readFeatures } from "../../artifacts/kinds/features-artifact.js";
import { tickerTablePath } from "../../artifacts/workspace.js";
import { DataError } from "../../core/errors.js";
import { computeFeatures } from "../../features/compute-features.js";
import type { Frame } from "../../frame/frame.js";
import { type FeaturesOptions, toFeatureOptions } from "../features.js";

export interface LiveFeatures {
  /** Rows with every feature known; the last ones may have unknown (NaN) labels. */
  frame: Frame;
  /** The file the newest row comes from. */
  path: string;
  /** "bars": recomputed on the latest bars; "features": the features artifact as written. */
  source: "bars" | "features";
}

/** The feature settings a features artifact recorded (flags as typed, the set as resolved). */
function recordedSettings(options: Record<string, unknown>, set: string | null): Partial<FeaturesOptions> {
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  return {
    set: set ?? undefined,
    indicators: text(options.indicators),
    labels: text(options.labels),
    deflate: text(options.deflate),
    detrend: text(options.detrend),
    fitUntil: text(options.fitUntil),
  };
}

/**
 * A ticker's live feature rows (see the file comment). Throws DataError when the ticker has no features.
 * @example (await liveFeatures("tsml-workspace", "SPX")).frame // newest row = the latest bar
 */
export async function liveFeatures(workspace: string, ticker: string): Promise<LiveFeatures> {
  const featuresPath = tickerTablePath(workspace, "features", ticker);
  if (!existsSync(featuresPath))
    throw new DataError(
      `no features for ${ticker} (${featuresPath})`,
      `run: tsml features --ticker ${ticker}`,
    );
  const features = await readFeatures(featuresPath);
  const barsPath = tickerTablePath(workspace, "bars", ticker);
  const meta = features.meta;
  if (!meta || meta.details.source !== null || !existsSync(barsPath))
    return { frame: features.frame, path: featuresPath, source: "features" };
  const settings = recordedSettings(meta.provenance.options, meta.details.set);
  // Only a set or indicators say how the columns were made; a table written some other way is used as it is.
  if (!settings.set && !settings.indicators)
    return { frame: features.frame, path: featuresPath, source: "features" };
  const options = { ...toFeatureOptions(settings), keepIncomplete: true };
  const bars = (await readBars(barsPath, { ticker })).frame;
  const own = bars.tickerNames.length > 1 ? bars.forTicker(ticker) : bars;
  const result = computeFeatures(own, options, barsPath);
  const declared = meta.details.features ?? [];
  if (result.rows === 0 || declared.some((f) => !result.frame.has(f)))
    return { frame: features.frame, path: featuresPath, source: "features" };
  return { frame: result.frame, path: barsPath, source: "bars" };
}

/**
 * `liveFeatures` with the result kept until the bars or the features file change (GET /prediction is called
 * often; the files rarely change).
 */
export function cachedLiveFeatures(workspace: string): (ticker: string) => Promise<LiveFeatures> {
  const cache = new Map<string, { stamp: string; live: LiveFeatures }>();
  const mtime = async (path: string) => (existsSync(path) ? (await stat(path)).mtimeMs : 0);
  return async (ticker) => {
    const stamp = `${await mtime(tickerTablePath(workspace, "bars", ticker))}:${await mtime(tickerTablePath(workspace, "features", ticker))}`;
    const known = cache.get(ticker);
    if (known && known.stamp === stamp) return known.live;
    const live = await liveFeatures(workspace, ticker);
    cache.set(ticker, { stamp, live });
    return live;
  };
}
