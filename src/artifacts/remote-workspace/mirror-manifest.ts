// What the local mirror of an S3 workspace holds: per object path, the ETag it was downloaded or uploaded with,
// its content hash, and the size and mtime it had on disk then. An object whose ETag and file are unchanged is
// not downloaded again; a file whose size, mtime or hash changed is what a command wrote.

import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/atomic-file.js";

export interface MirroredObject {
  etag: string;
  sha256: string;
  bytes: number;
  mtimeMs: number;
}

export interface MirrorManifest {
  version: 1;
  objects: Record<string, MirroredObject>;
}

/** Hidden, so no workspace listing, ticker scan or upload ever takes it for an artifact. */
export const MANIFEST_NAME = ".tsml-s3-sync.json";

/** The manifest in `folder`, or an empty one (first use, or a manifest from another version). */
export function readManifest(folder: string): MirrorManifest {
  try {
    const parsed = JSON.parse(readFileSync(join(folder, MANIFEST_NAME), "utf8")) as MirrorManifest;
    if (parsed.version === 1 && parsed.objects && typeof parsed.objects === "object") return parsed;
  } catch {
    // Missing or unreadable: every object is downloaded again, which is always correct.
  }
  return { version: 1, objects: {} };
}

export async function writeManifest(folder: string, manifest: MirrorManifest): Promise<void> {
  await writeFileAtomic(join(folder, MANIFEST_NAME), `${JSON.stringify(manifest)}\n`);
}

/** Whether the file is as the manifest recorded it (same size and mtime), without reading it. */
export function fileMatches(file: string, entry: MirroredObject | undefined): boolean {
  if (!entry) return false;
  try {
    const st = statSync(file);
    return st.isFile() && st.size === entry.bytes && st.mtimeMs === entry.mtimeMs;
  } catch {
    return false;
  }
}
