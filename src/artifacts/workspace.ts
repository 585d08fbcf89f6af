// The workspace: a conventional folder layout by artifact kind and ticker, so stages need no paths.
//   bars/SPX.parquet  features/SPX.parquet  models/SPX/rf.json  predictions/SPX.parquet
//   backtests/SPX.parquet  metrics/SPX.json  reports/  registry/  cache/
//   runs/<run id>/...: every tracked run's own copy of what it wrote (the files above are the latest copies)

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
  runs: "runs",
} as const;
export type WorkspaceDir = keyof typeof WORKSPACE_DIRS;

/** Characters a ticker keeps as they are in its file name; the old mapping kept the same ones. */
const PLAIN_CHARACTER = /^[A-Za-z0-9._^=-]$/;
/**
 * The longest file-name form of a ticker: the name plus `.parquet` and an atomic write's temp name around it
 * (`.NAME.parquet.HOST-PID.RANDOM.tmp`, about 40 more) must stay under the 255-byte limit of file systems.
 */
export const MAX_TICKER_FILE_NAME = 200;

/**
 * File-name form of a ticker, one-to-one: letters, digits and `. _ ^ = -` stay (`AAPL`, `BRK.B`, `2330.TW`,
 * `^GSPC`, `BTC-USD` are their own file names); every other character, `%` included, is percent-encoded as
 * UTF-8 (`a/b` -> `a%2Fb`, `a b` -> `a%20b`), and so is a leading `.` (no hidden files, no `..`). Two tickers
 * never share a file. Names that cannot be stored (empty, control characters, too long) are a usage error.
 * @example
 * tickerFileName("^GSPC") // "^GSPC"
 * tickerFileName("a/b")   // "a%2Fb"
 */
export function tickerFileName(ticker: string): string {
  if (ticker.length === 0) throw new UsageError("empty ticker name", "give a ticker, e.g. --ticker SPX");
  if (!isPrintableText(ticker)) {
    throw new UsageError(
      `ticker ${JSON.stringify(shortened(ticker))} holds a control character or broken text`,
      "use printable characters in ticker names",
    );
  }
  let name = "";
  for (const character of ticker) {
    if (PLAIN_CHARACTER.test(character)) name += character;
    else
      for (const byte of Buffer.from(character, "utf8"))
        name += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  if (name.startsWith(".")) name = `%2E${name.slice(1)}`;
  if (name.length > MAX_TICKER_FILE_NAME) {
    throw new UsageError(
      `ticker "${shortened(ticker)}" is too long to store (${name.length} characters as a file name, at most ${MAX_TICKER_FILE_NAME})`,
      "use a shorter ticker name (--ticker)",
    );
  }
  return name;
}

/**
 * The ticker a workspace file name stands for (`a%2Fb` -> `a/b`), or null for a name tsml would not have
 * written for any ticker (so a stray file is never listed as a ticker it does not hold).
 */
export function tickerFromFileName(name: string): string | null {
  let ticker: string;
  try {
    ticker = decodeURIComponent(name);
  } catch {
    return null;
  }
  try {
    return tickerFileName(ticker) === name ? ticker : null;
  } catch {
    return null;
  }
}

/** No control characters and no lone UTF-16 surrogates (which would not survive UTF-8 file names). */
function isPrintableText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) return false;
  }
  return true;
}

function shortened(ticker: string): string {
  return ticker.length > 40 ? `${ticker.slice(0, 40)}...` : ticker;
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

/** Tickers that have a `<dir>/<ticker>.<extension>` file (file names decoded back to tickers), sorted. */
export function tickersWith(workspace: string, dir: WorkspaceDir, extension = "parquet"): string[] {
  const folder = join(workspace, WORKSPACE_DIRS[dir]);
  if (!existsSync(folder)) return [];
  const suffix = `.${extension}`;
  return readdirSync(folder)
    .filter((f) => f.endsWith(suffix) && !f.startsWith("."))
    .map((f) => tickerFromFileName(f.slice(0, -suffix.length)))
    .filter((ticker): ticker is string => ticker !== null)
    .sort();
}

export interface WorkspaceEntry {
  path: string;
  dir: string;
  /** The ticker the file is kept for, decoded from its name (`bars/a%2Fb.parquet` -> `a/b`); null otherwise. */
  ticker: string | null;
  bytes: number;
  modified: string;
}

/** Folders whose files (or, for models, sub-folders) are named after a ticker. */
const PER_TICKER: readonly string[] = ["bars", "features", "predictions", "backtests", "metrics"];

function tickerOfPath(rel: string): string | null {
  const parts = rel.split("/");
  if (parts.length === 2 && PER_TICKER.includes(parts[0]))
    return tickerFromFileName(parts[1].replace(/\.[^.]*$/, ""));
  if (parts.length === 3 && parts[0] === WORKSPACE_DIRS.models) return tickerFromFileName(parts[1]);
  return null;
}

/** Folders listWorkspace skips: the cache, and the runs (listed by `tsml runs`, their latest copies are here). */
const UNLISTED: readonly string[] = [WORKSPACE_DIRS.cache, WORKSPACE_DIRS.runs];

/** Every artifact file in the workspace (temp files, the cache and the run history excluded). */
export function listWorkspace(workspace: string): WorkspaceEntry[] {
  const out: WorkspaceEntry[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(".")) continue;
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) {
        if (!UNLISTED.includes(relative(workspace, full))) walk(full);
      } else {
        const rel = relative(workspace, full);
        out.push({
          path: rel,
          dir: rel.split("/")[0],
          ticker: tickerOfPath(rel),
          bytes: st.size,
          modified: st.mtime.toISOString(),
        });
      }
    }
  };
  if (existsSync(workspace)) walk(workspace);
  return out;
}
