// Connections to the queue's Redis: ioredis clients (BullMQ's own client library) reporting to one health record
// of how long the server has been unreachable, and a first PING that turns "nothing listens there" into one
// exit-4 line.

import { Redis } from "ioredis";
import { SourceError } from "../core/errors.js";
import type { QueueUrl } from "./queue-url.js";

/**
 * Seconds the queue's Redis may stay unreachable before a worker or a submitter gives up with exit 4. BullMQ
 * reconnects on its own meanwhile (after 1, 1, 2, 5, 15 s), so a Redis restarted within this keeps the run going.
 */
export const RECONNECT_SECONDS = 20;

/** Whether the queue's Redis is reachable, from what every connection of this process saw last. */
export class QueueHealth {
  private downSince: number | null = null;
  private lastError = "";

  connected(): void {
    this.downSince = null;
  }

  lost(error: Error): void {
    this.downSince ??= Date.now();
    this.lastError = error.message;
  }

  /** Seconds since the server went away, 0 while it is up. */
  downSeconds(): number {
    return this.downSince === null ? 0 : (Date.now() - this.downSince) / 1000;
  }

  /** The exit-4 error once the server has been gone longer than RECONNECT_SECONDS, else null. */
  failure(url: QueueUrl): SourceError | null {
    if (this.downSeconds() < RECONNECT_SECONDS) return null;
    return new SourceError(
      `lost the queue's Redis at ${url.display} for ${Math.round(this.downSeconds())} s (${this.lastError})`,
      "start Redis again, then the workers, and rerun a submitting command that stopped",
    );
  }
}

/** Server, credentials and database of a queue URL, connecting on first use. */
function where(url: QueueUrl) {
  const { host, port, username, password } = url;
  return { host, port, username, password, db: url.db ?? 0, lazyConnect: true };
}

/**
 * A Redis client (connects on first use, reconnects after drops) reporting to `health`. BullMQ takes it as its
 * connection and leaves it open when its Queue or Worker closes: the owner disconnects it.
 */
/** Clients this process closed on purpose: their end says nothing about the server. */
const retired = new WeakSet<Redis>();

/**
 * Disconnects a client this process is done with (a queue that emptied, a run that ended). Its `end` event is
 * then not read as Redis going away: without this a worker took its own clean-up for a lost server and exited 4
 * twenty seconds after each run it served, unless another run's connection came up in between.
 */
export function retireClient(client: Redis): void {
  retired.add(client);
  client.disconnect();
}

export function redisClient(url: QueueUrl, health?: QueueHealth): Redis {
  const client = new Redis({
    ...where(url),
    // BullMQ's workers block on Redis; their commands must wait out a reconnect instead of failing.
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(1_000 * attempt, 5_000),
  });
  client.on("ready", () => health?.connected());
  // Errors are seen through `health` (and BullMQ's own error events); unhandled they would crash the process.
  client.on("error", (error: Error) => {
    if (!retired.has(client)) health?.lost(error);
  });
  client.on("end", () => {
    if (!retired.has(client)) health?.lost(new Error("connection closed"));
  });
  return client;
}

/**
 * Connects and PINGs once, so a wrong host or port is one clear line before any BullMQ object retries forever.
 * @example await checkReachable(parseQueueUrl("redis://127.0.0.1:6379"));
 */
export async function checkReachable(url: QueueUrl): Promise<void> {
  const connection = new Redis({
    ...where(url),
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  connection.on("error", () => {});
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("no answer within 5 s")), 5_000).unref(),
  );
  try {
    await Promise.race([connection.connect().then(() => connection.ping()), timeout]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(
      `cannot reach the queue's Redis at ${url.display}: ${code ?? (error as Error).message}`,
      "start one (redis-server, or docker run -p 6379:6379 redis:7) or fix --queue",
    );
  } finally {
    connection.disconnect();
  }
}
