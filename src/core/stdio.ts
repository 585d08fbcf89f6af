// `-` as a path: stdin is spooled to a temp file (DuckDB and csv-parse read files), stdout gets file bytes.

import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";

export const STDIO_PATH = "-";

export function isStdio(path: string | undefined): boolean {
  return path === STDIO_PATH;
}

/** Copies stdin to a temp file and returns its path plus a cleanup function. */
export async function spoolStdin(name = "stdin"): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "tsml-"));
  const path = join(dir, name);
  await pipeline(process.stdin, createWriteStream(path));
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A temp directory for a file that will be streamed to stdout afterwards. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "tsml-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Streams a file's bytes to stdout. */
export async function streamFileToStdout(path: string): Promise<void> {
  await pipeline(createReadStream(path), process.stdout, { end: false });
}
