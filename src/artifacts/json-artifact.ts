// JSON artifacts (models, metrics, summaries): kind + schemaVersion + provenance + body, written atomically.

import { existsSync, readFileSync, statSync } from "node:fs";
import { writeFileAtomic } from "../core/atomic-file.js";
import { DataError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import { type ArtifactKind, expectKind, SCHEMA_VERSION } from "./artifact-kind.js";
import type { Provenance } from "./provenance.js";

export interface JsonArtifact {
  kind: ArtifactKind;
  schemaVersion: number;
  provenance: Provenance;
  [key: string]: unknown;
}

/** Wraps a body with kind, schema version and provenance. */
export function jsonArtifact<T extends Record<string, unknown>>(
  kind: ArtifactKind,
  provenance: Provenance,
  body: T,
): JsonArtifact & T {
  return { kind, schemaVersion: SCHEMA_VERSION[kind], provenance, ...body };
}

/** Writes a JSON artifact atomically (or to stdout for `-`). */
export async function writeJsonArtifact(path: string, artifact: JsonArtifact): Promise<void> {
  const text = `${JSON.stringify(artifact, null, 2)}\n`;
  if (isStdio(path)) {
    process.stdout.write(text);
    return;
  }
  await writeFileAtomic(path, text);
}

/** Reads a JSON artifact, checking its kind. */
export function readJsonArtifact<T extends JsonArtifact = JsonArtifact>(
  path: string,
  kinds: readonly ArtifactKind[],
): T {
  if (!existsSync(path)) throw new DataError(`${path}: file not found`);
  if (statSync(path).isDirectory()) throw new DataError(`${path}: is a directory, expected a JSON artifact`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DataError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null) throw new DataError(`${path}: not a tsml JSON artifact`);
  expectKind(path, (parsed as { kind?: string }).kind, kinds);
  return parsed as T;
}
