// Where queue jobs find their inputs: a folder of the shared workspace, the check that a payload's path stays
// inside it (a payload comes from Redis: it may name nothing else on the worker's disk), reading an input
// against its fingerprint, and numbers in a form JSON carries exactly.

import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { DataError } from "../core/errors.js";
import { sha256 } from "../core/fingerprint.js";

/** The workspace folder for inputs written for queue workers (removed by the submitter after gathering). */
export const QUEUE_FOLDER = ".queue";

/** The absolute path of a job's input, refusing anything outside the workspace's queue folder. */
export function queueInputPath(workspace: string, path: unknown): string {
  const base = resolve(workspace, QUEUE_FOLDER);
  const full = typeof path === "string" && !isAbsolute(path) ? resolve(workspace, path) : "";
  const inside = full !== "" && !relative(base, full).startsWith("..") && full !== base;
  if (!inside)
    throw new DataError(
      `queue job input "${String(path)}" is not inside the workspace's ${QUEUE_FOLDER} folder`,
      "submitter and worker must be the same tsml version",
    );
  return full;
}

/** Inputs this worker read lately, by fingerprint: the tasks of one run read their file once. */
const cache = new Map<string, unknown>();
const CACHE_SIZE = 4;

/**
 * Reads and decodes a job's input, refusing a missing file or one whose sha256 is not the payload's (exit 3).
 * @example await readQueueInput(ws, data.dataset, data.sha256, decodeCvDataset)
 */
export async function readQueueInput<T>(
  workspace: string,
  path: unknown,
  fingerprint: unknown,
  decode: (bytes: Uint8Array, where: string) => T,
): Promise<T> {
  const key = String(fingerprint);
  const hit = cache.get(key);
  if (hit) return hit as T;
  const full = queueInputPath(workspace, path);
  let bytes: Buffer;
  try {
    bytes = await readFile(full);
  } catch (error) {
    throw new DataError(
      `queue input ${full} is missing (${(error as NodeJS.ErrnoException).code})`,
      "start workers with the submitter's workspace: tsml worker --workspace DIR (a shared folder)",
    );
  }
  if (sha256(bytes) !== key)
    throw new DataError(
      `queue input ${full} does not match its fingerprint: it changed or was damaged after the submitter wrote it`,
      "rerun the submitting command",
    );
  const value = decode(bytes, full);
  cache.set(key, value);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return value;
}

/** A number JSON carries exactly: finite doubles as numbers (shortest round-trip form), the rest as text. */
export const toWire = (n: number): number | string => (Number.isFinite(n) ? n : String(n));
export const fromWire = (v: unknown): number => (typeof v === "number" ? v : Number(v));
