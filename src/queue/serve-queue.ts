// The working side of the queue: take jobs from every live tsml queue on a Redis until told to stop. A job's
// handler is looked up by its kind; what it throws fails the job once (UnrecoverableError: no retry), and a
// worker that dies mid-job leaves a lock that expires after `stalledMs`, when another worker takes the job.

import { hostname } from "node:os";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { InternalError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { checkReachable, QueueHealth, redisClient, retireClient } from "./queue-connection.js";
import { DISCOVER_MS, encodeFailure, KEY_PREFIX, liveQueuesKey } from "./queue-names.js";
import type { QueueUrl } from "./queue-url.js";

/** Runs one job's work from its payload; the value (JSON) goes back to the submitter. */
export type JobHandler = (data: Record<string, unknown>, job: { id: string }) => Promise<unknown>;

export interface ServeOptions {
  url: QueueUrl;
  /** The workspace's id: only its queues are served (commands/queue-space.ts). */
  space: string;
  handlers: Record<string, JobHandler>;
  /** Jobs run at once per queue in this process. */
  concurrency: number;
  /** Lock time of a job (renewed while it runs): a dead worker's job is taken by another after about this. */
  stalledMs: number;
  log: Logger;
  /** Resolves when the worker should stop (a signal); the current jobs finish first. */
  stop: Promise<void>;
  /** Resolves when the worker should stop now (a second signal): the current jobs are left to the stall check. */
  stopNow: Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Serves jobs until `stop`; rejects with exit 4 when Redis is unreachable at the start or for too long after. */
export async function serveQueue(options: ServeOptions): Promise<{ jobs: number; failed: number }> {
  await checkReachable(options.url);
  const { log, url } = options;
  const self = `${hostname()}:${process.pid}`;
  const health = new QueueHealth();
  const control = redisClient(url, health);
  await control.connect();
  const workers = new Map<string, Worker>();
  /** The client each Worker was given: BullMQ leaves it open, so it is disconnected after the Worker closes. */
  const clients = new Map<Worker, ReturnType<typeof redisClient>>();
  const closeWorker = (worker: Worker, force: boolean) =>
    worker
      .close(force)
      .catch(() => {})
      .finally(() => {
        const client = clients.get(worker);
        if (client) retireClient(client);
        clients.delete(worker);
      });
  const counts = { jobs: 0, failed: 0 };
  const process_ = async (job: Job) => {
    const id = job.id ?? "";
    const again = job.stalledCounter > 0 || job.attemptsStarted > 1 ? " (again: its worker stopped)" : "";
    log.info(`job ${id} ${job.name} started on ${self}${again}`);
    const handler = options.handlers[job.name];
    try {
      if (!handler) throw new InternalError(`no handler for job kind "${job.name}" (tsml versions differ?)`);
      const value = await handler(job.data as Record<string, unknown>, { id });
      counts.jobs++;
      log.info(`job ${id} done`);
      return { value, worker: self };
    } catch (error) {
      counts.failed++;
      log.warn(`job ${id} failed: ${(error as Error).message}`);
      throw new UnrecoverableError(encodeFailure(error, self));
    }
  };
  let stopping = false;
  let now = false;
  void options.stop.then(() => {
    stopping = true;
  });
  void options.stopNow.then(() => {
    stopping = true;
    now = true;
  });
  log.info(
    `worker ${self}: serving the queues of workspace ${options.space} on ${url.display} (stop with Ctrl-C or SIGTERM)`,
  );
  try {
    while (!stopping) {
      const lost = health.failure(url);
      if (lost) throw lost;
      try {
        const live = new Set(await control.smembers(liveQueuesKey(options.space)));
        for (const name of live) {
          if (workers.has(name)) continue;
          const client = redisClient(url, health);
          const worker = new Worker(name, process_, {
            connection: client,
            prefix: KEY_PREFIX,
            concurrency: options.concurrency,
            lockDuration: options.stalledMs,
            stalledInterval: options.stalledMs,
            maxStalledCount: 2,
          });
          worker.on("error", (error) => log.debug(`queue ${name}: ${error.message}`));
          workers.set(name, worker);
          clients.set(worker, client);
          log.debug(`taking jobs from ${name}`);
        }
        for (const [name, worker] of workers)
          if (!live.has(name)) {
            workers.delete(name);
            void closeWorker(worker, false);
          }
      } catch (error) {
        log.debug(`listing queues: ${(error as Error).message}`);
      }
      await Promise.race([sleep(DISCOVER_MS), options.stop, options.stopNow]);
    }
  } finally {
    // Graceful: finish the jobs in hand. Forced (second signal, or Redis gone): leave them to the stall check.
    const force = now || health.downSeconds() > 0;
    const closing = Promise.all([...workers.values()].map((w) => closeWorker(w, force)));
    await Promise.race([closing, options.stopNow.then(() => sleep(1_000))]);
    retireClient(control);
  }
  log.info(`worker ${self}: stopped after ${counts.jobs} jobs (${counts.failed} failed)`);
  return counts;
}
