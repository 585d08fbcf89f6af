// The column sets of a table's primary key and unique indexes, per engine: an upsert or append into a table
// without one on the key columns would add every row again on each re-run instead of failing or updating.

import type { DbCell, DbClient } from "./db-client.js";
import { quoteTable, validateTableName } from "./identifier.js";

/**
 * Each unique key (primary key, unique constraint or unique index) of `table` as lower-case column names;
 * an empty list when the table has none (or does not exist).
 * @example await uniqueKeys(db, "daily_bars") // [["ticker", "date"]]
 */
export async function uniqueKeys(db: DbClient, table: string): Promise<string[][]> {
  const parts = validateTableName(table);
  const name = parts[parts.length - 1];
  const schema = parts.length === 2 ? parts[0] : null;
  const split = (rows: DbCell[][]) =>
    rows.map((row) =>
      String(row[0] ?? "")
        .replace(/^\[|\]$/g, "")
        .split(",")
        .map((c) => c.trim().replace(/^"|"$/g, "").toLowerCase())
        .filter(Boolean),
    );
  const dialect = db.url.dialect;
  if (dialect === "postgres") {
    // Unique indexes count as well as constraints: ON CONFLICT (ticker, date) can use either.
    return split(
      await db.rows(
        `SELECT string_agg(a.attname, ',') FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
         WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL
         GROUP BY i.indexrelid`,
        [quoteTable("postgres", table)],
      ),
    );
  }
  if (dialect === "mysql") {
    return split(
      await db.rows(
        `SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics
         WHERE table_schema = ${schema ? "?" : "DATABASE()"} AND table_name = ? AND non_unique = 0
         GROUP BY index_name`,
        schema ? [schema, name] : [name],
      ),
    );
  }
  const where = `schema_name = ${schema ? "?" : "current_schema()"} AND table_name = ?`;
  const params = schema ? [schema, name] : [name];
  const constraints = await db.rows(
    `SELECT array_to_string(constraint_column_names, ',') FROM duckdb_constraints()
     WHERE ${where} AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`,
    params,
  );
  const indexes = await db.rows(
    `SELECT CAST(expressions AS VARCHAR) FROM duckdb_indexes() WHERE ${where} AND is_unique`,
    params,
  );
  return [...split(constraints), ...split(indexes)];
}

/** True when one of `keys` is exactly the set `key` (case-insensitive, any order). */
export function hasKey(keys: readonly (readonly string[])[], key: readonly string[]): boolean {
  const want = new Set(key.map((k) => k.toLowerCase()));
  return keys.some((k) => k.length === want.size && k.every((c) => want.has(c)));
}
