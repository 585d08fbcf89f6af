// Database URLs: `duckdb:path/file.duckdb` (embedded), `postgres://` / `postgresql://` (PostgreSQL,
// TimescaleDB) and `mysql://` / `mariadb://`; a redacted form for every message (no password, ever).

import { UsageError } from "../core/errors.js";
import { redact } from "../core/redact.js";

export type Dialect = "duckdb" | "postgres" | "mysql";

export interface DbUrl {
  dialect: Dialect;
  /** The URL as given (only ever passed to a driver). */
  raw: string;
  /** For messages: no password, no query string secrets. */
  display: string;
  /** DuckDB file path (":memory:" allowed). */
  path?: string;
}

/**
 * @example
 * parseDbUrl("postgres://u:secret@db:5432/prices").display // "postgres://u:***@db:5432/prices"
 */
export function parseDbUrl(url: string, flag = "--url"): DbUrl {
  const text = url.trim();
  if (/^duckdb:/i.test(text)) {
    const path = text.replace(/^duckdb:(\/\/)?/i, "");
    if (path === "")
      throw new UsageError(`${flag}: duckdb URL needs a file path`, "e.g. duckdb:prices.duckdb");
    return { dialect: "duckdb", raw: text, display: redact(`duckdb:${path}`), path };
  }
  const scheme = /^([a-z]+):\/\//i.exec(text)?.[1]?.toLowerCase();
  const dialect: Dialect | undefined =
    scheme === "postgres" || scheme === "postgresql"
      ? "postgres"
      : scheme === "mysql" || scheme === "mariadb"
        ? "mysql"
        : undefined;
  if (!dialect) {
    throw new UsageError(
      `${flag}: unsupported database URL "${redactDbUrl(text)}"`,
      "use duckdb:FILE.duckdb, postgres://user@host:5432/db or mysql://user@host:3306/db",
    );
  }
  try {
    new URL(text.replace(/^mariadb:/i, "mysql:"));
  } catch {
    throw new UsageError(`${flag}: "${redactDbUrl(text)}" is not a valid URL`);
  }
  return {
    dialect,
    raw: dialect === "mysql" ? text.replace(/^mariadb:/i, "mysql:") : text,
    display: redactDbUrl(text),
  };
}

/** Replaces the password in `scheme://user:password@host` and secret parameters (`password=`, `token=`) with ***. */
export function redactDbUrl(url: string): string {
  return redact(url);
}

/** Removes the URL's password (and every registered secret) from a driver message, in case a driver echoes it. */
export function scrubSecrets(message: string, url: DbUrl): string {
  let out = message.replaceAll(url.raw, url.display);
  try {
    const password = decodeURIComponent(new URL(url.raw).password);
    if (password.length > 0) out = out.replaceAll(password, "***");
  } catch {
    // not a URL with a password
  }
  return redact(out.split("\n")[0]);
}
