// One tsml process at a time per local mirror: two commands syncing and writing the same cache folder would
// upload each other's half-finished files. Concurrent processes on one machine each get their own
// TSML_CACHE_DIR (shards on one host share a plain folder workspace instead).

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { isProcessAlive } from "../../core/atomic-file.js";
import { EnvironmentError } from "../../core/errors.js";

const LOCK_NAME = ".tsml-s3-lock";

/** Takes the mirror's lock (a folder: creating one is atomic) and returns its release. */
export function lockMirror(folder: string): () => void {
  const lock = join(folder, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "owner"), `${hostname()} ${process.pid}\n`);
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = ownerOf(lock);
      if (owner && owner.host === hostname() && !isProcessAlive(owner.pid)) {
        // Left by a process that was killed: take it over.
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      throw new EnvironmentError(
        `the S3 workspace cache ${folder} is in use by another tsml process${owner ? ` (pid ${owner.pid})` : ""}`,
        `wait for it, or give each concurrent process its own cache: TSML_CACHE_DIR=/tmp/tsml-cache-$$ tsml ...; ` +
          `if no tsml runs, remove ${lock}`,
      );
    }
  }
  throw new EnvironmentError(`cannot lock the S3 workspace cache ${folder}`, `remove ${lock} and run again`);
}

function ownerOf(lock: string): { host: string; pid: number } | null {
  try {
    const [host, pid] = readFileSync(join(lock, "owner"), "utf8").trim().split(" ");
    return Number.isInteger(Number(pid)) ? { host, pid: Number(pid) } : null;
  } catch {
    return null;
  }
}
