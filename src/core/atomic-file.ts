// Atomic writes: every artifact is written to a temp file beside its target and renamed into place,
// so a failing or killed command never leaves a half-written or clobbered file.

import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const pendingTemps = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A temp file left by an interrupted write is removed on the way out; the target is untouched.
  process.once("exit", () => {
    for (const path of pendingTemps) rmSync(path, { force: true });
  });
}

/** A fresh temp path in the same directory as `target` (same filesystem, so rename is atomic). */
export function tempPathFor(target: string): string {
  installExitHook();
  const path = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
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
 * Runs `produce(tempPath)` and renames the result onto `target` only if it succeeds.
 * @example
 * await writeAtomically("out.parquet", (tmp) => copyTo(tmp));
 */
export async function writeAtomically(
  target: string,
  produce: (tempPath: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    await produce(temp);
    await commitTemp(temp, target);
  } catch (error) {
    await discardTemp(temp);
    throw error;
  }
}

/** Atomic write of text or bytes. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(target, (temp) => writeFile(temp, data));
}

/** Synchronous variant, for exit paths. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    writeFileSync(temp, data);
    renameSync(temp, target);
    pendingTemps.delete(temp);
  } catch (error) {
    rmSync(temp, { force: true });
    pendingTemps.delete(temp);
    throw error;
  }
}
