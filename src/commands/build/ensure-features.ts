// Features a stage needs: built from the workspace bars when absent (with tsml.json's feature settings, else
// the default set), rebuilt with their recorded settings when the bars they were computed from changed.

import { existsSync } from "node:fs";
import { changedInputs } from "../../artifacts/freshness.js";
import { readTableMeta } from "../../artifacts/table-io.js";
import { tickerTablePath } from "../../artifacts/workspace.js";
import type { FeaturesOptions } from "../features.js";
import type { RunContext } from "../support/run-context.js";
import { announceBuilt, helperContext, shownPath } from "./build-context.js";
import { ensureBars } from "./ensure-bars.js";
import { readWorkspaceConfig } from "./workspace-config.js";

/** The settings of `tsml features` that say what is computed (not where from or to). */
const SETTING_KEYS = [
  "set",
  "indicators",
  "labels",
  "keepIncomplete",
  "deflate",
  "detrend",
  "fitUntil",
] as const;
type FeatureSettings = Pick<FeaturesOptions, (typeof SETTING_KEYS)[number]>;

export interface EnsureFeaturesOptions {
  /** --set given to the asking stage. */
  set?: string;
  /** --source given to the asking stage (for bars it has to ingest first). */
  source?: string;
}

/**
 * Makes features/<T>.parquet exist and match its bars (when building is on); says what it built.
 * @example await ensureFeatures("AAPL", ctx) // "features AAPL: built (default set) from bars/AAPL.parquet"
 */
export async function ensureFeatures(
  ticker: string,
  ctx: RunContext,
  options: EnsureFeaturesOptions = {},
): Promise<void> {
  if (!ctx.autoBuild) return;
  const path = tickerTablePath(ctx.workspace, "features", ticker);
  const bars = tickerTablePath(ctx.workspace, "bars", ticker);
  let settings: FeatureSettings;
  let reason = "";
  if (existsSync(path)) {
    const meta = await readTableMeta(path);
    if (meta?.kind !== "features") return;
    const changed = await changedInputs(meta.provenance);
    if (changed.length === 0) return;
    // Only features computed from this ticker's workspace bars can be recomputed the same way.
    if (!changed.includes(bars)) {
      ctx.log.warn(
        `features ${ticker} are stale (${changed.map((p) => shownPath(ctx, p)).join(", ")} changed) ` +
          "but were not built from the workspace bars: not rebuilt",
      );
      return;
    }
    settings = recordedSettings(meta.provenance.options);
    reason = ` (${shownPath(ctx, bars)} changed)`;
  } else {
    settings = configuredSettings(ctx, options.set);
    // Checked before any bars are ingested: a misspelt --set leaves the workspace as it was.
    (await import("../features.js")).toFeatureOptions(settings);
    await ensureBars(ticker, ctx, options.source);
    if (!existsSync(bars)) return;
  }
  const { runFeatures } = await import("../features.js");
  await runFeatures({ ...settings, ticker }, helperContext(ctx));
  const verb = reason ? "rebuilt" : "built";
  announceBuilt(
    ctx,
    `features ${ticker}: ${verb} (${describe(settings)}) from ${shownPath(ctx, bars)}${reason} -> ${shownPath(ctx, path)}`,
  );
}

/** --set, else tsml.json's featureSet or features, else nothing (the default set). */
function configuredSettings(ctx: RunContext, set: string | undefined): FeatureSettings {
  if (set !== undefined) return { set };
  const config = readWorkspaceConfig(ctx);
  if (config.featureSet !== undefined) return { set: config.featureSet };
  const spec = config.features;
  if (!spec) return {};
  const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : v);
  return definedOnly({
    set: spec.set,
    indicators: joined(spec.indicators),
    labels: joined(spec.labels),
    keepIncomplete: spec.keepIncomplete,
  });
}

/** The settings a features artifact recorded in its provenance (strings and switches only). */
function recordedSettings(options: Record<string, unknown>): FeatureSettings {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = options[key];
    if (typeof value === "string" || typeof value === "boolean") out[key] = value;
  }
  return out as FeatureSettings;
}

function describe(settings: FeatureSettings): string {
  const parts: string[] = [];
  if (settings.set) parts.push(`set ${settings.set}`);
  if (settings.indicators) parts.push(`indicators ${settings.indicators}`);
  if (settings.labels) parts.push(`labels ${settings.labels}`);
  return parts.length === 0 ? "default set" : parts.join(", ");
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
