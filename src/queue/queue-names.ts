// The names a submitter and its workers agree on: the key prefix, the set of live queues, a run's queue name,
// and the envelope a job's failure travels in.

import { randomBytes } from "node:crypto";
import { type ExitCodeValue, TsmlError } from "../core/errors.js";

/** BullMQ key prefix: every key of tsml's queues starts `tsml:`. */
export const KEY_PREFIX = "tsml";

/**
 * The Redis set of one workspace's queues that have work: its workers poll it and take jobs from each queue in
 * it. Keyed by the workspace's id, so a worker never takes a job meant for another workspace on the same Redis
 * (its inputs would be missing there, or worse, a ticker job would write into the wrong workspace).
 * @example liveQueuesKey("3f9a0c1d2b4e6f70") // "tsml:live-queues:3f9a0c1d2b4e6f70"
 */
export function liveQueuesKey(space: string): string {
  return `${KEY_PREFIX}:live-queues:${space}`;
}

/** How often workers read the live set (ms): a queue left out of it is closed by every worker within this. */
export const DISCOVER_MS = 250;

/** A job's payload limit: inputs travel through the shared workspace, a payload names them. */
export const MAX_JOB_BYTES = 4096;

/**
 * One queue per submitting run, so two submitters (or two tickers of one run) never take each other's results.
 * @example queueName("tune SPX rf") // "tsml-tune-SPX-rf-3f9a0c1d"
 */
export function queueName(what: string): string {
  const slug = what.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 60);
  return `tsml-${slug}-${randomBytes(4).toString("hex")}`;
}

/** What a worker records as a job's failure: the error's message, exit code and hint, as JSON. */
export function encodeFailure(error: unknown, worker: string): string {
  const e = error as Error & { exitCode?: number; hint?: string };
  const exitCode = error instanceof TsmlError ? error.exitCode : 1;
  return JSON.stringify({ message: e?.message ?? String(error), exitCode, hint: e?.hint, worker });
}

/** The submitter's error for a failed job; a reason that is not ours (BullMQ's own, e.g. too many stalls) exits 1. */
export function decodeFailure(reason: string, label: string): TsmlError {
  try {
    const f = JSON.parse(reason) as {
      message: string;
      exitCode: ExitCodeValue;
      hint?: string;
      worker: string;
    };
    return new TsmlError(`${label}: ${f.message} (on worker ${f.worker})`, f.exitCode, f.hint);
  } catch {
    return new TsmlError(`${label}: ${reason}`, 1);
  }
}
