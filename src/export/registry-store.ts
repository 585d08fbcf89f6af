// The model registry: <workspace>/registry/<name>/v<N>.json, one immutable file per version (created with an
// exclusive hard link, never overwritten, read-only); the highest version of a name is its current model.
// A removed version leaves a `v<N>.removed` tombstone so that its number is never issued again.

import { existsSync } from "node:fs";
import { chmod, link, mkdir, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type JsonArtifact, jsonArtifact } from "../artifacts/json-artifact.js";
import type { Provenance } from "../artifacts/provenance.js";
import { WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { tempPathFor } from "../core/atomic-file.js";
import { DataError, UsageError } from "../core/errors.js";

export interface RegistryTags {
  ticker: string;
  /** "up" or "down" (seed 001's uptrend/downtrend classifiers). */
  trend: string;
  classifier: string;
  target: string;
  horizon: number | null;
  /** Seed 001's tag names: prediction_window_days and target_pct. */
  predictionWindowDays: number | null;
  targetPct: number | null;
  metrics: Record<string, number>;
  /** Which window `metrics` were measured on (absent in entries registered before it was recorded). */
  metricsSplit?: "test" | "train";
  featureImportance: Record<string, number>;
  trainWindow: unknown;
  dataFingerprint: string;
}

export interface RegistryEntry extends JsonArtifact {
  name: string;
  version: number;
  registeredAt: string;
  source: { path: string; sha256: string };
  tags: RegistryTags;
  /** The model artifact itself, copied so later retraining cannot change a registered version. */
  model: Record<string, unknown>;
}

/** A current version that could not be read or used; reported and skipped, never fatal to the rest. */
export interface BrokenEntry {
  name: string;
  version: number;
  path: string;
  error: string;
  /** The entry's ticker and trend when the file could be read this far, for matching requests to it. */
  tags: { ticker: string; trend: string } | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._^=-]{0,127}$/;
const ENTRY_FILE = /^v(\d+)\.json$/;
const TOMBSTONE_FILE = /^v(\d+)\.removed$/;

export function registryDir(workspace: string): string {
  return join(workspace, WORKSPACE_DIRS.registry);
}

/** The file of one version. */
export function entryPath(workspace: string, name: string, version: number): string {
  return join(registryDir(workspace), name, `v${version}.json`);
}

export function checkRegistryName(name: string): string {
  if (!NAME.test(name))
    throw new UsageError(
      `registry name "${name}" is not allowed`,
      "use letters, digits and . _ - ^ = (no slashes)",
    );
  return name;
}

/** "SPX_up@3" -> { name: "SPX_up", version: 3 }; no "@" means the current version. */
export function parseRef(ref: string): { name: string; version: number | null } {
  const at = ref.lastIndexOf("@");
  if (at < 0) return { name: checkRegistryName(ref), version: null };
  const version = ref.slice(at + 1);
  if (!/^v?\d+$/.test(version))
    throw new UsageError(`"${ref}": version must be a number, e.g. ${ref.slice(0, at)}@1`);
  return { name: checkRegistryName(ref.slice(0, at)), version: Number(version.replace("v", "")) };
}

async function numberedFiles(workspace: string, name: string, pattern: RegExp): Promise<number[]> {
  const dir = join(registryDir(workspace), name);
  if (!existsSync(dir)) return [];
  return (await readdir(dir))
    .map((f) => pattern.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Versions of one name, ascending. */
export function versionsOf(workspace: string, name: string): Promise<number[]> {
  return numberedFiles(workspace, name, ENTRY_FILE);
}

/** The highest version ever issued for a name: stored versions and removed ones (tombstones) alike. */
export async function highestIssued(workspace: string, name: string): Promise<number> {
  const all = [
    ...(await versionsOf(workspace, name)),
    ...(await numberedFiles(workspace, name, TOMBSTONE_FILE)),
  ];
  return all.length === 0 ? 0 : Math.max(...all);
}

/** Every registered name (with at least one stored version), sorted. */
export async function registryNames(workspace: string): Promise<string[]> {
  const dir = registryDir(workspace);
  if (!existsSync(dir)) return [];
  const names: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isDirectory() && NAME.test(entry.name) && (await versionsOf(workspace, entry.name)).length > 0)
      names.push(entry.name);
  return names.sort();
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks the shape every reader relies on, so a hand-edited or truncated file fails here, with its path,
 * rather than as a TypeError deep inside `ls`, `predict --registry` or a server route.
 */
export function checkEntry(value: unknown, path: string, name: string, version: number): RegistryEntry {
  const bad = (what: string) =>
    new DataError(
      `${path}: not a valid registry entry (${what})`,
      `remove it with: tsml registry rm ${name}@${version}, then register the model again`,
    );
  if (!isObject(value)) throw bad("not a JSON object");
  if (value.kind !== "registry-entry")
    throw bad(`kind is ${JSON.stringify(value.kind)}, not "registry-entry"`);
  if (value.name !== name) throw bad(`name is ${JSON.stringify(value.name)}, the folder says "${name}"`);
  if (value.version !== version)
    throw bad(`version is ${JSON.stringify(value.version)}, the file name says ${version}`);
  const tags = value.tags;
  if (!isObject(tags)) throw bad("tags missing");
  for (const key of ["ticker", "trend", "classifier"] as const)
    if (typeof tags[key] !== "string") throw bad(`tags.${key} is not a string`);
  for (const key of ["metrics", "featureImportance"] as const)
    if (!isObject(tags[key])) throw bad(`tags.${key} is not an object`);
  if (!isObject(value.model)) throw bad("model missing");
  if (!isObject(value.source)) throw bad("source missing");
  return value as RegistryEntry;
}

/** The ticker and trend of a file that parsed but failed a later check (so requests for it get a 503). */
function looseTags(value: unknown): BrokenEntry["tags"] {
  if (!isObject(value) || !isObject(value.tags)) return null;
  const { ticker, trend } = value.tags;
  return typeof ticker === "string" && typeof trend === "string" ? { ticker, trend } : null;
}

class EntryError extends DataError {
  constructor(
    error: DataError,
    readonly tags: BrokenEntry["tags"],
  ) {
    super(error.message, error.hint);
  }
}

async function readVersion(workspace: string, name: string, version: number): Promise<RegistryEntry> {
  const path = entryPath(workspace, name, version);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new DataError(`${path}: unreadable registry entry (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataError(
      `${path}: unreadable registry entry (not JSON: ${(error as Error).message})`,
      `remove it with: tsml registry rm ${name}@${version}, then register the model again`,
    );
  }
  try {
    return checkEntry(value, path, name, version);
  } catch (error) {
    throw new EntryError(error as DataError, looseTags(value));
  }
}

export async function readEntry(
  workspace: string,
  name: string,
  version: number | null,
): Promise<RegistryEntry> {
  const versions = await versionsOf(workspace, name);
  if (versions.length === 0)
    throw new DataError(`registry: no model named "${name}"`, "list them with: tsml registry ls");
  const v = version ?? versions[versions.length - 1];
  if (!versions.includes(v))
    throw new DataError(`registry: "${name}" has no version ${v}`, `versions: ${versions.join(", ")}`);
  return readVersion(workspace, name, v);
}

/** The ticker/trend an error from `readEntry` could still tell (null when the file did not parse). */
export function brokenTags(error: unknown): BrokenEntry["tags"] {
  return error instanceof EntryError ? error.tags : null;
}

/**
 * The current (newest) version of every name, split into readable entries and broken ones; one bad file
 * never hides the others.
 */
export async function scanRegistry(
  workspace: string,
): Promise<{ entries: RegistryEntry[]; broken: BrokenEntry[] }> {
  const entries: RegistryEntry[] = [];
  const broken: BrokenEntry[] = [];
  for (const name of await registryNames(workspace)) {
    const versions = await versionsOf(workspace, name);
    const version = versions[versions.length - 1];
    if (version === undefined) continue; // removed since the listing
    try {
      entries.push(await readVersion(workspace, name, version));
    } catch (error) {
      broken.push({
        name,
        version,
        path: entryPath(workspace, name, version),
        error: (error as Error).message,
        tags: brokenTags(error),
      });
    }
  }
  return { entries, broken };
}

/**
 * Stores a new version; concurrent registrations of one name get distinct versions because each file is
 * created with link(2), which fails rather than replacing an existing file. The number is one above the
 * highest ever issued, removed versions included.
 */
export async function addVersion(
  workspace: string,
  name: string,
  provenance: Provenance,
  body: Omit<RegistryEntry, "kind" | "schemaVersion" | "provenance" | "name" | "version" | "registeredAt">,
): Promise<RegistryEntry> {
  checkRegistryName(name);
  const dir = join(registryDir(workspace), name);
  await mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < 100; attempt++) {
    const version = (await highestIssued(workspace, name)) + 1;
    const entry = jsonArtifact("registry-entry", provenance, {
      name,
      version,
      registeredAt: new Date().toISOString(),
      ...body,
    }) as RegistryEntry;
    const target = join(dir, `v${version}.json`);
    const temp = tempPathFor(target);
    await writeFile(temp, `${JSON.stringify(entry, null, 2)}\n`);
    await chmod(temp, 0o444);
    try {
      await link(temp, target);
      return entry;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }
  throw new DataError(`registry: could not allocate a version for "${name}" (too many concurrent writers)`);
}

/**
 * Removes one version, or every version of a name; returns the versions removed. The tombstone is written
 * before the file goes, so a registration running at the same time sees one or the other and never reuses
 * the number.
 */
export async function removeEntries(
  workspace: string,
  name: string,
  version: number | null,
): Promise<number[]> {
  const versions = await versionsOf(workspace, name);
  if (versions.length === 0)
    throw new DataError(`registry: no model named "${name}"`, "list them with: tsml registry ls");
  const doomed = version === null ? versions : versions.filter((v) => v === version);
  if (doomed.length === 0)
    throw new DataError(`registry: "${name}" has no version ${version}`, `versions: ${versions.join(", ")}`);
  const dir = join(registryDir(workspace), name);
  for (const v of doomed) {
    await writeFile(join(dir, `v${v}.removed`), "", { flag: "a" });
    await rm(join(dir, `v${v}.json`), { force: true });
  }
  return doomed;
}
