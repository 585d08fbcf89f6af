// Atomic writes: every artifact is written to a temp file beside its target and renamed into place,
// so a failing or killed command never leaves a half-written or clobbered file. Temp names carry the writer's
// pid, so the next write into a folder removes the temps of writers that died (kill -9) before cleaning up.

import { createHash, randomBytes } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { fromOsError } from "./os-error.js";

const pendingTemps = new Set<string>();
let exitHookInstalled = false;
/** Folders already swept for stale temps by this process (one directory listing per folder per run). */
const sweptFolders = new Set<string>();

/**
 * A short tag of this machine's name: a pid means nothing on another host sharing the folder (NFS), so only
 * temps written on this host are judged by their pid.
 */
const HOST_TAG = createHash("sha256").update(hostname()).digest("hex").slice(0, 6);

/** `.<target name>.<host tag>-<pid>.<8 hex>.tmp` */
const TEMP_NAME = /^\..+\.([0-9a-f]{6})-(\d+)\.[0-9a-f]{8}\.tmp$/;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A temp file left by an interrupted write is removed on the way out; the target is untouched.
  process.once("exit", () => {
    for (const path of pendingTemps) rmSync(path, { force: true, recursive: true });
  });
}

/** True while a process with this pid runs (EPERM: it runs under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temp files (or folders) in `folder` left by writers on this host that are no longer running, e.g. an
 * `export table` killed with -9 mid-write. Temps of live writers, other hosts and other programs stay.
 * Returns the names removed.
 * @example removeStaleTemps("tsml-workspace/exports") // [".spx.csv.3fa2c1-4242.0b1c2d3e.tmp"]
 */
export function removeStaleTemps(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || m[1] !== HOST_TAG) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    try {
      rmSync(join(folder, name), { force: true, recursive: true });
      removed.push(name);
    } catch {
      // A folder we cannot clean is reported by the write that follows, if it matters.
    }
  }
  return removed;
}

/** A fresh temp path in the same directory as `target` (same filesystem, so rename is atomic). */
export function tempPathFor(target: string): string {
  installExitHook();
  const folder = dirname(target);
  if (!sweptFolders.has(folder)) {
    sweptFolders.add(folder);
    removeStaleTemps(folder);
  }
  const path = join(
    folder,
    `.${basename(target)}.${HOST_TAG}-${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  pendingTemps.add(path);
  return path;
}

/** Moves a finished temp file onto its target. */
export async function commitTemp(temp: string, target: string): Promise<void> {
  await rename(temp, target);
  pendingTemps.delete(temp);
}

/** Removes a temp file after a failure. */
export async function discardTemp(temp: string): Promise<void> {
  await rm(temp, { force: true, recursive: true });
  pendingTemps.delete(temp);
}

/**
 * A failed write as the user should read it: a disk or permission refusal names the target (not its temp
 * file) with a hint (exit 6); anything else is passed on unchanged.
 */
function refusal(error: unknown, temp: string, target: string): unknown {
  const path = (error as NodeJS.ErrnoException).path;
  return (
    fromOsError(error, { path: path === undefined || path === temp ? target : path, writing: true }) ?? error
  );
}

/**
 * Runs `produce(tempPath)` and renames the result onto `target` only if it succeeds.
 * @example
 * await writeAtomically("out.parquet", (tmp) => copyTo(tmp));
 */
export async function writeAtomically(
  target: string,
  produce: (tempPath: string) => Promise<void>,
): Promise<void> {
  try {
    await mkdir(dirname(target), { recursive: true });
  } catch (error) {
    throw fromOsError(error, { path: dirname(target) }) ?? error;
  }
  const temp = tempPathFor(target);
  try {
    await produce(temp);
    await commitTemp(temp, target);
  } catch (error) {
    await discardTemp(temp);
    throw refusal(error, temp, target);
  }
}

/** Atomic write of text or bytes. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(target, (temp) => writeFile(temp, data));
}
