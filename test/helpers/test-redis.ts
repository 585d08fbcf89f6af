// The Redis the queue tests use: database 15 of the one on 127.0.0.1 (TSML_TEST_REDIS_URL to change it), so
// workers someone runs on database 0 never take a test's jobs. Tests skip with the printed reason when it is
// not there, and fail instead under TSML_REQUIRE_DB=1 (CI).

import { redisClient } from "../../src/queue/queue-connection.js";
import { parseQueueUrl } from "../../src/queue/queue-url.js";

export const TEST_REDIS_URL = process.env.TSML_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
export const REDIS_REQUIRED = process.env.TSML_REQUIRE_DB === "1";

/** Why the test Redis cannot be used (no answer to PING within 2 s), or null when it can. */
export async function testRedisWhy(): Promise<string | null> {
  const c = redisClient(parseQueueUrl(TEST_REDIS_URL));
  try {
    await Promise.race([
      c.connect().then(() => c.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in 2 s")), 2_000)),
    ]);
    return null;
  } catch (error) {
    return `Redis at ${TEST_REDIS_URL} unreachable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  } finally {
    c.disconnect();
  }
}
