// `tsml.json`: a workspace's defaults for the steps tsml builds by itself (where bars come from, the split date,
// the feature set, trading costs). Flags always win; a missing file means the built-in defaults.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../core/errors.js";
import type { RunContext } from "../support/run-context.js";

export const CONFIG_FILE = "tsml.json";

/** The feature settings of `tsml features --spec` (flags' names, camelCase). */
export interface FeatureSpecConfig {
  set?: string;
  indicators?: string | string[];
  labels?: string | string[];
  keepIncomplete?: boolean;
}

export interface WorkspaceConfig {
  /** Where `train` ingests a ticker it has no bars for: bundled | alphavantage | twse | FILE.csv | a database URL. */
  source?: string;
  /** With a database source: the table to read. */
  table?: string;
  splitDate?: string;
  /** A named feature set (`--set`), or the full feature settings. */
  featureSet?: string;
  features?: FeatureSpecConfig;
  costBps?: number;
  commission?: number;
  slippageBps?: number;
  /** The file the settings came from (null: none found). */
  path: string | null;
}

const STRING_KEYS = ["source", "table", "splitDate", "featureSet"] as const;
const NUMBER_KEYS = ["costBps", "commission", "slippageBps"] as const;
const FEATURE_KEYS = ["set", "indicators", "labels", "keepIncomplete"] as const;

/** Where tsml.json is looked for: the workspace folder first, then the current folder. */
export function configCandidates(workspace: string): string[] {
  return [join(workspace, CONFIG_FILE), join(process.cwd(), CONFIG_FILE)];
}

/**
 * Reads the workspace's tsml.json (the first of configCandidates that exists). Unknown keys and values of the
 * wrong type are usage errors naming the file, so a misspelt "splitdate" is never silently ignored.
 * @example readWorkspaceConfig(ctx) // { source: "bundled", splitDate: "2008-01-01", path: "/x/tsml.json" }
 */
export function readWorkspaceConfig(ctx: Pick<RunContext, "workspace">): WorkspaceConfig {
  const path = configCandidates(ctx.workspace).find((p) => existsSync(p));
  if (!path) return { path: null };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new UsageError(`${path}: expected a JSON object of settings`);
  const config: WorkspaceConfig = { path };
  for (const [key, value] of Object.entries(raw)) {
    if ((STRING_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== "string" || value === "") refuse(path, key, "a non-empty string");
      config[key as (typeof STRING_KEYS)[number]] = value;
    } else if ((NUMBER_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
        refuse(path, key, "a number >= 0");
      config[key as (typeof NUMBER_KEYS)[number]] = value;
    } else if (key === "features") config.features = featureSpec(path, value);
    else
      throw new UsageError(
        `${path}: unknown setting "${key}"`,
        `known: ${[...STRING_KEYS, "features", ...NUMBER_KEYS].join(", ")}`,
      );
  }
  if (config.featureSet !== undefined && config.features !== undefined)
    throw new UsageError(`${path}: give featureSet or features, not both`);
  return config;
}

function featureSpec(path: string, value: unknown): FeatureSpecConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    refuse(path, "features", `an object with ${FEATURE_KEYS.join(", ")}`);
  for (const [key, v] of Object.entries(value)) {
    if (!(FEATURE_KEYS as readonly string[]).includes(key))
      throw new UsageError(`${path}: unknown setting "features.${key}"`, `known: ${FEATURE_KEYS.join(", ")}`);
    const ok =
      key === "keepIncomplete"
        ? typeof v === "boolean"
        : typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
    if (!ok)
      refuse(path, `features.${key}`, key === "keepIncomplete" ? "true or false" : "a string or a list");
  }
  return value as FeatureSpecConfig;
}

function refuse(path: string, key: string, expected: string): never {
  throw new UsageError(`${path}: "${key}" must be ${expected}`);
}
