// The model registry: <workspace>/registry/<name>/v<N>.json, one immutable file per version (created with an
// exclusive hard link, never overwritten, read-only); the highest version of a name is its current model.

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

const NAME = /^[A-Za-z0-9][A-Za-z0-9._^=-]{0,127}$/;

export function registryDir(workspace: string): string {
  return join(workspace, WORKSPACE_DIRS.registry);
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

/** Versions of one name, ascending. */
export async function versionsOf(workspace: string, name: string): Promise<number[]> {
  const dir = join(registryDir(workspace), name);
  if (!existsSync(dir)) return [];
  return (await readdir(dir))
    .map((f) => /^v(\d+)\.json$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Every registered name, sorted. */
export async function registryNames(workspace: string): Promise<string[]> {
  const dir = registryDir(workspace);
  if (!existsSync(dir)) return [];
  const names: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isDirectory() && NAME.test(entry.name) && (await versionsOf(workspace, entry.name)).length > 0)
      names.push(entry.name);
  return names.sort();
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
  const path = join(registryDir(workspace), name, `v${v}.json`);
  try {
    return JSON.parse(await readFile(path, "utf8")) as RegistryEntry;
  } catch (error) {
    throw new DataError(`${path}: unreadable registry entry (${(error as Error).message})`);
  }
}

/** The current (newest) entry of every name. */
export async function currentEntries(workspace: string): Promise<RegistryEntry[]> {
  const out: RegistryEntry[] = [];
  for (const name of await registryNames(workspace)) out.push(await readEntry(workspace, name, null));
  return out;
}

/**
 * Stores a new version; concurrent registrations of one name get distinct versions because each file is
 * created with link(2), which fails rather than replacing an existing file.
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
    const versions = await versionsOf(workspace, name);
    const version = (versions[versions.length - 1] ?? 0) + 1;
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

/** Removes one version, or every version of a name; returns the versions removed. */
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
  for (const v of doomed) await rm(join(registryDir(workspace), name, `v${v}.json`), { force: true });
  if (doomed.length === versions.length)
    await rm(join(registryDir(workspace), name), { recursive: true, force: true });
  return doomed;
}
