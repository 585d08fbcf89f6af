// The health record every connection of a worker or submitter reports to, against the real Redis on
// 127.0.0.1 (database 15; TSML_TEST_REDIS_URL to change it). A connection this process closes on purpose (a queue
// that emptied) must not read as the server going away: a worker did, and exited 4 twenty seconds after each run.

import { describe, expect, it } from "vitest";
import { QueueHealth, redisClient, retireClient } from "./queue-connection.js";
import { parseQueueUrl } from "./queue-url.js";

const url = parseQueueUrl(process.env.TSML_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15");

async function reachable(): Promise<boolean> {
  const probe = redisClient(url);
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer")), 2_000)),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
const up = await reachable();
if (!up && process.env.TSML_REQUIRE_DB !== "1")
  console.log("skipping queue health tests: no Redis at 127.0.0.1:6379 (TSML_REQUIRE_DB=1 makes them fail)");

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe.skipIf(!up && process.env.TSML_REQUIRE_DB !== "1")("queue connection health", () => {
  it("a client retired on purpose leaves the health up; one that ends unasked marks it down", async () => {
    const health = new QueueHealth();
    const control = redisClient(url, health);
    const queueClient = redisClient(url, health);
    await Promise.all([control.connect(), queueClient.connect()]);
    retireClient(queueClient);
    await settle();
    expect(health.downSeconds()).toBe(0);
    expect(health.failure(url)).toBeNull();
    // The same end without retireClient (what a dropped connection looks like to ioredis once it gives up).
    control.disconnect();
    await settle();
    expect(health.downSeconds()).toBeGreaterThan(0);
  });
});
