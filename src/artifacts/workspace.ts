// The workspace: a conventional folder layout by artifact kind and ticker, so stages need no paths.
//   bars/SPX.parquet  features/SPX.parquet  models/SPX/rf.json  predictions/SPX.parquet
//   backtests/SPX.parquet  metrics/SPX.json  reports/  registry/  cache/

import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { UsageError } from "../core/errors.js";

export const DEFAULT_WORKSPACE = "tsml-workspace";

/** Folder for each kind of artifact kept per ticker. */
export const WORKSPACE_DIRS = {
  bars: "bars",
  features: "features",
  models: "models",
  predictions: "predictions",
  backtests: "backtests",
  metrics: "metrics",
  reports: "reports",
  registry: "registry",
  cache: "cache",
} as const;
export type WorkspaceDir = keyof typeof WORKSPACE_DIRS;

/** File-name-safe form of a ticker (`^GSPC`, `BTC-USD`, `2330.TW` stay readable). */
export function tickerFileName(ticker: string): string {
  if (ticker.length === 0) throw new UsageError("empty ticker name");
  return ticker.replace(/[^A-Za-z0-9._^=-]/g, "_");
}

/** `<workspace>/bars/SPX.parquet` and friends. */
export function tickerTablePath(
  workspace: string,
  dir: WorkspaceDir,
  ticker: string,
  extension = "parquet",
): string {
  return join(workspace, WORKSPACE_DIRS[dir], `${tickerFileName(ticker)}.${extension}`);
}

/** `<workspace>/models/SPX/rf.json`. */
export function modelPath(workspace: string, ticker: string, model: string): string {
  return join(workspace, WORKSPACE_DIRS.models, tickerFileName(ticker), `${model}.json`);
}

/** Tickers that have a `<dir>/<ticker>.<extension>` file, sorted. */
export function tickersWith(workspace: string, dir: WorkspaceDir, extension = "parquet"): string[] {
  const folder = join(workspace, WORKSPACE_DIRS[dir]);
  if (!existsSync(folder)) return [];
  const suffix = `.${extension}`;
  return readdirSync(folder)
    .filter((f) => f.endsWith(suffix) && !f.startsWith("."))
    .map((f) => f.slice(0, -suffix.length))
    .sort();
}

export interface WorkspaceEntry {
  path: string;
  dir: string;
  bytes: number;
  modified: string;
}

/** Every artifact file in the workspace (temp files and the cache excluded). */
export function listWorkspace(workspace: string): WorkspaceEntry[] {
  const out: WorkspaceEntry[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(".")) continue;
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) {
        if (relative(workspace, full) !== WORKSPACE_DIRS.cache) walk(full);
      } else {
        const rel = relative(workspace, full);
        out.push({ path: rel, dir: rel.split("/")[0], bytes: st.size, modified: st.mtime.toISOString() });
      }
    }
  };
  if (existsSync(workspace)) walk(workspace);
  return out;
}
