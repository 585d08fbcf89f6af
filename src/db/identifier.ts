// SQL identifiers from flags (--table, column names): validated against a strict pattern, then quoted per
// dialect. Values are always bound as parameters; only validated identifiers are ever spliced into SQL.

import { UsageError } from "../core/errors.js";
import { quoteIdentifier } from "../core/sql-text.js";
import type { Dialect } from "./db-url.js";

const PART = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Accepts `name` or `schema.name` made of letters, digits and underscores; anything else (quotes,
 * semicolons, spaces) is a usage error, so `x; DROP TABLE y` never reaches a database.
 * @example
 * validateTableName("prices.daily_bars") // ["prices", "daily_bars"]
 */
export function validateTableName(name: string, flag = "--table"): string[] {
  const parts = name.split(".");
  if (parts.length > 2 || !parts.every((p) => PART.test(p))) {
    throw new UsageError(
      `${flag}: "${name}" is not a plain table name`,
      "use letters, digits and underscores (optionally schema.table), e.g. --table daily_bars",
    );
  }
  return parts;
}

/** Column names come from data (frame columns); they get the same check with their own message. */
export function validateColumnName(name: string): string {
  if (!PART.test(name)) {
    throw new UsageError(
      `column "${name}" cannot be a database column name`,
      "rename it to letters, digits and underscores",
    );
  }
  return name;
}

/** The quoting style of a dialect: MySQL's backticks, or ANSI double quotes (PostgreSQL, DuckDB). */
export function quoteStyle(dialect: Dialect): "ansi" | "mysql" {
  return dialect === "mysql" ? "mysql" : "ansi";
}

/** A validated, quoted (possibly schema-qualified) table name. */
export function quoteTable(dialect: Dialect, name: string, flag = "--table"): string {
  return validateTableName(name, flag)
    .map((p) => quoteIdentifier(p, quoteStyle(dialect)))
    .join(".");
}
