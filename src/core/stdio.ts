// `-` as a path: stdin is spooled to a temp file (DuckDB and csv-parse read files), stdout gets file bytes.
// Temp folders are named tsml-<pid>-XXXXXX so a later run removes those of runs that were killed (kill -9).

import { createReadStream, createWriteStream, readdirSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { isProcessAlive } from "./atomic-file.js";
import { fromOsError } from "./os-error.js";

export const STDIO_PATH = "-";

/** tsml's own temp folders: `tsml-<pid>-` and mkdtemp's six characters. */
const TEMP_DIR = /^tsml-(\d+)-[A-Za-z0-9]{6}$/;
let swept = false;

export function isStdio(path: string | undefined): boolean {
  return path === STDIO_PATH;
}

/** Removes (once per run) the temp folders of tsml runs that died before their cleanup ran. */
function sweepStaleTempDirs(): void {
  if (swept) return;
  swept = true;
  let names: string[] = [];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP_DIR.exec(name);
    if (!m || Number(m[1]) === process.pid || isProcessAlive(Number(m[1]))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

async function newTempDir(): Promise<string> {
  sweepStaleTempDirs();
  try {
    return await mkdtemp(join(tmpdir(), `tsml-${process.pid}-`));
  } catch (error) {
    throw fromOsError(error, { path: tmpdir() }) ?? error;
  }
}

/** Copies stdin to a temp file and returns its path plus a cleanup function. */
export async function spoolStdin(name = "stdin"): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await newTempDir();
  const path = join(dir, name);
  try {
    await pipeline(process.stdin, createWriteStream(path));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    // A full temp disk names the folder stdin was spooled to (TMPDIR moves it).
    throw fromOsError(error, { path, writing: true }) ?? error;
  }
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A temp directory for a file that will be streamed to stdout afterwards. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await newTempDir();
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Streams a file's bytes to stdout; a full or refused stdout is reported as such (exit 6). */
export async function streamFileToStdout(path: string): Promise<void> {
  try {
    await pipeline(createReadStream(path), process.stdout, { end: false });
  } catch (error) {
    const reading = ["open", "read"].includes((error as NodeJS.ErrnoException).syscall ?? "");
    throw fromOsError(error, reading ? { path } : { path: "stdout", writing: true }) ?? error;
  }
}
