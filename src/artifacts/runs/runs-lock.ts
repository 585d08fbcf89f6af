// A workspace-wide lock for the moment a run is promoted: the latest copies and the latest pointers move
// together, so two runs finishing at once never leave a model from one and a pointer to the other.

import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

/** A lock older than this is taken to belong to a killed process (promotion itself takes milliseconds). */
const STALE_MS = 30_000;
const WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` holding `<runsDir>/.lock` (a folder: creating one is atomic on every file system). */
export async function withRunsLock<T>(runsDir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(runsDir, ".lock");
  mkdirSync(runsDir, { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = lockAge(lock);
      if (age !== null && age > STALE_MS) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock}: held by another tsml for over a minute`);
      else await sleep(delay);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockAge(lock: string): number | null {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return null;
  }
}
