// `ingest db --query` must only read: one statement, starting with SELECT/WITH/VALUES/TABLE/FROM, no
// SELECT ... INTO. This check gives every engine the same one-line refusal before anything is sent; the
// clients also read inside a read-only transaction (PostgreSQL, MySQL) or check the prepared statement's
// type (DuckDB), so a write hidden where this lexer cannot see still fails.

import { UsageError } from "../core/errors.js";
import type { Dialect } from "./db-url.js";

/** Leading keywords of a read (FROM: DuckDB's `FROM t SELECT ...`). */
const READ_KEYWORDS = new Set(["select", "with", "values", "table", "from"]);
export const READ_ONLY_HINT =
  "ingest db only reads: give one SELECT (or WITH ... SELECT) statement; run writes with your database client";

/** A refusal: the query would write, or holds more than one statement. */
export function refuseWrite(detail: string): UsageError {
  return new UsageError(`--query must only read: ${detail}`, READ_ONLY_HINT);
}

/**
 * Returns the statement without a trailing `;`, or throws a UsageError (exit 2) for a stacked statement, a
 * statement that does not start like a read, SELECT ... INTO, or a MySQL executable comment.
 * @example
 * checkReadOnlyQuery("select * from t;", "postgres") // "select * from t"
 * checkReadOnlyQuery("select 1; drop table t", "duckdb") // throws: more than one statement
 */
export function checkReadOnlyQuery(sql: string, dialect: Dialect): string {
  const words: string[] = [];
  let end = -1;
  let i = 0;
  const n = sql.length;
  const mysql = dialect === "mysql";
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === "`") {
      // PostgreSQL E'...' strings and every MySQL string take backslash escapes.
      const escapes = mysql || (c === "'" && /^[eE]$/.test(sql[i - 1] ?? "") && !/\w/.test(sql[i - 2] ?? ""));
      i = skipQuoted(sql, i, c, escapes && c !== "`");
      continue;
    }
    // MySQL only starts a comment at "-- " (a space or control character after the dashes).
    if (c === "-" && sql[i + 1] === "-" && (!mysql || !(sql.charCodeAt(i + 2) > 32))) {
      i = lineEnd(sql, i);
      continue;
    }
    if (c === "#" && mysql) {
      i = lineEnd(sql, i);
      continue;
    }
    if (c === "/" && sql[i + 1] === "*") {
      if (mysql && (sql[i + 2] === "!" || sql.startsWith("M!", i + 2)))
        throw refuseWrite("MySQL executable comments (/*! ... */) are not accepted");
      i = skipBlockComment(sql, i, dialect === "postgres");
      continue;
    }
    if (c === "$" && !mysql && !/\w/.test(sql[i - 1] ?? "")) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 65))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        i = close < 0 ? n : close + tag.length;
        continue;
      }
    }
    if (c === ";") {
      if (end < 0) end = i;
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i, i + 128))![0];
      if (end >= 0) throw refuseWrite(`it holds more than one statement ("${word}..." after the ";")`);
      words.push(word.toLowerCase());
      i += word.length;
      continue;
    }
    if (end >= 0 && !/\s/.test(c)) throw refuseWrite(`it holds more than one statement (text after the ";")`);
    i++;
  }
  if (words.length === 0) throw refuseWrite("it holds no statement");
  if (!READ_KEYWORDS.has(words[0])) throw refuseWrite(`it starts with ${words[0].toUpperCase()}, not SELECT`);
  if (words.includes("into")) throw refuseWrite("SELECT ... INTO writes (a table, a file or variables)");
  return (end < 0 ? sql : sql.slice(0, end)).trim();
}

function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === "\\") {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

function lineEnd(sql: string, start: number): number {
  const newline = sql.indexOf("\n", start);
  return newline < 0 ? sql.length : newline + 1;
}

/** PostgreSQL block comments nest; MySQL's and DuckDB's end at the first `*\/`. */
function skipBlockComment(sql: string, start: number, nests: boolean): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === "/" && sql[i + 1] === "*") {
      depth++;
      i += 2;
      if (!nests && depth > 1) depth = 1;
      continue;
    }
    if (sql[i] === "*" && sql[i + 1] === "/") {
      depth--;
      i += 2;
      if (depth === 0) return i;
      continue;
    }
    i++;
  }
  return sql.length;
}
