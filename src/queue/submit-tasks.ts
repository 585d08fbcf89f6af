// The submitting side of the queue: put a run's tasks on their own queue, wait for the workers' results, and
// clean the queue's keys away. A task that fails fails the run with its worker's error (no retry: bad data
// stays bad); a worker that dies mid-task is BullMQ's stalled-job recovery's business, not ours.

import { Queue } from "bullmq";
import { InternalError, SourceError, type TsmlError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { checkReachable, QueueHealth, redisClient, retireClient } from "./queue-connection.js";
import {
  DISCOVER_MS,
  decodeFailure,
  KEY_PREFIX,
  liveQueuesKey,
  MAX_JOB_BYTES,
  queueName,
} from "./queue-names.js";
import type { QueueUrl } from "./queue-url.js";

export interface QueueTask {
  /** Unique within the run and stable (e.g. "c3-f2"): results are keyed by it, so each is used once. */
  id: string;
  /** The job kind a worker dispatches on ("fold", "refit", "ticker"). */
  kind: string;
  /** Paths, fingerprints, parameters, indices: JSON under MAX_JOB_BYTES. */
  data: Record<string, unknown>;
  /** How messages name the task ("SPX combination 2 fold 3"). */
  label: string;
}

export interface TaskResult {
  value: unknown;
  /** The worker that ran it (host:pid). */
  worker: string;
}

export interface SubmitOptions {
  url: QueueUrl;
  /** Words in the queue name ("tune SPX rf"). */
  what: string;
  /** The workspace's id (commands/queue-space.ts): only workers serving that workspace take the jobs. */
  space: string;
  log: Logger;
  /** Called once per finished task (a progress tick). */
  onDone?: (label: string, id: string) => void;
  /** The workers' command line to suggest while nobody takes the jobs. */
  workerHint: string;
  /** Poll period (ms): the queue's counts are read this often. */
  pollMs?: number;
  /**
   * Where failed tasks go, by id, when the run goes on past them (one job per ticker); without it the first
   * failed task fails the run.
   */
  failures?: Map<string, TsmlError>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A bound on a wait that must not itself keep the process alive once the work it bounds is done. */
const deadline = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Refuses a payload above MAX_JOB_BYTES: big inputs go through the workspace, never through Redis. */
export function checkPayload(task: QueueTask): void {
  const bytes = Buffer.byteLength(JSON.stringify(task.data));
  if (bytes > MAX_JOB_BYTES)
    throw new InternalError(
      `queue job ${task.label}: payload of ${bytes} bytes exceeds ${MAX_JOB_BYTES} (inputs belong in the workspace)`,
    );
}

/**
 * Runs `tasks` on the workers of `url` and returns each task's result by id; rejects with the first failed
 * task's error (exit code as the worker saw it) or, when Redis is gone for RECONNECT_SECONDS, with exit 4.
 */
export async function submitTasks(
  tasks: readonly QueueTask[],
  options: SubmitOptions,
): Promise<Map<string, TaskResult>> {
  for (const task of tasks) checkPayload(task);
  if (new Set(tasks.map((t) => t.id)).size !== tasks.length)
    throw new InternalError("queue tasks need unique ids");
  await checkReachable(options.url);
  const health = new QueueHealth();
  const name = queueName(options.what);
  const client = redisClient(options.url, health);
  const queue = new Queue(name, { connection: client, prefix: KEY_PREFIX });
  // A dropped connection is reported here as well as to `health`: seen, not thrown (BullMQ reconnects).
  queue.on("error", (error) => options.log.debug(`queue ${name}: ${error.message}`));
  const control = redisClient(options.url, health);
  const labels = new Map(tasks.map((t) => [t.id, t.label]));
  const results = new Map<string, TaskResult>();
  try {
    await control.connect();
    await queue.addBulk(
      tasks.map((t) => ({
        name: t.kind,
        data: t.data,
        // attempts 1: a task that throws fails once; only a stalled (dead) worker's task is run again.
        opts: { jobId: t.id, attempts: 1, removeOnComplete: false, removeOnFail: false },
      })),
    );
    await control.sadd(liveQueuesKey(options.space), name);
    options.log.debug(`queue ${name}: ${tasks.length} tasks on ${options.url.display}`);
    const started = Date.now();
    let hinted = false;
    let seen = -1;
    const finished = () => results.size + (options.failures?.size ?? 0);
    while (finished() < tasks.length) {
      await sleep(options.pollMs ?? 50);
      try {
        const counts = await queue.getJobCounts("completed", "failed", "active", "wait", "delayed");
        if (Object.values(counts).every((n) => n === 0))
          // Every job gone while results are missing: Redis restarted without persistence, or someone flushed it.
          throw new SourceError(
            `the queue's Redis at ${options.url.display} lost this run's ${tasks.length - results.size} open tasks`,
            "rerun the command (and give Redis persistence: appendonly yes)",
          );
        if (
          !hinted &&
          counts.active + counts.completed + counts.failed === 0 &&
          Date.now() - started > 10_000
        ) {
          hinted = true;
          options.log.info(`waiting for workers on ${options.url.display}: start ${options.workerHint}`);
        }
        if (counts.completed + counts.failed === seen) continue;
        seen = counts.completed + counts.failed;
        // Ids first (one ZRANGE each), then only the jobs not gathered yet: O(new jobs) reads per poll.
        if (counts.failed > 0 && options.failures) {
          for (const id of await queue.getRanges(["failed"], 0, -1)) {
            if (!labels.has(id) || options.failures.has(id)) continue;
            const job = await queue.getJob(id);
            if (!job) continue;
            options.failures.set(id, decodeFailure(job.failedReason, labels.get(id) ?? id));
            options.onDone?.(labels.get(id) ?? id, id);
          }
        } else if (counts.failed > 0) {
          const [id] = await queue.getRanges(["failed"], 0, 0);
          const job = id ? await queue.getJob(id) : undefined;
          if (job && labels.has(id)) throw decodeFailure(job.failedReason, labels.get(id) ?? id);
        }
        for (const id of await queue.getRanges(["completed"], 0, -1)) {
          if (!labels.has(id) || results.has(id)) continue;
          const job = await queue.getJob(id);
          if (!job) continue;
          results.set(id, job.returnvalue as TaskResult);
          options.onDone?.(labels.get(id) ?? id, id);
        }
      } catch (error) {
        if (error instanceof Error && "exitCode" in error) throw error;
        // A dropped connection: BullMQ reconnects; give up only when Redis stays away.
        const lost = health.failure(options.url);
        if (lost) throw lost;
        options.log.debug(`queue ${name}: ${(error as Error).message}; retrying`);
        await sleep(500);
      }
    }
    return results;
  } finally {
    await cleanUp(queue, control, name, liveQueuesKey(options.space));
    retireClient(client);
  }
}

/** Removes the queue's keys and its entry in the live set; bounded, so a dead Redis cannot hang the exit. */
async function cleanUp(queue: Queue, control: ReturnType<typeof redisClient>, name: string, liveKey: string) {
  const work = (async () => {
    await control.srem(liveKey, name).catch(() => {});
    // Workers see the queue leave the live set within a discovery period and close their side of it; a Worker
    // still open on it would write the queue's meta key again after the obliterate.
    await sleep(2 * DISCOVER_MS);
    await queue.obliterate({ force: true }).catch(() => {});
  })();
  await Promise.race([work, deadline(3_000)]);
  retireClient(control);
  await Promise.race([queue.close().catch(() => {}), deadline(1_000)]);
}
