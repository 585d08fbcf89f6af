// `--queue redis://[user:password@]host[:port][/db]`: where the job queue's Redis is, and the same URL with its
// password masked for every message, log line and provenance record.

import { UsageError } from "../core/errors.js";
import { redact, registerSecret } from "../core/redact.js";
export interface QueueUrl {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  /** For messages: the URL with any password replaced by ***. */
  display: string;
}

/**
 * @example
 * parseQueueUrl("redis://:s3cret@10.0.0.5:6380/2") // { host: "10.0.0.5", port: 6380, db: 2, password: "s3cret", display: "redis://:***@10.0.0.5:6380/2" }
 */
export function parseQueueUrl(text: string, flag = "--queue"): QueueUrl {
  const display = redact(text.trim());
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`${flag} "${display}" is not a URL`, "e.g. --queue redis://127.0.0.1:6379");
  }
  if (url.protocol === "rediss:")
    throw new UsageError(
      `${flag} "${display}": TLS (rediss://) is not supported`,
      "reach Redis over a private network or an SSH/stunnel tunnel, e.g. --queue redis://127.0.0.1:6379",
    );
  if (url.protocol !== "redis:")
    throw new UsageError(
      `${flag} "${display}": only redis:// URLs are supported`,
      "e.g. --queue redis://127.0.0.1:6379",
    );
  const password = url.password === "" ? undefined : decodeURIComponent(url.password);
  registerSecret(password);
  const dbText = url.pathname.replace(/^\//, "");
  if (dbText !== "" && !/^\d+$/.test(dbText))
    throw new UsageError(`${flag} "${display}": the path must be a database number, e.g. /0`);
  return {
    host: url.hostname === "" ? "127.0.0.1" : url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? 6379 : Number(url.port),
    username: url.username === "" ? undefined : decodeURIComponent(url.username),
    password,
    db: dbText === "" ? undefined : Number(dbText),
    display,
  };
}
