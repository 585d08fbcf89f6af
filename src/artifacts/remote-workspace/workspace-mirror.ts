// A workspace on S3, used through a local mirror: before a command, the mirror is made equal to the bucket
// (objects whose ETag is unchanged are not downloaded again); the command runs on the mirror like on any
// workspace folder; after it succeeds, exactly the files it created, changed or removed are uploaded or deleted,
// each as one whole object. A command that fails uploads nothing.

import { readdirSync, rmSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { sha256File } from "../../core/fingerprint.js";
import type { Logger } from "../../core/log.js";
import { fromOsError } from "../../core/os-error.js";
import { lockMirror } from "./mirror-lock.js";
import { fileMatches, type MirrorManifest, readManifest, writeManifest } from "./mirror-manifest.js";
import { type RemoteObject, S3Bucket, type TransferCounts } from "./s3-bucket.js";
import { mirrorFolder, s3SettingsFrom } from "./s3-settings.js";
import { isPlainSegment, parseS3Workspace, s3Url } from "./s3-url.js";

/** Transfers at once: enough to hide request latency, few enough not to be throttled. */
const PARALLEL = 8;

export interface MirrorSync {
  /** Objects in the bucket under the prefix before the command. */
  listed: number;
  downloaded: number;
  uploaded: number;
  deleted: number;
  counts: TransferCounts;
  pullSeconds: number;
  pushSeconds: number;
}

/**
 * Runs `command(folder)` on the local mirror of the S3 workspace `url` and publishes what it wrote.
 * @example
 * await withS3Workspace("s3://research/ws", process.env, log, (folder) => train({ ...ctx, workspace: folder }));
 */
export async function withS3Workspace<T>(
  url: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
  command: (folder: string) => Promise<T>,
): Promise<T> {
  const location = parseS3Workspace(url);
  const folder = mirrorFolder(location, env);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw fromOsError(error, { path: folder }) ?? error;
  }
  const unlock = lockMirror(folder);
  const bucket = new S3Bucket(location, s3SettingsFrom(env));
  try {
    const manifest = readManifest(folder);
    const sync: MirrorSync = {
      listed: 0,
      downloaded: 0,
      uploaded: 0,
      deleted: 0,
      counts: bucket.counts,
      pullSeconds: 0,
      pushSeconds: 0,
    };
    let started = performance.now();
    await pull(bucket, folder, manifest, sync);
    sync.pullSeconds = (performance.now() - started) / 1000;
    log.debug(`${s3Url(location)}: mirror in ${folder}`);
    // Nothing is uploaded unless the command succeeds: its files stay local, and the next pull replaces them.
    const result = await command(folder);
    started = performance.now();
    await push(bucket, folder, manifest, sync);
    sync.pushSeconds = (performance.now() - started) / 1000;
    log.info(describeSync(s3Url(location), sync));
    return result;
  } finally {
    bucket.close();
    unlock();
  }
}

/** Makes the mirror equal to the bucket: downloads new and changed objects, removes files the bucket lacks. */
async function pull(
  bucket: S3Bucket,
  folder: string,
  manifest: MirrorManifest,
  sync: MirrorSync,
): Promise<void> {
  const remote = (await bucket.list()).filter((o) => o.path.split("/").every(isPlainSegment));
  sync.listed = remote.length;
  const wanted = new Set(remote.map((o) => o.path));
  const stale = remote.filter((o) => {
    const entry = manifest.objects[o.path];
    return !(entry && entry.etag === o.etag && fileMatches(join(folder, o.path), entry));
  });
  await inParallel(stale, async (o: RemoteObject) => {
    const file = join(folder, o.path);
    const got = await bucket.download(o.path, file);
    manifest.objects[o.path] = { ...got, mtimeMs: statSync(file).mtimeMs };
  });
  sync.downloaded = stale.length;
  // Files the bucket does not hold: left by a command that failed, or deleted by another machine.
  for (const path of localFiles(folder)) if (!wanted.has(path)) rmSync(join(folder, path), { force: true });
  for (const path of Object.keys(manifest.objects)) if (!wanted.has(path)) delete manifest.objects[path];
  await writeManifest(folder, manifest);
}

/** Uploads the files the command created or changed (by content hash) and deletes the objects it removed. */
async function push(
  bucket: S3Bucket,
  folder: string,
  manifest: MirrorManifest,
  sync: MirrorSync,
): Promise<void> {
  const present = localFiles(folder);
  const changed: { path: string; sha256: string }[] = [];
  for (const path of present) {
    const file = join(folder, path);
    const entry = manifest.objects[path];
    if (fileMatches(file, entry)) continue;
    const sha256 = await sha256File(file);
    if (entry && entry.sha256 === sha256) {
      // Rewritten with the same bytes: nothing to upload, remember the new mtime.
      manifest.objects[path] = { ...entry, mtimeMs: statSync(file).mtimeMs };
    } else changed.push({ path, sha256 });
  }
  // A run's own copies first and the latest pointers last, so a reader that lists mid-upload finds a pointer
  // only after what it points at.
  changed.sort((a, b) => uploadRank(a.path) - uploadRank(b.path) || a.path.localeCompare(b.path));
  for (const rank of [0, 1, 2]) {
    await inParallel(
      changed.filter((c) => uploadRank(c.path) === rank),
      async ({ path, sha256 }) => {
        const file = join(folder, path);
        const { size, mtimeMs } = statSync(file);
        const etag = await bucket.upload(path, file);
        manifest.objects[path] = { etag, sha256, bytes: size, mtimeMs };
      },
    );
  }
  sync.uploaded = changed.length;
  const kept = new Set(present);
  const removed = Object.keys(manifest.objects).filter((path) => !kept.has(path));
  await inParallel(removed, async (path) => {
    await bucket.remove(path);
    delete manifest.objects[path];
  });
  sync.deleted = removed.length;
  await writeManifest(folder, manifest);
}

function uploadRank(path: string): number {
  if (path.startsWith("runs/latest/")) return 2;
  return path.startsWith("runs/") ? 0 : 1;
}

/** Every file under `folder` as a `/`-separated relative path; hidden names (temp files, locks) skipped. */
export function localFiles(folder: string, sub = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(folder, sub), { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = sub === "" ? entry.name : `${sub}/${entry.name}`;
    if (entry.isDirectory()) out.push(...localFiles(folder, path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

/** One line: what moved each way, in how long. */
export function describeSync(url: string, sync: MirrorSync): string {
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;
  return (
    `${url}: pulled ${sync.downloaded} of ${sync.listed} objects (${kb(sync.counts.bytesDown)}, ` +
    `${sync.pullSeconds.toFixed(2)}s); pushed ${sync.uploaded} (${kb(sync.counts.bytesUp)}), ` +
    `deleted ${sync.deleted} (${sync.pushSeconds.toFixed(2)}s)`
  );
}
